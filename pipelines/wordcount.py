#!/usr/bin/env python3
"""WordCount: counts the words of text files and writes `word: count` lines, most frequent first.

Runs unchanged with DirectRunner, PortableRunner or FlinkRunner: this script's own flags are
parsed here, every other flag goes to Beam's PipelineOptions.

The file is self-contained on purpose. Everything the SDK workers execute is defined here, and
this file runs as `__main__`: Beam's default pickler on Python >= 3.11 (cloudpickle) ships
`__main__` functions by value, and `save_main_session` makes dill (the default on 3.10) ship the
module's globals too. A helper module imported from beside this script would be pickled by
reference instead, and the SDK workers, which have only apache_beam installed, could not import it.
apache_beam itself is imported only when a pipeline is built, so `--help` and the pure functions
work without it.
"""

import argparse
import logging
import re
import sys
from collections import Counter
from pathlib import Path
from typing import Iterable, Iterator

PIPELINE_OPTIONS_EPILOG = (
    "Every other flag is passed to Beam's PipelineOptions, for example --runner=DirectRunner, "
    "--runner=PortableRunner --job_endpoint=localhost:8099 --environment_type=EXTERNAL "
    "--environment_config=localhost:50000, or --runner=FlinkRunner --flink_master=localhost:8081; "
    "also --job_name and --parallelism. Under a portable runner, --input and --output are paths "
    "inside the TaskManager containers (e.g. /data/... and /outputs/...)."
)

# Letters only: Unicode word characters without digits and the underscore.
_WORD = re.compile(r"[^\W\d_]+")


def tokenize(line: str) -> list[str]:
    """Lower-cases a line and splits it on every non-letter."""
    return _WORD.findall(line.lower())


def pair_with_one(word: str) -> tuple[str, int]:
    return word, 1


def has_min_count(pair: tuple[str, int], min_count: int) -> bool:
    return pair[1] >= min_count


def count_words(lines: Iterable[str]) -> Counter:
    """The whole count in one process: what the Beam pipeline computes in parallel."""
    counts: Counter = Counter()
    for line in lines:
        counts.update(tokenize(line))
    return counts


def sort_counts(pairs: Iterable[tuple[str, int]]) -> list[tuple[str, int]]:
    """Most frequent first; equal counts in alphabetical order, so the output is deterministic."""
    return sorted(pairs, key=lambda pair: (-pair[1], pair[0]))


def format_count(word: str, count: int) -> str:
    return f"{word}: {count}"


def format_report(pairs: Iterable[tuple[str, int]], min_count: int = 1) -> list[str]:
    """The output lines: pairs below min_count dropped, then sorted by count then word."""
    kept = (pair for pair in pairs if has_min_count(pair, min_count))
    return [format_count(word, count) for word, count in sort_counts(kept)]


def report_text(pairs: list[tuple[str, int]]) -> Iterator[str]:
    """The whole report as one element, so its line order survives the write; nothing when empty."""
    lines = format_report(pairs)
    if lines:
        yield "\n".join(lines)


def positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"'{text}' is not a whole number; use an integer >= 1") from None
    if value < 1:
        raise argparse.ArgumentTypeError(f"{value} is too small; use an integer >= 1")
    return value


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="wordcount.py",
        description="Counts the words of text files (lower-cased, split on non-letters) and writes "
        "'word: count' lines sorted by count (highest first), then word.",
        epilog=PIPELINE_OPTIONS_EPILOG,
        allow_abbrev=False,
    )
    parser.add_argument("--input", required=True, help="file or glob pattern to read, e.g. /data/persuasion.txt")
    parser.add_argument(
        "--output", required=True, help="output path prefix; one file <prefix>-00000-of-00001 is written"
    )
    parser.add_argument(
        "--min-count", type=positive_int, default=1, help="only write words seen at least this often (default 1)"
    )
    return parser


def parse_args(argv: list[str] | None = None) -> tuple[argparse.Namespace, list[str]]:
    """This script's flags, and the rest for PipelineOptions. A repeated flag keeps its last value."""
    return build_parser().parse_known_args(argv)


def import_beam():
    try:
        import apache_beam
    except ImportError as error:
        requirements = Path(__file__).resolve().with_name("requirements.txt")
        raise SystemExit(
            f"{Path(sys.argv[0]).name}: cannot run the pipeline: apache_beam does not import in "
            f"{sys.executable} ({error}). Install the pinned release: "
            f"{sys.executable} -m pip install -r {requirements}"
        ) from None
    return apache_beam


def build_counts(lines, min_count: int = 1):
    """(word, count) pairs of a PCollection of lines, pairs below min_count dropped."""
    beam = import_beam()
    return (
        lines
        | "Split" >> beam.FlatMap(tokenize)
        | "PairWithOne" >> beam.Map(pair_with_one)
        | "Count" >> beam.CombinePerKey(sum)
        | "AtLeastMinCount" >> beam.Filter(has_min_count, min_count)
    )


def build_report(lines, min_count: int = 1):
    """The sorted report of a PCollection of lines, as a single text element (none when empty)."""
    beam = import_beam()
    return (
        build_counts(lines, min_count)
        | "Gather" >> beam.combiners.ToList()
        | "Format" >> beam.FlatMap(report_text)
    )


def run(argv: list[str] | None = None, save_main_session: bool = True) -> None:
    args, beam_args = parse_args(argv)
    beam = import_beam()
    from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions

    options = PipelineOptions(beam_args)
    options.view_as(SetupOptions).save_main_session = save_main_session
    with beam.Pipeline(options=options) as pipeline:
        # validate=False: under a portable runner the pattern is resolved in the TaskManagers, not here.
        lines = pipeline | "Read" >> beam.io.ReadFromText(args.input, validate=False)
        report = build_report(lines, args.min_count)
        report | "Write" >> beam.io.WriteToText(args.output, num_shards=1)


if __name__ == "__main__":
    logging.getLogger().setLevel(logging.INFO)
    run()
