"""Never creates a job: prints --message, sleeps --sleep seconds (forever when negative), exits --exit_code.
--pids receives its pid."""
import os
import sys
import time
import fakebeam

options = fakebeam.parse(lambda p: (p.add_argument("--sleep", type=float, default=0),
                                    p.add_argument("--exit_code", type=int, default=0),
                                    p.add_argument("--message", default=""),
                                    p.add_argument("--pids")))
if options.pids:
    with open(options.pids, "w") as f:
        f.write(f"{os.getpid()}\n")
if options.message:
    print(options.message, file=sys.stderr)
if options.sleep < 0:
    while True:
        time.sleep(1)
time.sleep(options.sleep)
sys.exit(options.exit_code)
