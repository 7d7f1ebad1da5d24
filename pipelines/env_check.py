#!/usr/bin/env python3
"""Reports this interpreter's Python version and apache_beam version as one JSON line.

    python3 env_check.py [--expect-beam 2.77.0] [--expect-python 3.12]

Expectations can also come from EXPECTED_BEAM_VERSION and EXPECTED_PYTHON_VERSION; a flag wins
over its variable. Stdout is exactly one JSON object:
    {"python_version": "3.12.4", "python_minor": "3.12", "apache_beam_version": "2.77.0" or null,
     "ok": true|false, "problems": ["..."]}
Exit code: 0 when ok, 1 when a problem was found (apache_beam missing or broken, or a version
differing from the expected one), 2 for bad arguments. Without expectations, ok means that
apache_beam imports. The client's Beam release must equal the cluster's and its Python minor the
SDK workers', otherwise pipelines fail with pickling errors in the workers.
"""

import argparse
import contextlib
import json
import os
import platform
import re
import sys

BEAM_ENV = "EXPECTED_BEAM_VERSION"
PYTHON_ENV = "EXPECTED_PYTHON_VERSION"
# Run as a file, the requirements beside it; fed on standard input (as the Submitter does), the working directory's.
REQUIREMENTS = os.path.join(os.path.dirname(os.path.abspath(globals().get("__file__", "<stdin>"))), "requirements.txt")

_BEAM_VERSION = re.compile(r"^\d+\.\d+\.\d+(?:[.+-]?[0-9A-Za-z]+)*$")
_PYTHON_MINOR = re.compile(r"^\d+\.\d+$")


class BadExpectation(ValueError):
    pass


def beam_version(text: str) -> str:
    text = text.strip()
    if not _BEAM_VERSION.match(text):
        raise BadExpectation(f"'{text}' is not a Beam release; use a full version such as 2.77.0")
    return text


def python_minor(text: str) -> str:
    text = text.strip()
    if not _PYTHON_MINOR.match(text):
        raise BadExpectation(f"'{text}' is not a Python minor version; use MAJOR.MINOR such as 3.12")
    return text


def _argparse_type(validate):
    def convert(text: str) -> str:
        try:
            return validate(text)
        except BadExpectation as error:
            raise argparse.ArgumentTypeError(str(error)) from None

    return convert


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="env_check.py",
        description="Prints this interpreter's Python version and apache_beam version as one JSON line "
        "and exits 1 when apache_beam is missing or a version differs from the expected one.",
        epilog=f"Expectations may also be given as {BEAM_ENV} and {PYTHON_ENV}; a flag wins over its "
        "variable. Exit codes: 0 ok, 1 problem found, 2 bad arguments.",
        allow_abbrev=False,
    )
    parser.add_argument(
        "--expect-beam", type=_argparse_type(beam_version), metavar="VERSION",
        help=f"the apache-beam release required, e.g. 2.77.0 (default: ${BEAM_ENV})",
    )
    parser.add_argument(
        "--expect-python", type=_argparse_type(python_minor), metavar="MAJOR.MINOR",
        help=f"the Python minor version required, e.g. 3.12 (default: ${PYTHON_ENV})",
    )
    return parser


def expectation_from_env(name: str, validate) -> str | None:
    """The variable's value checked like its flag; unset or blank means no expectation."""
    raw = os.environ.get(name, "")
    if not raw.strip():
        return None
    try:
        return validate(raw)
    except BadExpectation as error:
        raise BadExpectation(f"{name}: {error}") from None


def probe_beam(expect_beam: str | None) -> tuple[str | None, str | None]:
    """(apache_beam.__version__, problem); anything apache_beam prints while importing goes to stderr."""
    try:
        with contextlib.redirect_stdout(sys.stderr):
            import apache_beam
    except Exception as error:  # a broken install can fail in many ways: report it, never crash
        if isinstance(error, ModuleNotFoundError) and error.name == "apache_beam":
            wanted = f"apache-beam=={expect_beam}" if expect_beam else f"-r {REQUIREMENTS}"
            return None, (
                f"apache_beam is not installed for {sys.executable}; "
                f"install it with: {sys.executable} -m pip install {wanted}"
            )
        return None, f"importing apache_beam failed in {sys.executable}: {type(error).__name__}: {error}"
    version = getattr(apache_beam, "__version__", None)
    if not isinstance(version, str) or not version:
        location = getattr(apache_beam, "__file__", None) or "an unknown location"
        return None, f"apache_beam imported from {location} but reports no __version__; reinstall apache-beam"
    return version, None


def check(expect_beam: str | None, expect_python: str | None) -> dict:
    info = sys.version_info
    minor = f"{info.major}.{info.minor}"
    problems = []

    version, problem = probe_beam(expect_beam)
    if problem:
        problems.append(problem)
    elif expect_beam is not None and version != expect_beam:
        problems.append(
            f"apache-beam {version} is installed but {expect_beam} is expected (the cluster's Beam release); "
            f"install it with: {sys.executable} -m pip install apache-beam=={expect_beam}"
        )

    if expect_python is not None and minor != expect_python:
        problems.append(
            f"Python {minor} ({sys.executable}) is running but Python {expect_python} is expected "
            f"(the SDK workers' Python); use a Python {expect_python} interpreter"
        )

    return {
        "python_version": platform.python_version(),
        "python_minor": minor,
        "apache_beam_version": version,
        "ok": not problems,
        "problems": problems,
    }


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        expect_beam = args.expect_beam or expectation_from_env(BEAM_ENV, beam_version)
        expect_python = args.expect_python or expectation_from_env(PYTHON_ENV, python_minor)
    except BadExpectation as error:
        parser.error(str(error))
    report = check(expect_beam, expect_python)
    print(json.dumps(report), flush=True)
    return 0 if report["ok"] else 1


if __name__ == "__main__":
    sys.exit(main())
