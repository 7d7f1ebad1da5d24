#!/usr/bin/env python3
"""WordLengths: the average length of the words that start with each letter, via a custom CombineFn.

Unlike a toy, this pipeline makes the SDK workers run user code that only this file defines: a
CombineFn class whose accumulators are built, merged across bundles and TaskManagers, and
extracted in the workers. A run that finishes proves pickled user code works on the cluster.
Its own flags are parsed here; every other flag goes to Beam's PipelineOptions.

Self-contained on purpose: this file runs as `__main__`, whose functions and classes Beam ships
to the SDK workers by value (cloudpickle on Python >= 3.11; dill with `save_main_session` on
3.10). A helper module imported from beside it would be pickled by reference and could not be
imported in the workers, which have only apache_beam installed. apache_beam is imported only
when the pipeline is built, so `--help` and the combine logic work without it.
"""

import argparse
import logging
import re
import sys
from pathlib import Path
from typing import Iterable, Iterator

PIPELINE_OPTIONS_EPILOG = (
    "Every other flag is passed to Beam's PipelineOptions, for example --runner=DirectRunner, "
    "--runner=PortableRunner --job_endpoint=localhost:8099 --environment_type=EXTERNAL "
    "--environment_config=localhost:50000, or --runner=FlinkRunner --flink_master=localhost:8081; "
    "also --job_name and --parallelism. Under a portable runner, --input and --output are paths "
    "inside the TaskManager containers (e.g. /data/... and /outputs/...)."
)

# The same tokenising as wordcount.py (letters only, lower-cased), repeated to keep each file self-contained.
_WORD = re.compile(r"[^\W\d_]+")


def tokenize(line: str) -> list[str]:
    return _WORD.findall(line.lower())


def key_by_first_letter(word: str) -> tuple[str, str]:
    return word[0], word


class LengthAverage:
    """The combine logic, in plain Python so it is testable without Beam.

    The accumulator is a (letters, words) pair of totals: adding a word and merging accumulators
    are sums, so partial results from any split of the input merge into the same answer.
    """

    def create_accumulator(self):
        return 0, 0

    def add_input(self, accumulator, word):
        letters, words = accumulator
        return letters + len(word), words + 1

    def merge_accumulators(self, accumulators):
        letters = words = 0
        for partial_letters, partial_words in accumulators:
            letters += partial_letters
            words += partial_words
        return letters, words

    def extract_output(self, accumulator):
        """(average length, word count); (0.0, 0) when no word was added."""
        letters, words = accumulator
        return (letters / words if words else 0.0), words


# Created on first use (average_length_fn) so this module imports without apache_beam. The class
# statement binds this module-level name, so the class is named AverageLengthFn in this module and
# pickles like any top-level class.
AverageLengthFn = None


def average_length_fn():
    """A Beam CombineFn running LengthAverage: its methods come first in the class's MRO."""
    global AverageLengthFn
    if AverageLengthFn is None:
        beam = import_beam()

        class AverageLengthFn(LengthAverage, beam.CombineFn):
            """Average word length per key; LengthAverage's methods override CombineFn's."""

    return AverageLengthFn()


def average_lengths(words: Iterable[str]) -> dict[str, tuple[float, int]]:
    """The whole computation in one process: what the Beam pipeline computes in parallel."""
    logic = LengthAverage()
    accumulators: dict[str, tuple[int, int]] = {}
    for word in words:
        letter, _ = key_by_first_letter(word)
        accumulators[letter] = logic.add_input(accumulators.get(letter, logic.create_accumulator()), word)
    return {letter: logic.extract_output(acc) for letter, acc in accumulators.items()}


def format_average(letter: str, average: float, words: int) -> str:
    return f"{letter}: {average:.3f} ({words} {'word' if words == 1 else 'words'})"


def format_report(results: Iterable[tuple[str, tuple[float, int]]]) -> list[str]:
    """One line per letter, in alphabetical order."""
    return [format_average(letter, average, words) for letter, (average, words) in sorted(results)]


def report_text(results: list[tuple[str, tuple[float, int]]]) -> Iterator[str]:
    """The whole report as one element, so its line order survives the write; nothing when empty."""
    lines = format_report(results)
    if lines:
        yield "\n".join(lines)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="word_lengths.py",
        description="Computes the average length of the words starting with each letter (words "
        "lower-cased and split on non-letters) with a custom CombineFn, and writes "
        "'letter: average (N words)' lines in alphabetical order.",
        epilog=PIPELINE_OPTIONS_EPILOG,
        allow_abbrev=False,
    )
    parser.add_argument("--input", required=True, help="file or glob pattern to read, e.g. /data/persuasion.txt")
    parser.add_argument(
        "--output", required=True, help="output path prefix; one file <prefix>-00000-of-00001 is written"
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


def build_averages(lines):
    """(letter, (average length, word count)) pairs of a PCollection of lines."""
    beam = import_beam()
    return (
        lines
        | "Split" >> beam.FlatMap(tokenize)
        | "KeyByFirstLetter" >> beam.Map(key_by_first_letter)
        | "AverageLength" >> beam.CombinePerKey(average_length_fn())
    )


def build_report(lines):
    """The report of a PCollection of lines, as a single text element (none when empty)."""
    beam = import_beam()
    return (
        build_averages(lines)
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
        report = build_report(lines)
        report | "Write" >> beam.io.WriteToText(args.output, num_shards=1)


if __name__ == "__main__":
    logging.getLogger().setLevel(logging.INFO)
    run()
