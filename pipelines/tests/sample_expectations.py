"""What the pipelines must produce from data/sample.txt, worked out by hand (not by the code under test)."""

SAMPLE_COUNTS = {
    "the": 4, "dog": 4, "fox": 2, "quick": 1, "brown": 1, "jumps": 1, "over": 1, "lazy": 1,
    "barks": 1, "doesn": 1, "t": 1, "care": 1, "eat": 1, "dogs": 1, "foxes": 1, "café": 1,
}

WORDCOUNT_REPORT = [
    "dog: 4", "the: 4", "fox: 2", "barks: 1", "brown: 1", "café: 1", "care: 1", "doesn: 1", "dogs: 1",
    "eat: 1", "foxes: 1", "jumps: 1", "lazy: 1", "over: 1", "quick: 1", "t: 1",
]

# letter -> (total letters, words)
LETTER_TOTALS = {
    "b": (10, 2), "c": (8, 2), "d": (21, 6), "e": (3, 1), "f": (11, 3),
    "j": (5, 1), "l": (4, 1), "o": (4, 1), "q": (5, 1), "t": (13, 5),
}

WORD_LENGTHS_REPORT = [
    "b: 5.000 (2 words)", "c: 4.000 (2 words)", "d: 3.500 (6 words)", "e: 3.000 (1 word)", "f: 3.667 (3 words)",
    "j: 5.000 (1 word)", "l: 4.000 (1 word)", "o: 4.000 (1 word)", "q: 5.000 (1 word)", "t: 2.600 (5 words)",
]


def letter_averages():
    """letter -> (average length, words), computed the way the combine function must."""
    return {letter: (letters / words, words) for letter, (letters, words) in LETTER_TOTALS.items()}
