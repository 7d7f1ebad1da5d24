"""SplitWords' pure logic and command line."""

import contextlib
import io
import sys
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
if str(PIPELINES) not in sys.path:
    sys.path.insert(0, str(PIPELINES))

import split_words  # noqa: E402


def parse_quietly(argv):
    stderr = io.StringIO()
    with contextlib.redirect_stderr(stderr):
        try:
            return split_words.parse_args(argv), stderr.getvalue()
        except SystemExit as stopped:
            return stopped, stderr.getvalue()


class SplitSentenceTests(unittest.TestCase):
    def test_splits_on_runs_of_whitespace_and_keeps_punctuation(self):
        self.assertEqual(split_words.split_sentence("  Hello,\tBeam  on Flink!\n"), ["Hello,", "Beam", "on", "Flink!"])

    def test_the_default_sentence_has_eleven_words(self):
        words = split_words.split_sentence(split_words.DEFAULT_SENTENCE)
        self.assertEqual(len(words), 11)
        self.assertEqual(words[:2], ["Apache", "Beam"])


class CommandLineTests(unittest.TestCase):
    def test_sentence_defaults_and_beam_flags_pass_through(self):
        (args, beam_args), _ = parse_quietly(["--output", "/outputs/s/words", "--runner=FlinkRunner"])
        self.assertEqual(args.sentence, split_words.DEFAULT_SENTENCE)
        self.assertEqual(args.output, "/outputs/s/words")
        self.assertEqual(beam_args, ["--runner=FlinkRunner"])

    def test_a_given_sentence_is_kept_verbatim(self):
        (args, _), _ = parse_quietly(["--output", "o", "--sentence", "a; b && c"])
        self.assertEqual(args.sentence, "a; b && c")

    def test_a_sentence_without_words_is_rejected(self):
        stopped, stderr = parse_quietly(["--output", "o", "--sentence", "   "])
        self.assertEqual(stopped.code, 2)
        self.assertIn("--sentence: the sentence is empty", stderr)

    def test_output_is_required(self):
        stopped, stderr = parse_quietly([])
        self.assertEqual(stopped.code, 2)
        self.assertIn("--output", stderr)


if __name__ == "__main__":
    unittest.main()
