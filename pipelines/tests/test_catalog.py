"""catalog.json: the format the Submitter reads, and agreement with the scripts and data beside it."""

import contextlib
import importlib
import io
import json
import re
import sys
import unittest
from pathlib import Path

PIPELINES = Path(__file__).resolve().parent.parent
if str(PIPELINES) not in sys.path:
    sys.path.insert(0, str(PIPELINES))

ALLOWED_FIELDS = {"name", "script", "description", "args", "parallelism"}
REQUIRED_FIELDS = {"name", "script", "args", "parallelism"}
NOT_PIPELINES = {"env_check.py"}


def load_catalog():
    with open(PIPELINES / "catalog.json", encoding="utf-8") as catalog:
        return json.load(catalog)


class CatalogTests(unittest.TestCase):
    def setUp(self):
        self.catalog = load_catalog()
        self.entries = self.catalog["pipelines"]

    def test_is_an_object_holding_only_a_non_empty_pipelines_list(self):
        self.assertEqual(list(self.catalog), ["pipelines"])
        self.assertIsInstance(self.entries, list)
        self.assertTrue(self.entries)

    def test_entries_have_the_required_fields_with_their_types_and_no_others(self):
        for entry in self.entries:
            with self.subTest(entry=entry.get("name")):
                self.assertLessEqual(set(entry), ALLOWED_FIELDS)
                self.assertLessEqual(REQUIRED_FIELDS, set(entry))
                self.assertIsInstance(entry["name"], str)
                self.assertIsInstance(entry["script"], str)
                self.assertIsInstance(entry.get("description", ""), str)
                self.assertTrue(all(isinstance(arg, str) for arg in entry["args"]))
                self.assertIs(type(entry["parallelism"]), int)
                self.assertGreaterEqual(entry["parallelism"], 1)

    def test_names_are_unique_lowercase_job_name_prefixes(self):
        names = [entry["name"] for entry in self.entries]
        self.assertEqual(len(names), len(set(names)))
        for name in names:
            self.assertRegex(name, r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")

    def test_scripts_exist_inside_the_catalog_folder(self):
        for entry in self.entries:
            with self.subTest(script=entry["script"]):
                script = (PIPELINES / entry["script"]).resolve()
                self.assertTrue(script.is_file(), f"{script} does not exist")
                self.assertEqual(script.parent, PIPELINES)

    def test_every_pipeline_script_is_catalogued(self):
        scripts = {path.name for path in PIPELINES.glob("*.py")} - NOT_PIPELINES
        self.assertEqual(scripts, {entry["script"] for entry in self.entries})

    def test_container_paths_are_sample_data_or_this_runs_output_folder(self):
        for entry in self.entries:
            for arg in entry["args"]:
                if not arg.startswith("/"):
                    continue
                with self.subTest(pipeline=entry["name"], arg=arg):
                    if arg.startswith("/data/"):
                        self.assertTrue((PIPELINES / "data" / arg[len("/data/"):]).is_file(), f"{arg} is not in data/")
                    else:
                        self.assertRegex(arg, rf"^/outputs/{re.escape(entry['name'])}/\{{runId\}}/[^/]+$")

    def test_catalog_args_are_accepted_by_each_script_once_run_id_is_substituted(self):
        for entry in self.entries:
            with self.subTest(pipeline=entry["name"]):
                module = importlib.import_module(Path(entry["script"]).stem)
                args = [arg.replace("{runId}", "0123abcd").replace("{jobName}", "job-0123") for arg in entry["args"]]
                with contextlib.redirect_stderr(io.StringIO()):
                    own, beam_args = module.parse_args(args)
                self.assertEqual(beam_args, [], "catalog args must all be the script's own flags")
                self.assertTrue(own.output.startswith(f"/outputs/{entry['name']}/0123abcd/"))


class SampleDataTests(unittest.TestCase):
    def test_the_public_domain_text_is_a_few_hundred_kilobytes_of_utf8_with_its_header(self):
        text_path = PIPELINES / "data" / "persuasion.txt"
        self.assertTrue(200_000 <= text_path.stat().st_size <= 1_000_000)
        text = text_path.read_text(encoding="utf-8")
        header = text[:600]
        self.assertIn("Persuasion, by Jane Austen", header)
        self.assertIn("Public domain", header)

    def test_the_text_is_counted_into_a_real_vocabulary(self):
        import wordcount

        with open(PIPELINES / "data" / "persuasion.txt", encoding="utf-8") as text:
            counts = wordcount.count_words(text)
        self.assertGreater(len(counts), 5000)
        self.assertEqual(counts.most_common(1)[0][0], "the")
        self.assertGreater(counts["anne"], 100)


if __name__ == "__main__":
    unittest.main()
