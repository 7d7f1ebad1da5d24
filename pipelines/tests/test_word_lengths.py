"""WordLengths' pure logic: the combine logic its CombineFn runs in the SDK workers, and the report."""

import sys
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
if str(PIPELINES) not in sys.path:
    sys.path.insert(0, str(PIPELINES))

import word_lengths  # noqa: E402

try:
    from .sample_expectations import LETTER_TOTALS, WORD_LENGTHS_REPORT, letter_averages
except ImportError:  # discovered with tests/ itself as the top-level directory
    from sample_expectations import LETTER_TOTALS, WORD_LENGTHS_REPORT, letter_averages


def sample_words():
    with open(PIPELINES / "data" / "sample.txt", encoding="utf-8") as sample:
        return [word for line in sample for word in word_lengths.tokenize(line)]


class LengthAverageTests(unittest.TestCase):
    def setUp(self):
        self.logic = word_lengths.LengthAverage()

    def test_a_new_accumulator_is_empty(self):
        self.assertEqual(self.logic.create_accumulator(), (0, 0))

    def test_add_input_adds_the_word_length_and_one_word(self):
        accumulator = self.logic.add_input(self.logic.create_accumulator(), "anne")
        accumulator = self.logic.add_input(accumulator, "at")
        self.assertEqual(accumulator, (6, 2))

    def test_merge_sums_accumulators_including_empty_ones_and_accepts_a_generator(self):
        parts = [(6, 2), (0, 0), (11, 3)]
        self.assertEqual(self.logic.merge_accumulators(part for part in parts), (17, 5))
        self.assertEqual(self.logic.merge_accumulators([]), (0, 0))

    def test_extract_output_is_the_average_and_the_word_count(self):
        self.assertEqual(self.logic.extract_output((21, 6)), (3.5, 6))

    def test_extract_output_of_an_empty_accumulator_is_zero_words(self):
        self.assertEqual(self.logic.extract_output(self.logic.create_accumulator()), (0.0, 0))

    def test_any_split_of_the_input_merges_into_the_single_pass_result(self):
        words = sample_words()
        single = self.logic.create_accumulator()
        for word in words:
            single = self.logic.add_input(single, word)
        for parts in (1, 2, 3, 7, len(words)):
            partials = []
            for start in range(parts):
                accumulator = self.logic.create_accumulator()
                for word in words[start::parts]:
                    accumulator = self.logic.add_input(accumulator, word)
                partials.append(accumulator)
            with self.subTest(parts=parts):
                self.assertEqual(self.logic.merge_accumulators(partials), single)
        self.assertEqual(single, tuple(map(sum, zip(*LETTER_TOTALS.values()))))
        self.assertEqual(single, (84, 23))


class ReportTests(unittest.TestCase):
    def test_words_are_keyed_by_their_first_letter(self):
        self.assertEqual(word_lengths.key_by_first_letter("wentworth"), ("w", "wentworth"))

    def test_tokenising_matches_wordcount(self):
        self.assertEqual(word_lengths.tokenize("Dog-eat-dog: 3 dogs, CAFÉ"), ["dog", "eat", "dog", "dogs", "café"])

    def test_sample_averages_are_the_known_ones(self):
        self.assertEqual(word_lengths.average_lengths(sample_words()), letter_averages())

    def test_sample_report_is_alphabetical_with_three_decimals(self):
        results = word_lengths.average_lengths(sample_words())
        self.assertEqual(word_lengths.format_report(results.items()), WORD_LENGTHS_REPORT)

    def test_format_average_rounds_and_says_word_or_words(self):
        self.assertEqual(word_lengths.format_average("x", 2 / 3, 1), "x: 0.667 (1 word)")
        self.assertEqual(word_lengths.format_average("y", 10.0, 12), "y: 10.000 (12 words)")

    def test_report_text_is_one_element_or_none(self):
        self.assertEqual(list(word_lengths.report_text([("b", (2.0, 1)), ("a", (1.5, 2))])),
                         ["a: 1.500 (2 words)\nb: 2.000 (1 word)"])
        self.assertEqual(list(word_lengths.report_text([])), [])


if __name__ == "__main__":
    unittest.main()
