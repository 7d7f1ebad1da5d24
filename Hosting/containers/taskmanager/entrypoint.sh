#!/usr/bin/env bash
# Starts the Beam Python SDK worker pool (port 50000) and the Flink TaskManager side by side and keeps the container
# alive only while both run: if either exits, the other is stopped and the container exits with the first one's status,
# so the orchestrator sees (and can restart) a broken TaskManager.
#
# Who runs what (the script itself starts as root, as the Beam SDK image does):
# - The TaskManager runs as Flink's user, flink (uid 9999 in every official Flink image, so it shares the checkpoints
#   volume with the JobManager). Flink images up to 2.1 start their entrypoint as root and step down with gosu themselves
#   (FLINKBEAM_FLINK_ENTRYPOINT_STEPS_DOWN=true); Flink 2.2's runs as flink already (USER flink, no gosu), so this script
#   steps down before starting it. gosu is Debian's package in this image.
# - The worker pool, and so every SDK worker it starts, runs as the owner of the pipelines' output folder: the host user
#   given as FLINKBEAM_UID/FLINKBEAM_GID, else the owner of /outputs, else flink. Files the pipelines write to /outputs
#   therefore belong to the user who owns the folder on the host. Never root unless root is given or owns the folder.
# - With FLINKBEAM_SDK_ENVIRONMENT=Process the TaskManager starts the SDK harness itself, so it runs with the output
#   folder's group as its primary group, /outputs is made group-writable, and files are created group-writable.
# Both processes share /opt/apache/beam-venv, where Beam's boot makes each worker's virtual environment: it is made
# writable by both, sticky like /tmp.
set -u

boot="${BEAM_BOOT:-/opt/apache/beam/boot}"
flink_entrypoint="${FLINK_ENTRYPOINT:-/docker-entrypoint.sh}"
steps_down="${FLINKBEAM_FLINK_ENTRYPOINT_STEPS_DOWN:-true}"
flink_user="${FLINKBEAM_FLINK_USER:-flink}"
outputs="${FLINKBEAM_OUTPUTS:-/outputs}"
venvs="${FLINKBEAM_BEAM_VENVS:-/opt/apache/beam-venv}"
environment="${FLINKBEAM_SDK_ENVIRONMENT:-External}"
checkpoints="${FLINKBEAM_CHECKPOINTS:-/checkpoints}"
checkpoints_owner="${FLINKBEAM_CHECKPOINTS_OWNER:-flink:flink}"

say() { echo "flinkbeam: $*" >&2; }

is_id() { [[ "$1" =~ ^[0-9]+$ ]]; }

case "$steps_down" in true | false) ;; *)
  say "FLINKBEAM_FLINK_ENTRYPOINT_STEPS_DOWN is '$steps_down'; expected true or false"
  exit 2
  ;;
esac
case "$environment" in External | Process) ;; *)
  say "FLINKBEAM_SDK_ENVIRONMENT is '$environment'; expected External or Process"
  exit 2
  ;;
esac

pool_command=("$boot" --worker_pool)
flink_command=("$flink_entrypoint" "$@")

if [ "$(id -u)" != "0" ]; then
  # Started as another user (docker run --user): nothing can be handed over; both run as that user.
  say "running as uid $(id -u), not root: the worker pool and the TaskManager both run as uid $(id -u)"
else
  # The worker pool's user: the given host user, else the owner of the output folder, else flink.
  if [ -n "${FLINKBEAM_UID:-}" ] || [ -n "${FLINKBEAM_GID:-}" ]; then
    if ! is_id "${FLINKBEAM_UID:-}" || ! is_id "${FLINKBEAM_GID:-}"; then
      say "FLINKBEAM_UID '${FLINKBEAM_UID:-}' and FLINKBEAM_GID '${FLINKBEAM_GID:-}' must both be numeric ids (the host user's uid and gid), or both unset"
      exit 2
    fi
    worker_uid=$FLINKBEAM_UID
    worker_gid=$FLINKBEAM_GID
    why="FLINKBEAM_UID/FLINKBEAM_GID"
  elif owner=$(stat -c '%u:%g' "$outputs" 2>/dev/null) && [ "${owner%%:*}" != "0" ]; then
    worker_uid=${owner%%:*}
    worker_gid=${owner##*:}
    why="the owner of $outputs"
  else
    worker_uid=$(id -u "$flink_user")
    worker_gid=$(id -g "$flink_user")
    why="$outputs belongs to root or is missing, and no FLINKBEAM_UID/FLINKBEAM_GID was given"
  fi
  say "the worker pool and its SDK workers run as uid $worker_uid, gid $worker_gid ($why)"

  # The checkpoints volume is shared with the JobManager, which mounts it first from an image without /checkpoints, so a
  # new volume starts out owned by root. Its root goes to Flink's user before Flink starts.
  if [ -d "$checkpoints" ]; then
    chown "$checkpoints_owner" "$checkpoints" \
      || say "cannot give $checkpoints to $checkpoints_owner; Flink may fail to write checkpoints"
  fi

  # Beam's boot makes each worker's venv here, as whoever runs it: the pool's user, or flink in Process environment.
  if ! { mkdir -p "$venvs" && chmod 1777 "$venvs"; }; then
    say "cannot make $venvs writable; SDK workers will fail to make their venvs"
  fi

  # Both processes create group-writable files, so runs of either environment can add to folders the other made.
  umask 0002

  if [ "$environment" = "Process" ]; then
    outputs_gid=$(stat -c '%g' "$outputs" 2>/dev/null || echo "$worker_gid")
    if [ -d "$outputs" ]; then
      chmod g+rwx "$outputs" || say "cannot make $outputs group-writable; the SDK harness may fail to write there"
    fi
    say "Process environment: the TaskManager and its SDK harness run as $flink_user with group $outputs_gid, so files in $outputs belong to $flink_user and group $outputs_gid, group-writable"
    flink_command=(gosu "$flink_user:$outputs_gid" "${flink_command[@]}")
  elif [ "$steps_down" = "false" ]; then
    # The Flink image expects to start as flink (USER flink) and does not step down itself.
    flink_command=(gosu "$flink_user" "${flink_command[@]}")
  fi
  # else: the Flink image's entrypoint does its root-time work and steps down to flink itself, with Debian's gosu.

  if [ "$worker_uid" != "0" ]; then
    pool_command=(gosu "$worker_uid:$worker_gid" "${pool_command[@]}")
  fi
fi

pool=""
flink=""
stopping=0
stop_both() {
  stopping=1
  kill -TERM "$pool" "$flink" 2>/dev/null
}
trap stop_both TERM INT

"${pool_command[@]}" &
pool=$!
"${flink_command[@]}" &
flink=$!
say "worker pool pid $pool, TaskManager pid $flink"

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
say "$first exited with status $status; stopping the container"
stop_both
wait "$pool" "$flink" 2>/dev/null

# A process that ended on its own is a failure for a long-running service, even with status 0.
if [ "$status" -eq 0 ]; then
  status=1
fi
exit "$status"
