#!/usr/bin/env bash
# The Kafka demo: MySQL-to-Kafka with canal-json, between a sandboxed MariaDB and a sandboxed
# Kafka broker this script starts (and stops) itself; then a consumer rebuilds the tables from
# the topic on a second MariaDB server, and they are compared with the source.
#
#   bash examples/demo-kafka.sh [workload rounds=100]
#
# 1. installs what it needs (MariaDB, the JDK and Kafka's jars) and builds; starts two MariaDB
#    servers and one Kafka broker on 127.0.0.1;
# 2. creates the `shop` database of the MySQL demo on the source;
# 3. runs build/examples/cdc-pipeline on examples/mysql-to-kafka.yaml while the demo's mixed
#    workload (with four ALTER TABLEs) runs on the source;
# 4. build/test/kafka/kafka-rebuild reads the topic from its beginning and applies it to the
#    second server (the CREATE TABLE the snapshot announces each table with, the DDL statements
#    and the rows), until its tables equal the source's; then stops
#    the pipeline with SIGTERM and compares every table's columns and rows.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-100}
if [[ "${CDC_DEMO_INNER:-}" != 1 ]]; then
  bash test/install-deps.sh
  bash test/build.sh
  CDC_DEMO_INNER=1 CDC_SANDBOXES=2 exec test/kafka/run-with-kafka.sh "$(realpath "$0")" "$rounds"
fi

export SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET_PORT MYSQL_PASSWORD=cdc
export KAFKA_BROKERS=$CDC_TEST_KAFKA_BROKERS KAFKA_TOPIC=shop
export STATE_DIR=$CDC_TEST_SANDBOX_DIR/tmp/kafka-pipeline-state
# shellcheck source=examples/demo-lib.sh
source examples/demo-lib.sh
rebuild=build/test/kafka/kafka-rebuild

echo "== source 127.0.0.1:$SOURCE_PORT, Kafka $KAFKA_BROKERS, rebuild target 127.0.0.1:$TARGET_PORT"
shop_create 2000

log=$CDC_TEST_SANDBOX_DIR/tmp/kafka-pipeline.log
build/examples/cdc-pipeline run examples/mysql-to-kafka.yaml --progress-interval 2 2> >(tee "$log" >&2) &
pipeline=$!
trap 'kill -KILL "$pipeline" 2>/dev/null || true' EXIT
started=$SECONDS
echo "== pipeline started (pid $pipeline); running $rounds workload rounds on the source"
for ((round = 1; round <= rounds; round++)); do
  shop_workload_round "$round"
done
echo "== workload done in $((SECONDS - started)) s; rebuilding the tables from topic $KAFKA_TOPIC"

# Every table's live rows on the rebuild target, as shop_fingerprint_source reads the source's.
fingerprint_target() {
  local table out=""
  for table in $SHOP_TABLES; do
    out+=$(on_target -e "SELECT COUNT(*), COALESCE(SUM(CRC32(CONCAT_WS('|', $(shop_columns $table)))), 0) FROM shop.$table" 2>/dev/null || echo missing)" "
  done
  echo "$out"
}
for attempt in 1 2 3 4 5 6; do
  "$rebuild" apply "$KAFKA_BROKERS" "$KAFKA_TOPIC" shop "$TARGET_PORT" 3
  [[ "$(fingerprint_target)" == "$(shop_fingerprint_source)" ]] && break
  if ((attempt == 6)); then
    echo "== the rebuilt tables do not equal the source: source [$(shop_fingerprint_source)] rebuilt [$(fingerprint_target)]" >&2
    exit 1
  fi
done
echo "== rebuilt $((SECONDS - started)) s after the start"
kill -TERM "$pipeline"
status=0
wait "$pipeline" || status=$?
if ((status != 0)); then
  echo "== the pipeline exited with $status after SIGTERM (expected 0)" >&2
  exit 1
fi
echo "== comparing source and rebuilt tables: columns, then rows"
status=0
for table in $SHOP_TABLES; do
  if ! diff <(shop_definition on_source "$table") <(shop_definition on_target "$table"); then
    echo "SCHEMA MISMATCH in shop.$table (source <, rebuilt >)" >&2
    status=1
  fi
  if ! diff <(shop_rows_source "$table") \
    <(on_target -e "SELECT $(shop_columns "$table") FROM shop.$table ORDER BY $(shop_columns "$table")") | head -20; then
    status=1
  fi
  if [[ "$(shop_rows_source "$table" | md5sum)" != \
    "$(on_target -e "SELECT $(shop_columns "$table") FROM shop.$table ORDER BY $(shop_columns "$table")" | md5sum)" ]]; then
    echo "MISMATCH in shop.$table" >&2
    status=1
  else
    echo "  shop.$table: $(shop_definition on_source "$table" | wc -l) columns and $(on_source -e "SELECT COUNT(*) FROM shop.$table") rows equal"
  fi
done
messages=$(grep -oE 'read [0-9]+ changes' "$log" | tail -1 | grep -oE '[0-9]+' || echo "?")
echo "== the pipeline read $messages changes; the tables rebuilt from Kafka equal the source"
exit "$status"
