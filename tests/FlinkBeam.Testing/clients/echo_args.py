"""Writes its argument list as JSON to --out (checked by the test byte for byte), then succeeds."""
import json
import os
import sys
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--out", required=True))
with open(options.out, "w", encoding="utf-8") as f:
    json.dump({"argv": sys.argv[1:], "cwd": os.getcwd(), "unbuffered": os.environ.get("PYTHONUNBUFFERED")}, f)
state = fakebeam.run_to(options, "FINISHED")
sys.exit(0 if state == "FINISHED" else 1)
