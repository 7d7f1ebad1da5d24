"""Writes its pid to --pids, takes --delay_ms before it submits (a slow artifact upload), then runs its job to FINISHED.
It prints nothing (like a client that logs to a file), so it outlives a Submitter that crashed: a client that prints
dies of the broken pipe instead."""
import os
import sys
import time
import fakebeam

sys.stdout = sys.stderr = open(os.devnull, "w")


def extra(parser):
    parser.add_argument("--pids", required=True)
    parser.add_argument("--delay_ms", type=int, default=2000)


options = fakebeam.parse(extra)
with open(options.pids, "w") as f:
    f.write(f"{os.getpid()}\n")
time.sleep(options.delay_ms / 1000)
state = fakebeam.run_to(options, "FINISHED")
sys.exit(0 if state == "FINISHED" else 1)
