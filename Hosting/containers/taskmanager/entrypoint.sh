#!/usr/bin/env bash
# Starts the Beam Python SDK worker pool (port 50000) and the Flink TaskManager side by side and keeps the
# container alive only while both run: if either exits, the other is stopped and the container exits with
# the first one's status, so the orchestrator sees (and can restart) a broken TaskManager.
#
# The worker pool runs as root, like in Beam's SDK image: its SDK workers write pipeline output to the
# host's bind-mounted folders. The Flink entrypoint steps the TaskManager down to the flink user itself.
set -u

boot="${BEAM_BOOT:-/opt/apache/beam/boot}"
flink_entrypoint="${FLINK_ENTRYPOINT:-/docker-entrypoint.sh}"

# The checkpoints volume is shared with the JobManager, which mounts it first from an image without /checkpoints,
# so a new volume starts out owned by root. Its root goes to Flink's user before Flink starts (this script still
# runs as root), so the JobManager and the TaskManagers can write checkpoints and savepoints there.
checkpoints="${FLINKBEAM_CHECKPOINTS:-/checkpoints}"
checkpoints_owner="${FLINKBEAM_CHECKPOINTS_OWNER:-flink:flink}"
if [ "$(id -u)" = "0" ] && [ -d "$checkpoints" ]; then
  chown "$checkpoints_owner" "$checkpoints" \
    || echo "flinkbeam: cannot give $checkpoints to $checkpoints_owner; Flink may fail to write checkpoints" >&2
fi

pool=""
flink=""
stopping=0
stop_both() {
  stopping=1
  kill -TERM "$pool" "$flink" 2>/dev/null
}
trap stop_both TERM INT

"$boot" --worker_pool &
pool=$!
"$flink_entrypoint" "$@" &
flink=$!
echo "flinkbeam: worker pool pid $pool, TaskManager pid $flink" >&2

# Returns when the first of the two exits (or when a signal interrupts the wait).
wait -n "$pool" "$flink"
status=$?

if [ "$stopping" -eq 1 ]; then
  wait "$pool" "$flink" 2>/dev/null
  exit 143
fi

if kill -0 "$pool" 2>/dev/null; then
  first="the Flink TaskManager"
else
  first="the Beam worker pool"
fi
echo "flinkbeam: $first exited with status $status; stopping the container" >&2
stop_both
wait "$pool" "$flink" 2>/dev/null

# A process that ended on its own is a failure for a long-running service, even with status 0.
if [ "$status" -eq 0 ]; then
  status=1
fi
exit "$status"
