"""Creates a job that runs until someone ends it, writes its pid to --pids, and waits like wait_until_finish()."""
import os
import sys
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--pids", required=True))
jid = fakebeam.create_job(options, [{"state": "RUNNING"}])
with open(options.pids, "w") as f:
    f.write(f"{os.getpid()}\n")
state = fakebeam.wait_until_finish(options, jid)
sys.exit(0 if state == "FINISHED" else 1)
