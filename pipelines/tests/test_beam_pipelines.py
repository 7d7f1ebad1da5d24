"""The pipelines on Beam's DirectRunner: TestPipeline + assert_that, and each script's run() end to end.

Skipped, with the reason, where apache_beam cannot be imported (install pipelines/requirements.txt).
"""

import glob
import sys
import tempfile
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
if str(PIPELINES) not in sys.path:
    sys.path.insert(0, str(PIPELINES))

import split_words  # noqa: E402
import word_lengths  # noqa: E402
import wordcount  # noqa: E402

try:
    from .sample_expectations import SAMPLE_COUNTS, WORD_LENGTHS_REPORT, WORDCOUNT_REPORT, letter_averages
except ImportError:  # discovered with tests/ itself as the top-level directory
    from sample_expectations import SAMPLE_COUNTS, WORD_LENGTHS_REPORT, WORDCOUNT_REPORT, letter_averages

try:
    import apache_beam as beam
    from apache_beam.internal import pickler
    from apache_beam.testing.test_pipeline import TestPipeline
    from apache_beam.testing.util import assert_that, equal_to

    BEAM_MISSING = None
except ImportError as error:
    BEAM_MISSING = (f"apache_beam cannot be imported ({error}); "
                    "install pipelines/requirements.txt to run the Beam pipeline tests")

SAMPLE = PIPELINES / "data" / "sample.txt"
PERSUASION = PIPELINES / "data" / "persuasion.txt"


def lines_of(path):
    return path.read_text(encoding="utf-8").splitlines()


class OutputFolder:
    """A temporary folder, and the single file a run wrote under an output prefix in it."""

    def __init__(self, test):
        temp = tempfile.TemporaryDirectory()
        test.addCleanup(temp.cleanup)
        self.path = Path(temp.name)
        self.test = test

    def prefix(self, name):
        return str(self.path / name)

    def written_lines(self, name):
        files = sorted(glob.glob(self.prefix(name) + "-*"))
        self.test.assertEqual([Path(f).name for f in files], [f"{name}-00000-of-00001"])
        return Path(files[0]).read_text(encoding="utf-8").splitlines()


@unittest.skipIf(BEAM_MISSING, BEAM_MISSING or "")
class WordCountPipelineTests(unittest.TestCase):
    def test_counts_the_sample_lines(self):
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create(lines_of(SAMPLE))
            assert_that(wordcount.build_counts(lines), equal_to(list(SAMPLE_COUNTS.items())))

    def test_report_applies_min_count_and_keeps_the_sorted_order(self):
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create(lines_of(SAMPLE))
            assert_that(wordcount.build_report(lines, min_count=2), equal_to(["dog: 4\nthe: 4\nfox: 2"]))

    def test_no_input_gives_no_report(self):
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create([]).with_output_types(str)
            assert_that(wordcount.build_report(lines), equal_to([]))

    def test_counts_of_the_whole_text_match_the_single_process_count(self):
        expected = wordcount.count_words(lines_of(PERSUASION))
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create(lines_of(PERSUASION))
            assert_that(wordcount.build_counts(lines), equal_to(list(expected.items())))

    def test_run_reads_a_glob_and_writes_one_sorted_file(self):
        out = OutputFolder(self)
        wordcount.run(["--input", str(SAMPLE.parent / "sample.*"), "--output", out.prefix("counts"),
                       "--runner=DirectRunner"], save_main_session=False)
        self.assertEqual(out.written_lines("counts"), WORDCOUNT_REPORT)


@unittest.skipIf(BEAM_MISSING, BEAM_MISSING or "")
class SplitWordsPipelineTests(unittest.TestCase):
    def test_splits_the_sentence_into_words(self):
        with TestPipeline() as pipeline:
            assert_that(split_words.build_words(pipeline, "to be, or not to be"),
                        equal_to(["to", "be,", "or", "not", "to", "be"]))

    def test_run_writes_every_word_of_the_sentence(self):
        out = OutputFolder(self)
        split_words.run(["--sentence", "Beam on Flink on Beam", "--output", out.prefix("words"),
                         "--runner=DirectRunner"], save_main_session=False)
        self.assertEqual(sorted(out.written_lines("words")), ["Beam", "Beam", "Flink", "on", "on"])


@unittest.skipIf(BEAM_MISSING, BEAM_MISSING or "")
class WordLengthsPipelineTests(unittest.TestCase):
    def test_the_combine_fn_is_a_beam_combine_fn_that_survives_beams_pickler(self):
        combine_fn = pickler.loads(pickler.dumps(word_lengths.average_length_fn()))
        self.assertIsInstance(combine_fn, beam.CombineFn)
        accumulator = combine_fn.add_input(combine_fn.create_accumulator(), "anne")
        merged = combine_fn.merge_accumulators([accumulator, combine_fn.add_input(combine_fn.create_accumulator(), "at")])
        self.assertEqual(combine_fn.extract_output(merged), (3.0, 2))

    def test_combines_globally_too(self):
        with TestPipeline() as pipeline:
            words = pipeline | beam.Create(["ab", "abcd", "abcdef"])
            assert_that(words | beam.CombineGlobally(word_lengths.average_length_fn()), equal_to([(4.0, 3)]))

    def test_averages_per_first_letter_of_the_sample(self):
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create(lines_of(SAMPLE))
            assert_that(word_lengths.build_averages(lines), equal_to(list(letter_averages().items())))

    def test_report_of_the_sample(self):
        with TestPipeline() as pipeline:
            lines = pipeline | beam.Create(lines_of(SAMPLE))
            assert_that(word_lengths.build_report(lines), equal_to(["\n".join(WORD_LENGTHS_REPORT)]))

    def test_run_writes_the_report(self):
        out = OutputFolder(self)
        word_lengths.run(["--input", str(SAMPLE), "--output", out.prefix("averages"), "--runner=DirectRunner"],
                         save_main_session=False)
        self.assertEqual(out.written_lines("averages"), WORD_LENGTHS_REPORT)


if __name__ == "__main__":
    unittest.main()
