"""Shared behaviour of the test clients: read options like a Beam client, create the job on the fake Flink
cluster through its /__fake/ control endpoint, and wait for it like PipelineResult.wait_until_finish()."""
import argparse
import json
import sys
import urllib.request

TERMINAL = {"FINISHED", "FAILED", "CANCELED", "SUSPENDED"}


def parse(extra=None):
    parser = argparse.ArgumentParser(allow_abbrev=False)
    parser.add_argument("--job_name", required=True)
    parser.add_argument("--fake_flink", required=True)
    parser.add_argument("--parallelism", type=int, default=1)
    parser.add_argument("--runner")
    parser.add_argument("--run_ms", type=int, default=200)
    if extra:
        extra(parser)
    options, _ = parser.parse_known_args(sys.argv[1:])
    return options


def log(message):
    print(f"INFO:apache_beam.runners.portability.portable_runner:{message}", flush=True)


def create_job(options, states, exception=None, name=None):
    body = json.dumps({
        "name": name or options.job_name,
        "parallelism": options.parallelism,
        "states": states,
        "exception": exception,
    }).encode()
    request = urllib.request.Request(options.fake_flink.rstrip("/") + "/__fake/jobs", data=body,
                                     headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(request, timeout=60) as response:
        jid = json.load(response)["jid"]
    log(f"Job {options.job_name} submitted as {jid}")
    return jid


def job_state(options, jid, after=None):
    """The job's state; with after, the fake answers once the state is no longer that one (or after its 10 s limit)."""
    query = f"?after={after}" if after else ""
    with urllib.request.urlopen(options.fake_flink.rstrip("/") + f"/__fake/jobs/{jid}{query}", timeout=30) as response:
        return json.load(response)["state"]


def wait_until_finish(options, jid):
    """Follows the job's state changes as they happen (Beam's client streams them with GetStateStream)."""
    last = None
    while True:
        state = job_state(options, jid, last)
        if state != last:
            log(f"Job state changed to {state}")
            last = state
        if state in TERMINAL:
            return state


def run_to(options, final, exception=None, name=None):
    jid = create_job(options, [{"state": "RUNNING", "ms": options.run_ms}, {"state": final}], exception, name)
    return wait_until_finish(options, jid)
