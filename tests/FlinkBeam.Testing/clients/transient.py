"""Fails --failures times with a known-transient signature before any job exists, then succeeds. Attempts are
counted in --state_file so the behaviour survives being started again."""
import os
import sys
import fakebeam

options = fakebeam.parse(lambda p: (p.add_argument("--state_file", required=True),
                                    p.add_argument("--failures", type=int, default=1),
                                    p.add_argument("--signature", default="metrics")))
with open(options.state_file, "a") as f:
    f.write("attempt\n")
with open(options.state_file) as f:
    attempt = len(f.read().splitlines())
if attempt <= options.failures:
    print("Traceback (most recent call last):", file=sys.stderr)
    if options.signature == "metrics":
        print("TypeError: GetJobMetrics() missing 1 required positional argument: 'context'", file=sys.stderr)
    else:
        print("grpc._channel._InactiveRpcError: <_InactiveRpcError of RPC that terminated with:", file=sys.stderr)
        print("\tstatus = StatusCode.UNAVAILABLE", file=sys.stderr)
        print('\tdetails = "failed to connect to all addresses; last error: UNKNOWN: ipv4:127.0.0.1:8099: Connection refused"', file=sys.stderr)
    sys.exit(1)
state = fakebeam.run_to(options, "FINISHED")
sys.exit(0 if state == "FINISHED" else 1)
