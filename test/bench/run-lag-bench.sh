#!/usr/bin/env bash
# Lag benchmark (issue #7, live mode): replication lag while sysbench writes, for cdc-pipeline
# and, in the same run on the same load, MariaDB's own replica.
#
# Three sandboxed MariaDB servers: a source, target A (a native replica, default settings) and
# target B (cdc-pipeline with test/bench/replica-bench.yaml, flush.interval FLUSH_INTERVAL).
# `sysbench oltp_write_only` prepares TABLES tables of ROWS rows; both targets replay that from
# the binlog and catch up. Then, while sysbench writes for SECONDS seconds with 4 threads, the
# source inserts a heartbeat row every 50 ms into sbtest.heartbeat (written = SYSDATE(6)). On
# each target that table has one more column, `applied`, set by a BEFORE INSERT trigger to
# SYSDATE(6) when the row lands (the replica runs triggers for row events). The lag of a
# heartbeat is applied - written: source commit to target apply, on one machine and one clock.
# The script prints p50 / p99 / max lag for each target, the load the source took, the
# pipeline's peak RSS, and checks every sysbench table on both targets equal to the source's.
#
#   test/bench/run-lag-bench.sh [tables=4] [rows=100000] [seconds=30] [parallelism=4] [flush_interval=200ms]
#
# All processes share the machine's cores: the source, sysbench, both targets, the replica's
# threads and the pipeline.
set -euo pipefail
cd "$(dirname "$0")/../.."
tables=${1:-4}
rows=${2:-100000}
seconds=${3:-30}
parallelism=${4:-4}
flush_interval=${5:-200ms}
# shellcheck source=test/bench/sysbench-bench-lib.sh
source test/bench/sysbench-bench-lib.sh
if [[ "${CDC_BENCH_INNER:-}" != 1 ]]; then
  bench_in_sandboxes "$0" "$tables" "$rows" "$seconds" "$parallelism" "$flush_interval"
fi
bench_begin lag-bench "$tables" "$rows"

# --- Setup: tables, heartbeat, both targets caught up ---------------------------------------
source_sql -e "CREATE DATABASE sbtest"
read -r start_file start_pos _ < <(source_sql -e "SHOW MASTER STATUS")
say "sysbench prepare: $tables tables x $rows rows..."
sysbench "${sysbench_args[@]}" --threads=4 prepare >"$work/prepare.log"
# The heartbeat table and its writer are made outside the binlog: each target has its own
# version of the table (with `applied`), made below.
source_sql <<'SQL'
SET sql_log_bin = 0;
CREATE TABLE sbtest.heartbeat (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  written DATETIME(6) NOT NULL);
DELIMITER //
CREATE PROCEDURE sbtest.beat(beats INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  WHILE i < beats DO
    INSERT INTO sbtest.heartbeat (written) VALUES (SYSDATE(6));
    DO SLEEP(0.05);
    SET i = i + 1;
  END WHILE;
END //
DELIMITER ;
SQL
for target in native_sql pipeline_sql; do
  "$target" -e "CREATE DATABASE sbtest;
    CREATE TABLE sbtest.heartbeat (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
      written DATETIME(6) NOT NULL, applied DATETIME(6) NULL);
    CREATE TRIGGER sbtest.heartbeat_applied BEFORE INSERT ON sbtest.heartbeat
      FOR EACH ROW SET NEW.applied = SYSDATE(6)"
done

say "target A: native replica from $start_file:$start_pos (default settings)..."
native_sql -e "SET GLOBAL slave_run_triggers_for_rbr = YES;
  CHANGE MASTER TO MASTER_HOST = '127.0.0.1', MASTER_PORT = $CDC_TEST_MYSQL_PORT,
    MASTER_USER = 'cdc', MASTER_PASSWORD = 'cdc', MASTER_LOG_FILE = '$start_file',
    MASTER_LOG_POS = $start_pos;
  START SLAVE"
say "target B: cdc-pipeline from $start_file:$start_pos (parallelism $parallelism, flush.interval $flush_interval)..."
SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET2_PORT START_FILE=$start_file \
  START_POS=$start_pos STATE_DIR="$work/state" PARALLELISM=$parallelism \
  FLUSH_INTERVAL=$flush_interval \
  /usr/bin/time -v -o "$work/time.txt" build/examples/cdc-pipeline run test/bench/replica-bench.yaml \
  --progress-interval 10 >"$work/pipeline.log" 2>&1 &
time_pid=$!

# Waits until every heartbeat on the source is on both targets (at most $1 seconds).
wait_for_heartbeats() {
  local limit=$1 want native pipeline
  want=$(source_sql -e "SELECT COUNT(*) FROM sbtest.heartbeat")
  for ((waited = 0; waited < limit * 10; waited++)); do
    native=$(native_sql -e "SELECT COUNT(*) FROM sbtest.heartbeat")
    pipeline=$(pipeline_sql -e "SELECT COUNT(*) FROM sbtest.heartbeat")
    if [[ "$native" == "$want" && "$pipeline" == "$want" ]]; then return 0; fi
    if ! kill -0 "$time_pid" 2>/dev/null; then
      tail -n 30 "$work/pipeline.log" >&2
      echo "run-lag-bench: cdc-pipeline exited early" >&2
      exit 1
    fi
    sleep 0.1
  done
  native_sql --vertical -e "SHOW SLAVE STATUS" | grep -E 'Running|Errno|Error' >&2 || true
  echo "run-lag-bench: after $limit s the targets have $native and $pipeline of $want heartbeats" >&2
  exit 1
}
source_sql -e "INSERT INTO sbtest.heartbeat (written) VALUES (SYSDATE(6))"
wait_for_heartbeats 300
first_beat=$(source_sql -e "SELECT MAX(id) + 1 FROM sbtest.heartbeat")
say "both targets caught up with the prepared tables"

# --- The load ----------------------------------------------------------------------------
beats=$((seconds * 20))
say "sysbench run: oltp_write_only, 4 threads, $seconds s, and $beats heartbeats..."
source_sql -e "CALL sbtest.beat($beats)" &
beat_pid=$!
sysbench "${sysbench_args[@]}" --threads=4 --time="$seconds" --report-interval=10 run \
  | tee "$work/run.log" | grep --line-buffered '^\[' || true
grep -qE '^ +transactions:' "$work/run.log" || { cat "$work/run.log" >&2; exit 1; }
wait "$beat_pid"
sysbench_tps=$(awk '/^ +transactions:/ { gsub(/[()]/, "", $3); print $3 }' "$work/run.log")
sysbench_writes=$(awk '/^ +write:/ { print $2 }' "$work/run.log")
wait_for_heartbeats 600
say "both targets have every heartbeat"
pkill -TERM -P "$time_pid" 2>/dev/null || true
wait "$time_pid" || { tail -n 30 "$work/pipeline.log" >&2; echo "run-lag-bench: cdc-pipeline failed" >&2; exit 1; }
time_pid=""
grep -E '^(progress|cdc-pipeline):' "$work/pipeline.log" | sed 's/^/  /'
peak_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
native_sql -e "STOP SLAVE"

# --- Equal to the source? ------------------------------------------------------------------
mismatches=0
for ((t = 1; t <= tables; t++)); do
  ours=$(source_sql -e "CHECKSUM TABLE sbtest.sbtest$t" | cut -f2)
  for target in native_sql pipeline_sql; do
    theirs=$("$target" -e "CHECKSUM TABLE sbtest.sbtest$t" | cut -f2)
    if [[ "$ours" != "$theirs" ]]; then
      say "  ${target%_sql}: sbtest$t DIFFERENT from the source ($theirs vs $ours)"
      mismatches=$((mismatches + 1))
    fi
  done
done
((mismatches == 0)) && say "both targets: all $tables tables equal to the source's"

# --- Figures -------------------------------------------------------------------------------
# p50 / p99 / max of the heartbeats written during the load, in seconds.
lag_figures() {
  "$1" -e "SELECT TIMESTAMPDIFF(MICROSECOND, written, applied) FROM sbtest.heartbeat
           WHERE id >= $first_beat ORDER BY 1" \
    | awk '{ lag[NR] = $1 } END {
        if (NR == 0) { print "no heartbeats"; exit }
        p50 = lag[int((NR - 1) * 0.50) + 1]; p99 = lag[int((NR - 1) * 0.99) + 1]
        printf "p50 %6.3f s   p99 %6.3f s   max %6.3f s   (%d heartbeats)", p50 / 1e6, p99 / 1e6, lag[NR] / 1e6, NR }'
}
echo
echo "lag bench: sysbench oltp_write_only, 4 threads, $seconds s on $tables tables x $rows rows:" \
  "$sysbench_tps transactions/s, $sysbench_writes writes (about $(awk -v w="$sysbench_writes" \
  -v s="$seconds" 'BEGIN { printf "%.0f", w / s }') row changes/s), a heartbeat every 50 ms"
printf '  %-52s %s\n' "native replica, default settings" "$(lag_figures native_sql)"
printf '  %-52s %s   peak RSS %d MiB\n' "cdc-pipeline, parallelism $parallelism, flush.interval $flush_interval" \
  "$(lag_figures pipeline_sql)" "$((peak_rss_kb / 1024))"
if ((mismatches > 0)); then
  echo "run-lag-bench: $mismatches table(s) differ from the source" >&2
  exit 1
fi
