#!/usr/bin/env bash
# Kafka sink benchmark (issue #17): how fast cdc-pipeline replays the replica benchmark's
# sysbench binlog into Kafka, against librdkafka producing the same messages in the same run,
# and the latency from source commit to broker acknowledgement under a live load.
#
# One sandboxed MariaDB (the source) and one sandboxed Kafka broker (test/kafka/run-with-kafka.sh:
# KRaft, one node, on 127.0.0.1), both on this machine's cores with the pipeline.
#   1. On the source, `sysbench oltp_write_only` prepares TABLES tables of ROWS rows, then runs
#      SECONDS seconds with 4 threads (as test/bench/run-replica-bench.sh does).
#   2. For each protocol of PROTOCOLS (canal-json, debezium; `blackhole` runs the same pipeline
#      with the blackhole sink instead: the source side's cost alone): `cdc-pipeline run
#      test/bench/kafka-bench.yaml --until-caught-up` replays the whole binlog from the position
#      recorded before `prepare` into a fresh topic (created by the sink: 3 partitions, default
#      dispatcher, required-acks -1, no compression), timed from launch to exit, its peak RSS
#      taken by /usr/bin/time. Then the baseline, `kafka-producer-bench replay`, reads that topic
#      back (counting its messages and bytes on the broker) and produces the very same keys and
#      values, each to the same partition of a fresh topic with as many partitions, with the
#      sink's librdkafka settings; timed from the first produce to the last acknowledgement,
#      BASELINE_REPEATS times (each into a fresh topic), the fastest taken: the machine's other
#      load makes single runs noisy.
#   3. Live latency: a pipeline started at the binlog's end (latest-offset) on an empty table,
#      at each flush.interval of LIVE_FLUSH_INTERVALS; the source commits LIVE_RATE single-row
#      inserts a second for LIVE_SECONDS seconds, each writing SYSDATE(6) (time_zone +00:00)
#      into a DATETIME(6) column (MariaDB's event timestamps have one-second resolution).
#      `kafka-latency-probe` reads the topic, created with message.timestamp.type=LogAppendTime,
#      and reports p50 / p99 / max of (the broker's append time - SYSDATE(6)): with one broker
#      and acks=-1 the broker acknowledges right after the append, so this is source commit to
#      broker acknowledgement, to the millisecond of the broker's timestamp. It also reports
#      (arrival at the consumer - SYSDATE(6)).
# The script ends with a table: each run's row changes, messages, seconds, row changes/s, MB/s
# (keys and values), peak RSS, CPU seconds of the pipeline and of the broker, and each pipeline
# run's rate as a fraction of its baseline's (same messages: baseline seconds / pipeline
# seconds). Goals (issue #17): >= 0.8 of the baseline, >= 300k row changes/s, peak RSS < 512 MiB,
# live p99 < 200 ms.
#
#   test/bench/run-kafka-bench.sh [tables=4] [rows=100000] [seconds=30]
#   PROTOCOLS=canal-json,debezium PARALLELISM=4 FLUSH_ROWS=2048 BASELINE_REPEATS=2 LIVE_RATE=200 LIVE_SECONDS=20
#   LIVE_FLUSH_INTERVALS=200ms,10ms (empty: no live part)  CDC_BENCH_NO_BUILD=1 (use build/ as is)
#   PERF_RECORD=1: each catch-up run under `perf record` (no call graphs); the top of
#   `perf report` (by shared object and symbol) is printed after it.
set -euo pipefail
cd "$(dirname "$0")/../.."
tables=${1:-4}
rows=${2:-100000}
seconds=${3:-30}
protocols=${PROTOCOLS:-canal-json,debezium}
parallelism=${PARALLELISM:-4}
baseline_repeats=${BASELINE_REPEATS:-2}
live_rate=${LIVE_RATE:-200}
live_seconds=${LIVE_SECONDS:-20}
live_flush_intervals=${LIVE_FLUSH_INTERVALS-200ms,10ms}
# shellcheck source=test/bench/sysbench-bench-lib.sh
source test/bench/sysbench-bench-lib.sh
if [[ "${CDC_BENCH_INNER:-}" != 1 ]]; then
  if ! command -v sysbench >/dev/null || [[ ! -x /usr/bin/time ]]; then
    sudo_cmd=()
    if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
    "${sudo_cmd[@]}" apt-get update -qq
    DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
      sysbench time
  fi
  if [[ "${CDC_BENCH_NO_BUILD:-}" != 1 ]]; then
    bash test/install-deps.sh
    bash test/build.sh
  fi
  CDC_BENCH_INNER=1 CDC_SANDBOXES=1 CDC_SANDBOX_BUFFER_POOL=1G \
    exec test/kafka/run-with-kafka.sh "$(realpath "$0")" "$@"
fi
brokers=$CDC_TEST_KAFKA_BROKERS
broker_pid=$(cat "$CDC_TEST_KAFKA_DIR/broker.pid")
now_ns() { date +%s%N; }
seconds_since() { awk -v ns=$(($(now_ns) - $1)) 'BEGIN { printf "%.2f", ns / 1e9 }'; }
# CPU seconds (user + system) process $1 has used so far.
cpu_of() {
  awk -v tck="$(getconf CLK_TCK)" '{ sub(/.*\) /, ""); printf "%.2f", ($12 + $13) / tck }' "/proc/$1/stat"
}
cpu_since() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1f", b - a }'; }
bench_begin kafka-bench "$tables" "$rows"
say "broker: $brokers (pid $broker_pid); source: 127.0.0.1:$CDC_TEST_MYSQL_PORT"

# --- The workload, on the source (as run-replica-bench.sh) ----------------------------------
source_sql -e "CREATE DATABASE sbtest"
read -r start_file start_pos _ < <(source_sql -e "SHOW MASTER STATUS")
say "source binlog before prepare: $start_file:$start_pos"
say "sysbench prepare: $tables tables x $rows rows..."
sysbench "${sysbench_args[@]}" --threads=4 prepare >"$work/prepare.log"
say "sysbench run: oltp_write_only, 4 threads, $seconds s..."
sysbench "${sysbench_args[@]}" --threads=4 --time="$seconds" --report-interval=10 run \
  | tee "$work/run.log" | grep --line-buffered '^\[' || true
grep -qE '^ +transactions:' "$work/run.log" || { cat "$work/run.log" >&2; exit 1; }
sysbench_writes=$(awk '/^ +write:/ { print $2 }' "$work/run.log")
read -r end_file end_pos _ < <(source_sql -e "SHOW MASTER STATUS")
binlog_bytes=$(source_sql -e "SHOW BINARY LOGS" | awk -v sf="$start_file" -v sp="$start_pos" \
  -v ef="$end_file" -v ep="$end_pos" '$1 >= sf && $1 <= ef {
    n += ($1 == ef ? ep : $2) - ($1 == sf ? sp : 0) } END { print n }')
say "source binlog end: $end_file:$end_pos; $((binlog_bytes / 1048576)) MiB to replay"

# --- Catch-up runs ------------------------------------------------------------------------
# Runs cdc-pipeline with protocol $1 into topic $2 until caught up; sets pipeline_s, changes,
# peak_rss_kb, pipeline_cpu_s, broker_cpu_s.
replay_into_kafka() {
  local protocol=$1 topic=$2 started status=0 broker_before
  rm -rf "$work/state"
  : >"$work/pipeline.log"
  local perf=()
  if [[ "${PERF_RECORD:-}" == 1 ]]; then perf=(perf record -q -F 499 -o "$work/perf-$protocol.data" --); fi
  local yaml=test/bench/kafka-bench.yaml
  if [[ "$protocol" == blackhole ]]; then
    # The same pipeline with the blackhole sink: what reading and decoding the binlog cost alone.
    yaml=$work/blackhole.yaml
    awk '/^sink:/ { print "sink:\n  type: blackhole"; skip = 1; next }
      skip && /^[a-z]/ { skip = 0 } !skip' test/bench/kafka-bench.yaml >"$yaml"
  fi
  broker_before=$(cpu_of "$broker_pid")
  started=$(now_ns)
  SOURCE_PORT=$CDC_TEST_MYSQL_PORT BROKERS=$brokers TOPIC=$topic PROTOCOL=$protocol \
    START_FILE=$start_file START_POS=$start_pos STATE_DIR="$work/state" PARALLELISM=$parallelism \
    /usr/bin/time -v -o "$work/time.txt" "${perf[@]}" build/examples/cdc-pipeline run "$yaml" \
    --until-caught-up --progress-interval 10 >"$work/pipeline.log" 2>&1 &
  time_pid=$!
  tail -n +1 -f --pid="$time_pid" "$work/pipeline.log" \
    | grep --line-buffered -E '^(progress|cdc-pipeline):' | sed -u 's/^/  /' &
  local tail_pid=$!
  wait "$time_pid" || status=$?
  pipeline_s=$(seconds_since "$started")
  broker_cpu_s=$(cpu_since "$broker_before" "$(cpu_of "$broker_pid")")
  time_pid=""
  wait "$tail_pid" || true
  if ((status != 0)); then
    tail -n 30 "$work/pipeline.log" >&2
    echo "run-kafka-bench: cdc-pipeline ($protocol) exited with $status" >&2
    exit 1
  fi
  changes=$(sed -nE 's/^cdc-pipeline: read ([0-9]+) changes.*/\1/p' "$work/pipeline.log")
  peak_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
  pipeline_cpu_s=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/time.txt")
  if [[ "${PERF_RECORD:-}" == 1 ]]; then
    # perf's own RSS is what /usr/bin/time saw: the figures of a perf run are not comparable.
    say "  perf report ($protocol), the top symbols by CPU samples:"
    perf report -i "$work/perf-$protocol.data" --stdio --sort dso 2>/dev/null \
      | awk '/^ +[0-9]/ && n++ < 8 { print "    " $0 }'
    perf report -i "$work/perf-$protocol.data" --stdio --sort dso,sym 2>/dev/null \
      | awk '/^ +[0-9]/ && n++ < 30 { print "    " $0 }'
  fi
}

# Replays topic $1's messages into the fresh topic $2 with kafka-producer-bench; sets messages,
# bytes, baseline_s, baseline_cpu_s (the producer's process), baseline_broker_cpu_s.
replay_baseline() {
  local out broker_before
  broker_before=$(cpu_of "$broker_pid")
  out=$(/usr/bin/time -v -o "$work/baseline-time.txt" build/test/kafka-producer-bench replay \
    "$brokers" "$1" "$2" "$baseline_repeats")
  baseline_broker_cpu_s=$(cpu_since "$broker_before" "$(cpu_of "$broker_pid")")
  echo "$out" | sed 's/^/  /'
  read -r messages bytes < <(echo "$out" | awk '/^count:/ { print $3, $5 }')
  baseline_s=$(echo "$out" | awk '/^best:/ { print $7 }')
  baseline_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/baseline-time.txt")
  # Reading the source topic into memory is in the process's CPU too; the figure is an upper bound.
  baseline_cpu_s=$(awk -F': ' '/User time|System time/ { s += $2 } END { printf "%.1f", s }' "$work/baseline-time.txt")
}

runs=()
blackhole_runs=()
IFS=, read -ra protocol_list <<<"$protocols"
for protocol in "${protocol_list[@]}"; do
  say "cdc-pipeline, protocol $protocol, parallelism $parallelism, from $start_file:$start_pos until caught up..."
  replay_into_kafka "$protocol" "bench-$protocol"
  say "  caught up in $pipeline_s s; $changes row changes read"
  if [[ "$protocol" == blackhole ]]; then
    blackhole_runs+=("$changes $pipeline_s $peak_rss_kb $pipeline_cpu_s")
    continue
  fi
  say "baseline: librdkafka producing the $protocol messages again into baseline-$protocol..."
  replay_baseline "bench-$protocol" "baseline-$protocol"
  if ((messages < changes)); then
    echo "run-kafka-bench: topic bench-$protocol holds $messages messages for $changes row changes" >&2
    exit 1
  fi
  runs+=("$protocol $changes $messages $bytes $pipeline_s $peak_rss_kb $pipeline_cpu_s $broker_cpu_s $baseline_s $baseline_rss_kb $baseline_cpu_s $baseline_broker_cpu_s")
done

# --- Live latency -------------------------------------------------------------------------
live_results=()
if [[ -n "$live_flush_intervals" ]]; then
  source_sql <<'SQL'
CREATE TABLE sbtest.latency (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  written DATETIME(6) NOT NULL);
CREATE TABLE sbtest.latency_warmup (id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL);
DELIMITER //
-- N single-row commits (autocommit: each INSERT its own transaction), paced to PER_SECOND.
CREATE PROCEDURE sbtest.paced_inserts(n INT, per_second INT)
BEGIN
  DECLARE i INT DEFAULT 0;
  DECLARE t0 DATETIME(6) DEFAULT SYSDATE(6);
  WHILE i < n DO
    INSERT INTO sbtest.latency (written) VALUES (SYSDATE(6));
    SET i = i + 1;
    DO SLEEP(GREATEST(0, TIMESTAMPDIFF(MICROSECOND, SYSDATE(6),
      t0 + INTERVAL (i * 1000000 DIV per_second) MICROSECOND) / 1e6));
  END WHILE;
END //
DELIMITER ;
SQL
  # The live pipeline: kafka-bench.yaml from the binlog's end, on the two latency tables.
  sed -e 's/scan.startup.mode: specific-offset/scan.startup.mode: latest-offset/' \
    -e '/scan.startup.specific-offset/d' test/bench/kafka-bench.yaml >"$work/kafka-live.yaml"
  inserts=$((live_rate * live_seconds))
  IFS=, read -ra interval_list <<<"$live_flush_intervals"
  for interval in "${interval_list[@]}"; do
    topic=latency-$interval
    build/test/kafka-latency-probe create-topic "$brokers" "$topic" 3
    rm -rf "$work/state"
    say "live: cdc-pipeline (canal-json, flush.interval $interval) from the binlog's end..."
    SOURCE_PORT=$CDC_TEST_MYSQL_PORT BROKERS=$brokers TOPIC=$topic PROTOCOL=canal-json \
      TABLES='sbtest.latency\.*' STATE_DIR="$work/state" PARALLELISM=$parallelism \
      FLUSH_INTERVAL=$interval /usr/bin/time -v -o "$work/time.txt" build/examples/cdc-pipeline \
      run "$work/kafka-live.yaml" --progress-interval 10 >"$work/live.log" 2>&1 &
    time_pid=$!
    # Ready when a warm-up row written after the start is in the topic.
    ready=0
    for ((waited = 0; waited < 120; waited++)); do
      source_sql -e "INSERT INTO sbtest.latency_warmup (at) VALUES (SYSDATE(6))"
      kill -0 "$time_pid" 2>/dev/null || { cat "$work/live.log" >&2; echo "run-kafka-bench: the live pipeline exited" >&2; exit 1; }
      if build/test/kafka-producer-bench count "$brokers" "$topic" | awk '{ exit !($3 > 0) }'; then
        ready=1
        break
      fi
      sleep 0.5
    done
    ((ready == 1)) || { tail -n 20 "$work/live.log" >&2; echo "run-kafka-bench: the live pipeline wrote nothing in 60 s" >&2; exit 1; }
    build/test/kafka-latency-probe consume "$brokers" "$topic" written "$inserts" \
      $((live_seconds + 120)) >"$work/probe.out" 2>"$work/probe.log" &
    probe_pid=$!
    sleep 1
    say "  $inserts single-row commits at $live_rate/s..."
    source_sql -e "SET time_zone = '+00:00'; CALL sbtest.paced_inserts($inserts, $live_rate)"
    probe_status=0
    wait "$probe_pid" || probe_status=$?
    pkill -TERM -P "$time_pid" 2>/dev/null || true
    wait "$time_pid" || { tail -n 30 "$work/live.log" >&2; echo "run-kafka-bench: the live pipeline failed" >&2; exit 1; }
    time_pid=""
    if ((probe_status != 0)); then
      cat "$work/probe.log" >&2
      echo "run-kafka-bench: the latency probe failed" >&2
      exit 1
    fi
    result=$(cat "$work/probe.out")
    say "  $result"
    live_rss_kb=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$work/time.txt")
    live_results+=("$interval $live_rss_kb $result")
  done
fi

# --- Figures -------------------------------------------------------------------------------
echo
echo "kafka bench: $tables tables x $rows rows, sysbench oltp_write_only $seconds s (4 threads," \
  "$sysbench_writes writes); $((binlog_bytes / 1048576)) MiB of binlog; pipeline parallelism" \
  "$parallelism; topics of 3 partitions, acks=-1, idempotent, no compression"
printf '  %-30s %10s %10s %8s %12s %10s %7s %9s %10s %10s %8s\n' run "row chg" messages seconds \
  "row chg/s" messages/s MB/s "RSS MiB" "CPU self" "CPU broker" "vs base"
for run in "${runs[@]}"; do
  read -r protocol changes messages bytes pipeline_s peak_rss_kb pipeline_cpu broker_cpu \
    baseline_s baseline_rss_kb baseline_cpu baseline_broker_cpu <<<"$run"
  awk -v p="$protocol" -v c="$changes" -v m="$messages" -v b="$bytes" -v s="$pipeline_s" \
    -v r="$peak_rss_kb" -v pc="$pipeline_cpu" -v bc="$broker_cpu" -v bs="$baseline_s" \
    -v br="$baseline_rss_kb" -v bpc="$baseline_cpu" -v bbc="$baseline_broker_cpu" 'BEGIN {
    f = "  %-30s %10s %10d %8.2f %12s %10.0f %7.1f %9.0f %10.1f %10.1f %8s\n"
    printf f, "cdc-pipeline " p, c, m, s, sprintf("%.0f", c / s), m / s, b / s / 1e6, r / 1024, pc, bc, sprintf("%.2f", bs / s)
    printf f, "librdkafka " p " (best)", "-", m, bs, "-", m / bs, b / bs / 1e6, br / 1024, bpc, bbc, "1.00"
  }'
done
for run in "${blackhole_runs[@]}"; do
  read -r changes pipeline_s peak_rss_kb pipeline_cpu <<<"$run"
  awk -v c="$changes" -v s="$pipeline_s" -v r="$peak_rss_kb" -v pc="$pipeline_cpu" 'BEGIN {
    printf "  %-30s %10s %10s %8.2f %12.0f %10s %7s %9.0f %10.1f %10s %8s\n", "cdc-pipeline blackhole sink", c, "-", s, c / s, "-", "-", r / 1024, pc, "-", "-" }'
done
echo "  (a librdkafka row's RSS and CPU are its whole process: reading the topic into memory and" \
  "all $baseline_repeats repeats; its seconds are the fastest repeat's)"
for result in "${live_results[@]}"; do
  read -r interval live_rss_kb _ _ n _ _ a50 _ a99 _ amax _ _ c50 _ c99 _ cmax <<<"$result"
  echo "  live, $live_rate commits/s for $live_seconds s, flush.interval $interval: $n messages;" \
    "commit -> broker append (LogAppendTime) p50 $a50 ms, p99 $a99 ms, max $amax ms;" \
    "-> consumer p50 $c50 ms, p99 $c99 ms; pipeline peak RSS $((live_rss_kb / 1024)) MiB"
done
