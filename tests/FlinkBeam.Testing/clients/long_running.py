"""Writes its pid to --pids, then creates a job that runs until someone ends it and waits like wait_until_finish()."""
import os
import sys
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--pids", required=True))
# The pid is on disk before the job exists, so a test that saw the job running can always find the client.
with open(options.pids, "w") as f:
    f.write(f"{os.getpid()}\n")
jid = fakebeam.create_job(options, [{"state": "RUNNING"}])
state = fakebeam.wait_until_finish(options, jid)
sys.exit(0 if state == "FINISHED" else 1)
