"""Its job FINISHES and the client never exits (BEAM-9225); it also leaves a child process, to check the tree is ended."""
import subprocess
import sys
import time
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--pids", required=True))
# The child and both pids exist before the job does, so the Submitter cannot end the client before they are written.
child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(600)"])
with open(options.pids, "w") as f:
    f.write(f"{__import__('os').getpid()} {child.pid}\n")
fakebeam.run_to(options, "FINISHED")
fakebeam.log("Job state changed to DONE")
while True:
    time.sleep(1)
