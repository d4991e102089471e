#!/usr/bin/env bash
# Exactly-once into Kafka across kill -9 (issue #17): cdc-pipeline replicates a table from the
# sandboxed MariaDB into Kafka with delivery-guarantee: exactly-once while a workload runs, and
# is killed with SIGKILL at random moments KILLS times and restarted from its checkpoints. At
# the end a read_committed consumer must see every row change exactly once: each INSERT of
# the workload once, each UPDATE once, nothing else, in each key's order.
#
#   test/kafka/run-with-kafka.sh test/pipeline/kafka_exactly_once_test.sh CDC_PIPELINE [KILLS=10] [ROWS=3000]
set -uo pipefail
cdc_pipeline=$(realpath "$1")  # before the cd: meson passes it relative to the build directory
cd "$(dirname "$0")/../.."
if [[ ! -x "$cdc_pipeline" ]]; then
  echo "kafka exactly-once test: no cdc-pipeline at $cdc_pipeline" >&2
  exit 1
fi
kills=${2:-10}
rows=${3:-3000}
source test/pipeline/check_lib.sh
work=$CDC_TEST_SANDBOX_DIR/tmp/eos
mkdir -p "$work"
sql() { mariadb --no-defaults -h 127.0.0.1 -P "$CDC_TEST_MYSQL_PORT" -u cdc -pcdc --batch --skip-column-names "$@"; }
topic=eos_$$
sql -e "DROP DATABASE IF EXISTS eos; CREATE DATABASE eos;
  CREATE TABLE eos.t (id INT NOT NULL PRIMARY KEY, v INT NOT NULL);
  CREATE TABLE eos.log (at INT NOT NULL, what VARCHAR(32) NOT NULL)"
cat >"$work/eos.yaml" <<YAML
source:
  type: mysql
  hostname: 127.0.0.1
  port: $CDC_TEST_MYSQL_PORT
  username: cdc
  password: cdc
  tables: eos.\\.*
  server-id: 7701
sink:
  type: kafka
  sink-uri: kafka://$CDC_TEST_KAFKA_BROKERS/$topic?protocol=canal-json&partition-num=3&delivery-guarantee=${EOS_GUARANTEE:-exactly-once}
pipeline:
  name: eos
  parallelism: 2
  flush.interval: 50ms
  checkpoint.interval: 300ms
  state.dir: $work/state
YAML

# The workload: row i is inserted, then row i-1 updated, one transaction each; a keyless log
# row with every tenth. Every change differs from every other. Paced (10 ms a row) so that it
# runs through the kills: a kill then always falls between a checkpoint and changes sent after
# it, which an at-least-once pipeline would send again (EOS_GUARANTEE=at-least-once shows it).
(
  for ((i = 1; i <= rows; i++)); do
    stmt="INSERT INTO eos.t VALUES ($i, 0);"
    ((i > 1)) && stmt+="UPDATE eos.t SET v = 1 WHERE id = $((i - 1));"
    ((i % 10 == 0)) && stmt+="INSERT INTO eos.log VALUES ($i, 'row $i');"
    echo "$stmt DO SLEEP(0.01);"
  done
) >"$work/workload.sql"
start_pipeline() {
  "$cdc_pipeline" run "$work/eos.yaml" >>"$work/pipeline.log" 2>&1 &
  pipeline=$!
}
# The workload starts once the pipeline has saved a checkpoint (its snapshot of the empty
# tables is done and it follows the binlog): every change is then a change of the stream.
start_pipeline
for ((wait_s = 0; wait_s < 600; wait_s++)); do
  [[ -n "$(ls "$work/state" 2>/dev/null)" ]] && break
  sleep 0.1
done
sql <"$work/workload.sql" &
workload=$!
for ((k = 1; k <= kills; k++)); do
  ((k > 1)) && start_pipeline
  if ! kill -0 "$workload" 2>/dev/null; then
    echo "the workload ended before kill $k: raise ROWS so that it runs through the kills" >&2
  fi
  sleep "$(awk -v seed="$RANDOM" 'BEGIN { srand(seed); printf "%.2f", 0.8 + rand() * 2.2 }')"
  kill -KILL "$pipeline" 2>/dev/null
  wait "$pipeline" 2>/dev/null
  pipeline=
done
wait "$workload"
start_pipeline
expected=$((rows + rows - 1 + rows / 10))
count_rows() {
  kcat -C -b "$CDC_TEST_KAFKA_BROKERS" -t "$topic" -e -q -X isolation.level=read_committed \
    -f '%s\n' 2>/dev/null | jq -c 'select(.isDdl == false)' >"$work/messages.jsonl"
  wc -l <"$work/messages.jsonl"
}
for ((wait_s = 0; wait_s < 120; wait_s++)); do
  (($(count_rows) >= expected)) && break
  sleep 1
done
kill -TERM "$pipeline"
wait "$pipeline"
status=$?
pipeline=

every_change_once() {
  local got duplicates missing
  got=$(count_rows)
  echo "row change messages: $got, changes made: $expected, kills: $kills"
  # Each change's identity: type, table and the row's values.
  duplicates=$(jq -r '[.type, .table, (.data[0] | tostring)] | join(" ")' "$work/messages.jsonl" |
    sort | uniq -d | head -5)
  [[ -z "$duplicates" ]] || { echo "sent twice: $duplicates" >&2; return 1; }
  missing=$(comm -23 <(for ((i = 1; i <= rows; i++)); do
      echo "INSERT t {\"id\":\"$i\",\"v\":\"0\"}"
      ((i > 1)) && echo "UPDATE t {\"id\":\"$((i - 1))\",\"v\":\"1\"}"
      ((i % 10 == 0)) && echo "INSERT log {\"at\":\"$i\",\"what\":\"row $i\"}"
    done | sort) <(jq -r '[.type, .table, (.data[0] | tostring)] | join(" ")' "$work/messages.jsonl" | sort) | head -5)
  [[ -z "$missing" ]] || { echo "never sent: $missing" >&2; return 1; }
  ((got == expected))
}
check "the pipeline stopped cleanly on SIGTERM after $kills kill -9" test "$status" -eq 0
check "a read_committed consumer sees every change exactly once" every_change_once
grep -c "resuming from checkpoint" "$work/pipeline.log" | sed 's/^/restarts resumed from a checkpoint: /'
if ((failed > 0)); then
  echo "--- the pipeline's log (last 40 lines):"
  grep -v '^progress' "$work/pipeline.log" | tail -n 40
fi
echo "kafka exactly-once test: $passed passed, $failed failed"
((failed == 0))
