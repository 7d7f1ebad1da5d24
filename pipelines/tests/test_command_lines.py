"""Every script as a real process: --help without apache_beam, usage errors, and a clear error when Beam is missing."""

import os
import subprocess
import sys
import tempfile
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
PIPELINE_SCRIPTS = {
    "wordcount.py": ["--input", "data/sample.txt", "--output", "out/counts"],
    "split_words.py": ["--output", "out/words"],
    "word_lengths.py": ["--input", "data/sample.txt", "--output", "out/averages"],
}
SCRIPTS = [*PIPELINE_SCRIPTS, "env_check.py"]


class CommandLineTests(unittest.TestCase):
    def setUp(self):
        temp = tempfile.TemporaryDirectory()
        self.addCleanup(temp.cleanup)
        self.temp = Path(temp.name)

    def fake_beam(self, source):
        """An apache_beam package first on PYTHONPATH, hiding any installed one."""
        package = self.temp / "fake" / "apache_beam"
        package.mkdir(parents=True)
        (package / "__init__.py").write_text(source, encoding="utf-8")
        return str(package.parent)

    def run_script(self, script, *args, python_path):
        environment = dict(os.environ, PYTHONPATH=python_path)
        return subprocess.run([sys.executable, str(PIPELINES / script), *args], cwd=PIPELINES, env=environment,
                              capture_output=True, text=True, timeout=60)

    def test_help_exits_0_without_importing_apache_beam(self):
        tripwire = self.fake_beam('raise RuntimeError("apache_beam was imported while printing --help")\n')
        for script in SCRIPTS:
            with self.subTest(script=script):
                completed = self.run_script(script, "--help", python_path=tripwire)
                self.assertEqual(completed.returncode, 0, completed.stderr)
                self.assertIn("usage:", completed.stdout)
                self.assertEqual(completed.stderr, "")

    def test_pipeline_help_says_other_flags_go_to_pipeline_options(self):
        for script in PIPELINE_SCRIPTS:
            with self.subTest(script=script):
                completed = self.run_script(script, "--help", python_path="")
                self.assertEqual(completed.returncode, 0, completed.stderr)
                self.assertIn("PipelineOptions", completed.stdout)
                self.assertIn("--runner=PortableRunner", completed.stdout)

    def test_missing_required_flags_exit_2_naming_them(self):
        for script in ("wordcount.py", "word_lengths.py"):
            with self.subTest(script=script):
                completed = self.run_script(script, "--runner=DirectRunner", python_path="")
                self.assertEqual(completed.returncode, 2)
                self.assertIn("the following arguments are required: --input, --output", completed.stderr)

    def test_running_without_apache_beam_exits_1_saying_how_to_install_it(self):
        missing = self.fake_beam(
            'raise ModuleNotFoundError("No module named \'apache_beam\'", name="apache_beam")\n')
        for script, args in PIPELINE_SCRIPTS.items():
            with self.subTest(script=script):
                completed = self.run_script(script, *args, python_path=missing)
                self.assertEqual(completed.returncode, 1)
                self.assertIn(f"{script}: cannot run the pipeline: apache_beam does not import", completed.stderr)
                self.assertIn(f"-m pip install -r {PIPELINES / 'requirements.txt'}", completed.stderr)
                self.assertFalse((PIPELINES / "out").exists())

    def test_the_combine_fn_needs_apache_beam_only_when_it_is_built(self):
        missing = self.fake_beam(
            'raise ModuleNotFoundError("No module named \'apache_beam\'", name="apache_beam")\n')
        code = ("import word_lengths\n"
                "assert word_lengths.AverageLengthFn is None\n"
                "print(word_lengths.LengthAverage().extract_output((9, 2)))\n"
                "word_lengths.average_length_fn()\n")
        environment = dict(os.environ, PYTHONPATH=os.pathsep.join([missing, str(PIPELINES)]))
        completed = subprocess.run([sys.executable, "-c", code], env=environment, capture_output=True, text=True,
                                   timeout=60)
        self.assertEqual(completed.stdout, "(4.5, 2)\n")
        self.assertEqual(completed.returncode, 1)
        self.assertIn("apache_beam does not import", completed.stderr)


if __name__ == "__main__":
    unittest.main()
