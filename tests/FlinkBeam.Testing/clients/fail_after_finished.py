"""Its job FINISHES, then the client crashes anyway (as clients hit by client-side bugs do)."""
import sys
import fakebeam

options = fakebeam.parse()
fakebeam.run_to(options, "FINISHED")
print("Traceback (most recent call last):", file=sys.stderr)
print("AttributeError: 'NoneType' object has no attribute 'metrics'", file=sys.stderr)
sys.exit(3)
