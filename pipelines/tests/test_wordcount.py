"""WordCount's pure logic: tokenising, counting, sorting, formatting and its command line."""

import contextlib
import io
import sys
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
if str(PIPELINES) not in sys.path:
    sys.path.insert(0, str(PIPELINES))

import wordcount  # noqa: E402

try:
    from .sample_expectations import SAMPLE_COUNTS, WORDCOUNT_REPORT as SAMPLE_REPORT
except ImportError:  # discovered with tests/ itself as the top-level directory
    from sample_expectations import SAMPLE_COUNTS, WORDCOUNT_REPORT as SAMPLE_REPORT


def parse_quietly(argv):
    """parse_args, with argparse's usage message captured instead of printed."""
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        try:
            return wordcount.parse_args(argv), stderr.getvalue()
        except SystemExit as stopped:
            return stopped, stderr.getvalue()


class TokenizeTests(unittest.TestCase):
    def test_lowercases_and_splits_on_spaces_and_punctuation(self):
        self.assertEqual(wordcount.tokenize("The Quick, brown FOX!"), ["the", "quick", "brown", "fox"])

    def test_digits_and_underscores_split_words_and_vanish(self):
        self.assertEqual(wordcount.tokenize("abc_def 42 x9y 3rd"), ["abc", "def", "x", "y", "rd"])

    def test_apostrophes_and_hyphens_split_words(self):
        self.assertEqual(wordcount.tokenize("doesn't dog-eat-dog"), ["doesn", "t", "dog", "eat", "dog"])

    def test_letters_outside_ascii_are_letters(self):
        self.assertEqual(wordcount.tokenize("Café NAÏVE Straße"), ["café", "naïve", "straße"])

    def test_a_line_without_letters_has_no_words(self):
        self.assertEqual(wordcount.tokenize(""), [])
        self.assertEqual(wordcount.tokenize("  1814 -- ... ; 42\t"), [])


class CountingTests(unittest.TestCase):
    def test_counts_words_across_lines_case_insensitively(self):
        counts = wordcount.count_words(["A cat.", "a CAT and a dog"])
        self.assertEqual(dict(counts), {"a": 3, "cat": 2, "and": 1, "dog": 1})

    def test_sample_file_counts_are_the_known_ones(self):
        with open(PIPELINES / "data" / "sample.txt", encoding="utf-8") as sample:
            counts = wordcount.count_words(sample)
        self.assertEqual(dict(counts), SAMPLE_COUNTS)
        self.assertEqual(sum(counts.values()), 23)

    def test_sorts_by_count_descending_then_word(self):
        pairs = [("b", 2), ("c", 5), ("a", 2), ("d", 1), ("aa", 2)]
        self.assertEqual(wordcount.sort_counts(pairs), [("c", 5), ("a", 2), ("aa", 2), ("b", 2), ("d", 1)])

    def test_formats_a_count_as_word_colon_count(self):
        self.assertEqual(wordcount.format_count("persuasion", 12), "persuasion: 12")

    def test_report_of_the_sample_is_sorted_and_formatted(self):
        self.assertEqual(wordcount.format_report(SAMPLE_COUNTS.items()), SAMPLE_REPORT)

    def test_min_count_drops_rarer_words(self):
        self.assertEqual(wordcount.format_report(SAMPLE_COUNTS.items(), min_count=2), ["dog: 4", "the: 4", "fox: 2"])
        self.assertEqual(wordcount.format_report(SAMPLE_COUNTS.items(), min_count=5), [])

    def test_has_min_count_is_inclusive(self):
        self.assertTrue(wordcount.has_min_count(("fox", 2), 2))
        self.assertFalse(wordcount.has_min_count(("fox", 2), 3))

    def test_report_text_is_one_element_holding_every_line_in_order(self):
        self.assertEqual(list(wordcount.report_text([("b", 1), ("a", 3)])), ["a: 3\nb: 1"])

    def test_report_text_of_nothing_is_no_element(self):
        self.assertEqual(list(wordcount.report_text([])), [])


class CommandLineTests(unittest.TestCase):
    def test_own_flags_are_parsed_and_the_rest_kept_in_order_for_beam(self):
        (args, beam_args), _ = parse_quietly(
            ["--runner=PortableRunner", "--input", "/data/a.txt", "--job_endpoint", "localhost:8099",
             "--output", "/outputs/x/counts", "--min-count", "3", "--job_name=wordcount-1"])
        self.assertEqual((args.input, args.output, args.min_count), ("/data/a.txt", "/outputs/x/counts", 3))
        self.assertEqual(beam_args, ["--runner=PortableRunner", "--job_endpoint", "localhost:8099",
                                     "--job_name=wordcount-1"])

    def test_min_count_defaults_to_one(self):
        (args, _), _ = parse_quietly(["--input", "i", "--output", "o"])
        self.assertEqual(args.min_count, 1)

    def test_a_repeated_flag_keeps_its_last_value_so_extra_args_override_the_catalog(self):
        (args, _), _ = parse_quietly(["--input", "/data/persuasion.txt", "--output", "o", "--input", "/data/sample.txt"])
        self.assertEqual(args.input, "/data/sample.txt")

    def test_min_count_below_one_is_rejected_naming_the_value(self):
        stopped, stderr = parse_quietly(["--input", "i", "--output", "o", "--min-count", "0"])
        self.assertIsInstance(stopped, SystemExit)
        self.assertEqual(stopped.code, 2)
        self.assertIn("--min-count: 0 is too small; use an integer >= 1", stderr)

    def test_min_count_that_is_not_a_number_is_rejected_naming_the_value(self):
        stopped, stderr = parse_quietly(["--input", "i", "--output", "o", "--min-count", "many"])
        self.assertEqual(stopped.code, 2)
        self.assertIn("'many' is not a whole number", stderr)

    def test_input_and_output_are_required(self):
        stopped, stderr = parse_quietly(["--input", "i"])
        self.assertEqual(stopped.code, 2)
        self.assertIn("--output", stderr)

    def test_abbreviations_are_not_taken_as_own_flags(self):
        (args, beam_args), _ = parse_quietly(["--input", "i", "--output", "o", "--min", "3"])
        self.assertEqual(args.min_count, 1)
        self.assertEqual(beam_args, ["--min", "3"])


if __name__ == "__main__":
    unittest.main()
