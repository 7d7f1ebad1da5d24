"""env_check.py run as a real process against fake apache_beam packages put first on PYTHONPATH."""

import json
import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

ENV_CHECK = Path(__file__).resolve().parent.parent / "env_check.py"
RUNNING_MINOR = f"{sys.version_info.major}.{sys.version_info.minor}"
OTHER_MINOR = f"{sys.version_info.major}.{sys.version_info.minor + 1}"
KEYS = ["python_version", "python_minor", "apache_beam_version", "ok", "problems"]


class EnvCheckTests(unittest.TestCase):
    def setUp(self):
        self._temp = tempfile.TemporaryDirectory()
        self.addCleanup(self._temp.cleanup)
        self.fake_path = Path(self._temp.name)

    def fake_beam(self, source):
        package = self.fake_path / "apache_beam"
        package.mkdir()
        (package / "__init__.py").write_text(source, encoding="utf-8")

    def run_check(self, *args, env=None, no_site=False):
        environment = {k: v for k, v in os.environ.items()
                       if k not in ("EXPECTED_BEAM_VERSION", "EXPECTED_PYTHON_VERSION", "PYTHONPATH")}
        environment["PYTHONPATH"] = str(self.fake_path)
        environment.update(env or {})
        # -S leaves site-packages out, so an apache_beam installed on this machine cannot be found.
        interpreter = [sys.executable, "-S"] if no_site else [sys.executable]
        return subprocess.run([*interpreter, str(ENV_CHECK), *args], env=environment,
                              capture_output=True, text=True, timeout=60)

    def report(self, completed):
        lines = completed.stdout.splitlines()
        self.assertEqual(len(lines), 1, f"stdout must be one JSON line, was: {completed.stdout!r}")
        report = json.loads(lines[0])
        self.assertEqual(list(report), KEYS)
        return report

    def test_matching_versions_are_ok(self):
        self.fake_beam('__version__ = "2.77.0"\n')
        completed = self.run_check("--expect-beam", "2.77.0", "--expect-python", RUNNING_MINOR)
        self.assertEqual(completed.returncode, 0, completed.stderr)
        report = self.report(completed)
        self.assertEqual(report["apache_beam_version"], "2.77.0")
        self.assertEqual(report["python_minor"], RUNNING_MINOR)
        self.assertTrue(report["python_version"].startswith(RUNNING_MINOR + "."))
        self.assertTrue(report["ok"])
        self.assertEqual(report["problems"], [])

    def test_without_expectations_an_importable_apache_beam_is_ok(self):
        self.fake_beam('__version__ = "2.60.0"\n')
        completed = self.run_check()
        self.assertEqual(completed.returncode, 0, completed.stderr)
        self.assertEqual(self.report(completed)["apache_beam_version"], "2.60.0")

    def test_a_different_beam_version_is_a_problem_naming_both_versions(self):
        self.fake_beam('__version__ = "2.76.0"\n')
        completed = self.run_check("--expect-beam", "2.77.0")
        self.assertEqual(completed.returncode, 1)
        report = self.report(completed)
        self.assertFalse(report["ok"])
        self.assertEqual(report["apache_beam_version"], "2.76.0")
        self.assertEqual(len(report["problems"]), 1)
        self.assertIn("apache-beam 2.76.0 is installed but 2.77.0 is expected", report["problems"][0])

    def test_missing_apache_beam_is_a_problem_with_a_null_version(self):
        completed = self.run_check("--expect-beam", "2.77.0", no_site=True)
        self.assertEqual(completed.returncode, 1)
        report = self.report(completed)
        self.assertIsNone(report["apache_beam_version"])
        self.assertFalse(report["ok"])
        self.assertIn("apache_beam is not installed", report["problems"][0])
        self.assertIn("pip install apache-beam==2.77.0", report["problems"][0])

    def test_a_different_python_minor_is_a_problem_naming_both(self):
        self.fake_beam('__version__ = "2.77.0"\n')
        completed = self.run_check("--expect-python", OTHER_MINOR)
        self.assertEqual(completed.returncode, 1)
        report = self.report(completed)
        self.assertEqual(report["problems"], [report["problems"][0]])
        self.assertIn(f"Python {RUNNING_MINOR}", report["problems"][0])
        self.assertIn(f"Python {OTHER_MINOR} is expected", report["problems"][0])

    def test_every_problem_is_reported_at_once(self):
        self.fake_beam('__version__ = "2.76.0"\n')
        completed = self.run_check("--expect-beam", "2.77.0", "--expect-python", OTHER_MINOR)
        self.assertEqual(completed.returncode, 1)
        self.assertEqual(len(self.report(completed)["problems"]), 2)

    def test_expectations_come_from_the_environment(self):
        self.fake_beam('__version__ = "2.77.0"\n')
        completed = self.run_check(env={"EXPECTED_BEAM_VERSION": "2.78.0", "EXPECTED_PYTHON_VERSION": RUNNING_MINOR})
        self.assertEqual(completed.returncode, 1)
        self.assertIn("2.78.0 is expected", self.report(completed)["problems"][0])

    def test_flags_win_over_the_environment(self):
        self.fake_beam('__version__ = "2.77.0"\n')
        completed = self.run_check("--expect-beam", "2.77.0", "--expect-python", RUNNING_MINOR,
                                   env={"EXPECTED_BEAM_VERSION": "2.78.0", "EXPECTED_PYTHON_VERSION": OTHER_MINOR})
        self.assertEqual(completed.returncode, 0, completed.stdout)
        self.assertTrue(self.report(completed)["ok"])

    def test_blank_environment_variables_are_no_expectation(self):
        self.fake_beam('__version__ = "2.50.0"\n')
        completed = self.run_check(env={"EXPECTED_BEAM_VERSION": " ", "EXPECTED_PYTHON_VERSION": ""})
        self.assertEqual(completed.returncode, 0, completed.stdout)

    def test_an_unknown_flag_exits_2_without_a_report(self):
        self.fake_beam('__version__ = "2.77.0"\n')
        completed = self.run_check("--expect-flink", "1.20")
        self.assertEqual(completed.returncode, 2)
        self.assertEqual(completed.stdout, "")
        self.assertIn("unrecognized arguments: --expect-flink", completed.stderr)

    def test_a_malformed_expected_python_exits_2_naming_the_value(self):
        completed = self.run_check("--expect-python", "3.12.1")
        self.assertEqual(completed.returncode, 2)
        self.assertEqual(completed.stdout, "")
        self.assertIn("'3.12.1' is not a Python minor version", completed.stderr)

    def test_a_malformed_expected_beam_exits_2_naming_the_value(self):
        completed = self.run_check("--expect-beam", "latest")
        self.assertEqual(completed.returncode, 2)
        self.assertIn("'latest' is not a Beam release", completed.stderr)

    def test_a_malformed_environment_variable_exits_2_naming_the_variable(self):
        completed = self.run_check(env={"EXPECTED_PYTHON_VERSION": "three"})
        self.assertEqual(completed.returncode, 2)
        self.assertIn("EXPECTED_PYTHON_VERSION: 'three' is not a Python minor version", completed.stderr)

    def test_an_apache_beam_without_version_is_a_problem(self):
        self.fake_beam("")
        completed = self.run_check()
        self.assertEqual(completed.returncode, 1)
        report = self.report(completed)
        self.assertIsNone(report["apache_beam_version"])
        self.assertIn("reports no __version__", report["problems"][0])

    def test_an_apache_beam_that_fails_to_import_is_a_problem_naming_the_error(self):
        self.fake_beam('import grpc_that_is_not_there\n')
        completed = self.run_check()
        self.assertEqual(completed.returncode, 1)
        problem = self.report(completed)["problems"][0]
        self.assertIn("importing apache_beam failed", problem)
        self.assertIn("grpc_that_is_not_there", problem)

    def test_output_printed_while_importing_apache_beam_stays_off_stdout(self):
        self.fake_beam('print("noisy import")\n__version__ = "2.77.0"\n')
        completed = self.run_check("--expect-beam", "2.77.0")
        self.assertEqual(completed.returncode, 0)
        self.assertTrue(self.report(completed)["ok"])
        self.assertIn("noisy import", completed.stderr)


if __name__ == "__main__":
    unittest.main()
