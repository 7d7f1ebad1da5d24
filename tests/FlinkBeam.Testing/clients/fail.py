"""Runs a job that FAILS with a Java exception, then fails like the Python SDK does."""
import sys
import fakebeam

options = fakebeam.parse()
exception = {
    "name": "java.lang.RuntimeException",
    "stacktrace": "java.lang.RuntimeException: Boom in ParDo(SplitWords)\n\tat org.apache.beam.Fn.process(Fn.java:42)",
}
state = fakebeam.run_to(options, "FAILED", exception)
print("Traceback (most recent call last):", file=sys.stderr)
print(f"RuntimeError: Pipeline {options.job_name} failed in state {state}: java.lang.RuntimeException: Boom", file=sys.stderr)
sys.exit(1)
