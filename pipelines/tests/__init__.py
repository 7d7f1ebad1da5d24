"""Tests of the pipelines: run with `python3 -m unittest discover -s pipelines/tests` from the repository root."""
