"""Runs a job to FINISHED and exits 0. --decorate names the Flink job the way a runner may decorate it."""
import sys
import fakebeam

options = fakebeam.parse(lambda p: p.add_argument("--decorate", action="store_true"))
name = f"BeamApp-root-{options.job_name}_0a1b2c3d" if options.decorate else None
state = fakebeam.run_to(options, "FINISHED", name=name)
sys.exit(0 if state == "FINISHED" else 1)
