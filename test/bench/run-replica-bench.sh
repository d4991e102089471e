#!/usr/bin/env bash
# Replica benchmark (issue #7, catch-up mode): how fast cdc-pipeline replays a sysbench binlog
# onto a MariaDB target, against MariaDB's own replication replaying the same binlog.
#
# Three sandboxed MariaDB servers: a source, target A (a native replica) and target B (the
# pipeline's target). On the source, `sysbench oltp_write_only` prepares TABLES tables of ROWS
# rows, then runs for SECONDS seconds with 4 threads. Both targets then start from the binlog
# position recorded before `prepare`, so each replays the whole history (CREATE TABLE, the bulk
# inserts, CREATE INDEX, the workload) with the source idle:
#   - target A, native replication with default settings (one SQL thread), timed from START
#     SLAVE until MASTER_POS_WAIT reaches the source's binlog end; then reset and replayed again
#     with slave_parallel_threads=4 (slave_parallel_mode as the server's default, optimistic);
#   - target B, `cdc-pipeline run test/bench/replica-bench.yaml --until-caught-up` at each
#     pipeline parallelism of PARALLELISMS (a comma-separated list, e.g. 1,2,4,8; target B is
#     emptied before each), timed from launch to exit, its peak RSS taken by /usr/bin/time.
#     Like the replica (log_slave_updates off), the pipeline's sessions do not binlog what they
#     write (sql-log-bin: false); one more run at the first parallelism lets target B binlog
#     every change, as a target with replicas of its own would.
# After each replay every table is compared with the source's (CHECKSUM TABLE, or a row count
# and CRC32 sum when the checksums differ), and the script ends with the row changes replayed
# (as the pipeline counts them), each run's seconds and row changes/s, and the ratios of the
# pipeline's throughput to the native replica's (above 1: the pipeline is faster).
#
#   test/bench/run-replica-bench.sh [tables=4] [rows=100000] [seconds=30] [parallelisms=4]
set -euo pipefail
cd "$(dirname "$0")/../.."
tables=${1:-4}
rows=${2:-100000}
seconds=${3:-30}
parallelism_list=${4:-4}
# shellcheck source=test/bench/sysbench-bench-lib.sh
source test/bench/sysbench-bench-lib.sh
if [[ "${CDC_BENCH_INNER:-}" != 1 ]]; then
  bench_in_sandboxes "$0" "$tables" "$rows" "$seconds" "$parallelism_list"
fi
now_ns() { date +%s%N; }
# CPU seconds (user + system) the server behind socket $1 has used so far.
server_cpu_s() {
  local pid
  pid=$(cat "$(dirname "$1")/mysqld.pid")
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' "/proc/$pid/stat"
}
cpu_since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
seconds_since() { awk -v ns=$(($(now_ns) - $1)) 'BEGIN { printf "%.2f", ns / 1e9 }'; }
per_second() { awk -v n="$1" -v s="$2" 'BEGIN { printf "%.0f", n / s }'; }
bench_begin replica-bench "$tables" "$rows"

# --- The workload, on the source -----------------------------------------------------------
source_sql -e "CREATE DATABASE sbtest"
read -r start_file start_pos _ < <(source_sql -e "SHOW MASTER STATUS")
say "source binlog before prepare: $start_file:$start_pos (gtid_binlog_pos '$(source_sql -e "SELECT @@gtid_binlog_pos")')"
say "sysbench prepare: $tables tables x $rows rows..."
sysbench "${sysbench_args[@]}" --threads=4 prepare >"$work/prepare.log"
say "sysbench run: oltp_write_only, 4 threads, $seconds s..."
sysbench "${sysbench_args[@]}" --threads=4 --time="$seconds" --report-interval=10 run \
  | tee "$work/run.log" | grep --line-buffered '^\[' || true
grep -qE '^ +transactions:' "$work/run.log" || { cat "$work/run.log" >&2; exit 1; }
sysbench_tps=$(awk '/^ +transactions:/ { gsub(/[()]/, "", $3); print $2 " (" $3 "/s)" }' "$work/run.log")
sysbench_writes=$(awk '/^ +write:/ { print $2 }' "$work/run.log")
read -r end_file end_pos _ < <(source_sql -e "SHOW MASTER STATUS")
binlog_bytes=$(source_sql -e "SHOW BINARY LOGS" | awk -v sf="$start_file" -v sp="$start_pos" \
  -v ef="$end_file" -v ep="$end_pos" '$1 >= sf && $1 <= ef {
    n += ($1 == ef ? ep : $2) - ($1 == sf ? sp : 0) } END { print n }')
say "source binlog end: $end_file:$end_pos; $((binlog_bytes / 1048576)) MiB to replay;" \
  "sysbench: $sysbench_tps transactions, $sysbench_writes writes"

# --- Target A: native replication ----------------------------------------------------------
# Runs one native replay on target A from the recorded start; prints its seconds and the CPU
# seconds target A used.
replay_natively() {
  local threads=$1 started waited
  native_sql -e "STOP SLAVE; RESET SLAVE ALL; DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest;
    SET GLOBAL slave_parallel_threads = $threads;
    CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $CDC_TEST_MYSQL_PORT,
      MASTER_USER = 'cdc', MASTER_PASSWORD = 'cdc', MASTER_LOG_FILE = '$start_file',
      MASTER_LOG_POS = $start_pos" >&2
  local cpu_before
  cpu_before=$(server_cpu_s "$CDC_TEST_TARGET_SOCKET")
  started=$(now_ns)
  waited=$(native_sql -e "START SLAVE; SELECT MASTER_POS_WAIT('$end_file', $end_pos, 1800)")
  local took
  took=$(seconds_since "$started")
  native_cpu_s=$(cpu_since "$cpu_before" "$(server_cpu_s "$CDC_TEST_TARGET_SOCKET")")
  if ! [[ "$waited" =~ ^[0-9]+$ ]]; then  # NULL: the SQL thread stopped; -1: the wait timed out
    native_sql --vertical -e "SHOW SLAVE STATUS" | grep -E 'Running|Errno|Error|Exec_Master' >&2
    echo "run-replica-bench: native replica (slave_parallel_threads=$threads) did not reach" \
      "$end_file:$end_pos (MASTER_POS_WAIT returned $waited)" >&2
    exit 1
  fi
  native_sql -e "STOP SLAVE" >&2
  echo "$took $native_cpu_s"
}

# --- Target B: cdc-pipeline ----------------------------------------------------------------
# Runs the pipeline at parallelism $1, with sql-log-bin $2, onto an emptied target B; sets
# pipeline_s, changes, peak_rss_kb, pipeline_cpu_s and target_cpu_s.
replay_with_pipeline() {
  local parallelism=$1 sql_log_bin=$2 started status=0
  pipeline_sql -e "DROP DATABASE IF EXISTS sbtest; DROP DATABASE IF EXISTS cdc_state"
  rm -rf "$work/state"
  : >"$work/pipeline.log"
  local cpu_before
  cpu_before=$(server_cpu_s "$CDC_TEST_TARGET2_SOCKET")
  started=$(now_ns)
  SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET2_PORT START_FILE=$start_file \
    START_POS=$start_pos STATE_DIR="$work/state" PARALLELISM=$parallelism SQL_LOG_BIN=$sql_log_bin \
    /usr/bin/time -v -o "$work/time.txt" build/examples/cdc-pipeline run test/bench/replica-bench.yaml \
    --until-caught-up --progress-interval 10 >"$work/pipeline.log" 2>&1 &
  time_pid=$!
  # Its progress and final lines; the schema changes it applies stay in the log.
  tail -n +1 -f --pid="$time_pid" "$work/pipeline.log" \
    | grep --line-buffered -E '^(progress|cdc-pipeline):' | sed -u 's/^/  /' &
  local tail_pid=$!
  wait "$time_pid" || status=$?
  pipeline_s=$(seconds_since "$started")
  target_cpu_s=$(cpu_since "$cpu_before" "$(server_cpu_s "$CDC_TEST_TARGET2_SOCKET")")
  time_pid=""
  wait "$tail_pid" || true
  if ((status != 0)); then
    tail -n 30 "$work/pipeline.log" >&2
    echo "run-replica-bench: cdc-pipeline (parallelism $parallelism) exited with $status" >&2
    exit 1
  fi
  changes=$(sed -nE 's/^cdc-pipeline: read ([0-9]+) changes.*/\1/p' "$work/pipeline.log")
  peak_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  pipeline_cpu_s=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/time.txt")
}

# Compares every table of the server on port $1 (named $2) with the source's; counts mismatches.
mismatches=0
compare_with_source() {
  local port=$1 name=$2 t table ours theirs how different=()
  for ((t = 1; t <= tables; t++)); do
    table=sbtest.sbtest$t
    ours=$(source_sql -e "CHECKSUM TABLE $table" | cut -f2)
    theirs=$(sql_at "$port" -e "CHECKSUM TABLE $table" | cut -f2)
    how="CHECKSUM TABLE"
    if [[ "$ours" != "$theirs" ]]; then
      # CHECKSUM TABLE also depends on the column definitions: compare the values alone.
      how="row count and CRC32 sum (CHECKSUM TABLE differs: $ours vs $theirs)"
      local rows_crc="SELECT COUNT(*), SUM(CRC32(CONCAT_WS('|', id, k, c, pad))) FROM $table"
      ours=$(source_sql -e "$rows_crc")
      theirs=$(sql_at "$port" -e "$rows_crc")
      if [[ "$ours" == "$theirs" ]]; then
        say "  $name: $table equal by $how"
      fi
    fi
    if [[ "$ours" != "$theirs" ]]; then different+=("$table ($ours vs $theirs)"); fi
  done
  if ((${#different[@]} > 0)); then
    say "  $name: DIFFERENT from the source: ${different[*]}"
    mismatches=$((mismatches + 1))
  else
    say "  $name: all $tables tables equal to the source's"
  fi
}

say "native replica, default settings (slave_parallel_threads=0)..."
read -r native_default_s native_default_cpu < <(replay_natively 0)
say "  caught up in $native_default_s s"
compare_with_source "$CDC_TEST_TARGET_PORT" "native replica"
say "native replica, slave_parallel_threads=4 (slave_parallel_mode $(native_sql -e "SELECT @@slave_parallel_mode"))..."
read -r native_parallel_s native_parallel_cpu < <(replay_natively 4)
say "  caught up in $native_parallel_s s"
compare_with_source "$CDC_TEST_TARGET_PORT" "native replica"

pipeline_runs=()
IFS=, read -ra parallelisms <<<"$parallelism_list"
for run in "${parallelisms[@]}" "${parallelisms[0]}+binlog"; do
  parallelism=${run%+binlog}
  sql_log_bin=false
  if [[ "$run" == *+binlog ]]; then sql_log_bin=true; fi
  say "cdc-pipeline, parallelism $parallelism, sql-log-bin $sql_log_bin, from $start_file:$start_pos until caught up..."
  replay_with_pipeline "$parallelism" "$sql_log_bin"
  say "  caught up in $pipeline_s s"
  compare_with_source "$CDC_TEST_TARGET2_PORT" "pipeline target"
  pipeline_runs+=("$run $pipeline_s $changes $peak_rss_kb $pipeline_cpu_s $target_cpu_s")
done

# --- Figures -------------------------------------------------------------------------------
read -r _ _ changes _ <<<"${pipeline_runs[0]}"
echo
echo "replica bench: $tables tables x $rows rows, sysbench oltp_write_only $seconds s (4 threads):" \
  "$changes row changes (as cdc-pipeline read them) in $((binlog_bytes / 1048576)) MiB of binlog" \
  "(sysbench: $((tables * rows)) prepared + $sysbench_writes writes)"
row() { printf '  %-48s %8s s %8s changes/s%s\n' "$1" "$2" "$(per_second "$changes" "$2")" "${3:-}"; }
# CPU seconds: where the time goes (on a 2-core machine the processes compete for the cores).
row "native replica, default (1 SQL thread)" "$native_default_s" "   CPU: target $native_default_cpu s"
row "native replica, slave_parallel_threads=4" "$native_parallel_s" "   CPU: target $native_parallel_cpu s"
for run in "${pipeline_runs[@]}"; do
  read -r parallelism pipeline_s run_changes peak_rss_kb pipeline_cpu target_cpu <<<"$run"
  label="cdc-pipeline, parallelism ${parallelism%+binlog}"
  if [[ "$parallelism" == *+binlog ]]; then label+=" (target binlogs)"; fi
  row "$label" "$pipeline_s" \
    "   CPU: target $target_cpu s, pipeline $pipeline_cpu s; peak RSS $((peak_rss_kb / 1024)) MiB$( ((run_changes == changes)) || echo ", read $run_changes changes")"
done
for run in "${pipeline_runs[@]}"; do
  read -r parallelism pipeline_s _ <<<"$run"
  awk -v n="$parallelism" -v c="$pipeline_s" -v d="$native_default_s" -v p="$native_parallel_s" 'BEGIN {
    printf "  throughput of cdc-pipeline (parallelism %s) / native default: %.2f, / native parallel: %.2f\n",
      n, d / c, p / c }'
done
if ((mismatches > 0)); then
  echo "run-replica-bench: $mismatches replay(s) left a target different from the source" >&2
  exit 1
fi
