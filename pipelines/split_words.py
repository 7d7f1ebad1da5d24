#!/usr/bin/env python3
"""SplitWords: creates one sentence, splits it into words and writes them, one word a line.

The smallest pipeline that still crosses every part of the portable path (job server, Flink,
SDK worker, shared output folder), so it is the first thing to run against a new cluster.
Its own flags are parsed here; every other flag goes to Beam's PipelineOptions.

Self-contained on purpose, like the other pipelines: this file runs as `__main__`, whose
functions Beam ships to the SDK workers by value (cloudpickle on Python >= 3.11, dill with
`save_main_session` on 3.10); a helper module beside it would not exist in the workers.
apache_beam is imported only when the pipeline is built, so `--help` works without it.
"""

import argparse
import logging
import sys
from pathlib import Path

DEFAULT_SENTENCE = "Apache Beam runs this Python pipeline on an Apache Flink cluster"

PIPELINE_OPTIONS_EPILOG = (
    "Every other flag is passed to Beam's PipelineOptions, for example --runner=DirectRunner, "
    "--runner=PortableRunner --job_endpoint=localhost:8099 --environment_type=EXTERNAL "
    "--environment_config=localhost:50000, or --runner=FlinkRunner --flink_master=localhost:8081; "
    "also --job_name and --parallelism. Under a portable runner, --output is a path inside the "
    "TaskManager containers (e.g. /outputs/...)."
)


def split_sentence(sentence: str) -> list[str]:
    """Words are what lies between runs of whitespace; punctuation stays attached."""
    return sentence.split()


def sentence_with_words(text: str) -> str:
    if not split_sentence(text):
        raise argparse.ArgumentTypeError("the sentence is empty; give at least one word")
    return text


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="split_words.py",
        description="Creates one sentence, splits it into words and writes them, one word a line.",
        epilog=PIPELINE_OPTIONS_EPILOG,
        allow_abbrev=False,
    )
    parser.add_argument(
        "--sentence",
        type=sentence_with_words,
        default=DEFAULT_SENTENCE,
        help=f"the sentence to split (default: '{DEFAULT_SENTENCE}')",
    )
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


def build_words(pipeline, sentence: str):
    """A PCollection of the sentence's words."""
    beam = import_beam()
    return (
        pipeline
        | "CreateSentence" >> beam.Create([sentence])
        | "SplitWords" >> beam.FlatMap(split_sentence)
    )


def run(argv: list[str] | None = None, save_main_session: bool = True) -> None:
    args, beam_args = parse_args(argv)
    beam = import_beam()
    from apache_beam.options.pipeline_options import PipelineOptions, SetupOptions

    options = PipelineOptions(beam_args)
    options.view_as(SetupOptions).save_main_session = save_main_session
    with beam.Pipeline(options=options) as pipeline:
        words = build_words(pipeline, args.sentence)
        words | "Write" >> beam.io.WriteToText(args.output, num_shards=1)


if __name__ == "__main__":
    logging.getLogger().setLevel(logging.INFO)
    run()
