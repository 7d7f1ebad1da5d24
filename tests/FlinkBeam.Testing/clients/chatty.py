"""Prints --lines lines as fast as it can on stdout and stderr, then runs its job to FINISHED."""
import sys
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--lines", type=int, default=100000))
out, err = sys.stdout, sys.stderr
for i in range(options.lines):
    (err if i % 2 else out).write(f"progress line {i} " + "x" * 60 + "\n")
out.flush()
err.flush()
state = fakebeam.run_to(options, "FINISHED")
print(f"last line after {options.lines} lines", flush=True)
sys.exit(0 if state == "FINISHED" else 1)
