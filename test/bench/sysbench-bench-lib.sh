# Shared by the sysbench benchmarks against a native replica (run-replica-bench.sh,
# run-lag-bench.sh); sourced from the repository root. Three sandboxes: the source
# (CDC_TEST_MYSQL_PORT), target A for the native replica (CDC_TEST_TARGET_PORT) and target B for
# cdc-pipeline (CDC_TEST_TARGET2_PORT).
#
#   bench_in_sandboxes SCRIPT ARGS...   outside the sandboxes: installs sysbench and time, the
#                                       project's dependencies, builds, and runs SCRIPT ARGS...
#                                       again inside three fresh sandboxes (CDC_BENCH_INNER=1)
#   bench_begin NAME TABLES ROWS        inside: sets work (a scratch directory), sysbench_args
#                                       (oltp_write_only on the source), and an EXIT trap that
#                                       stops the pipeline started under /usr/bin/time (time_pid)

bench_in_sandboxes() {
  if ! command -v sysbench >/dev/null || [[ ! -x /usr/bin/time ]]; then
    local sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      sysbench time
  fi
  bash test/install-deps.sh
  bash test/build.sh
  CDC_BENCH_INNER=1 CDC_SANDBOXES=3 CDC_SANDBOX_BUFFER_POOL=1G \
    exec test/run-integration.sh "$(realpath "$1")" "${@:2}"
}

say() { printf '[%3d s] %s\n' "$SECONDS" "$*"; }
sql_at() {
  local port=$1
  shift
  mariadb --no-defaults -h 127.0.0.1 -P "$port" -u cdc -pcdc --batch --skip-column-names "$@"
}
source_sql() { sql_at "$CDC_TEST_MYSQL_PORT" "$@"; }
native_sql() { sql_at "$CDC_TEST_TARGET_PORT" "$@"; }
pipeline_sql() { sql_at "$CDC_TEST_TARGET2_PORT" "$@"; }

# shellcheck disable=SC2317  # invoked by the EXIT trap
stop_pipeline() {
  # /usr/bin/time does not pass SIGTERM on: end its child (the pipeline) first, by parent pid.
  if [[ -n "$time_pid" ]] && kill -0 "$time_pid" 2>/dev/null; then
    pkill -TERM -P "$time_pid" 2>/dev/null || true
    kill -TERM "$time_pid" 2>/dev/null || true
    wait "$time_pid" 2>/dev/null || true
  fi
}

bench_begin() {
  work="$CDC_TEST_SANDBOX_DIR/tmp/$1"
  mkdir -p "$work"
  time_pid=""
  trap stop_pipeline EXIT
  sysbench_args=(
    oltp_write_only --db-driver=mysql --mysql-host=127.0.0.1 --mysql-port="$CDC_TEST_MYSQL_PORT"
    --mysql-user=cdc --mysql-password=cdc --mysql-db=sbtest --tables="$2" --table-size="$3"
  )
}
