#!/usr/bin/env bash
# The main job's demo: MySQL-to-MySQL replication with logical deletes, between two sandboxed
# MariaDB servers this script starts (and stops) itself.
#
#   bash examples/demo.sh [workload rounds=300]
#
# 1. installs what it needs and builds; starts a source and a target server on 127.0.0.1;
# 2. creates the `shop` database on the source (customers, orders, order_items, and audit,
#    which has no key) with data;
# 3. runs build/examples/cdc-pipeline on examples/mysql-to-mysql.yaml: it snapshots the
#    tables, then follows the binlog while a mixed workload (transactions of inserts, updates
#    and deletes, key changes, upserts, and four ALTER TABLEs: add, modify and rename columns,
#    add and drop an index) runs on the source;
# 4. waits until the target has caught up, stops the pipeline with SIGTERM (final checkpoint),
#    compares every table's columns and rows (logically deleted rows are kept on the target
#    with _is_deleted = 1) and prints what it did and how fast.
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${1:-300}
if [[ "${CDC_DEMO_INNER:-}" != 1 ]]; then
  bash test/install-deps.sh
  bash test/build.sh
  CDC_DEMO_INNER=1 CDC_SANDBOXES=2 exec test/run-integration.sh "$(realpath "$0")" "$rounds"
fi

export SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET_PORT MYSQL_PASSWORD=cdc
export STATE_DIR=$CDC_TEST_SANDBOX_DIR/tmp/pipeline-state
# shellcheck source=examples/demo-lib.sh
source examples/demo-lib.sh

echo "== source 127.0.0.1:$SOURCE_PORT, target 127.0.0.1:$TARGET_PORT"
shop_create 2000
echo "== shop created on the source: $(on_source -e "SELECT COUNT(*) FROM shop.customers") customers," \
  "$(on_source -e "SELECT COUNT(*) FROM shop.orders") orders, $(on_source -e "SELECT COUNT(*) FROM shop.order_items") order items"

log=$CDC_TEST_SANDBOX_DIR/tmp/pipeline.log
build/examples/cdc-pipeline run examples/mysql-to-mysql.yaml --progress-interval 2 2> >(tee "$log" >&2) &
pipeline=$!
trap 'kill -KILL "$pipeline" 2>/dev/null || true' EXIT  # never outlive the servers on failure
started=$SECONDS
echo "== pipeline started (pid $pipeline); running $rounds workload rounds on the source"
for ((round = 1; round <= rounds; round++)); do
  shop_workload_round "$round"
done
workload_s=$((SECONDS - started))
echo "== workload done in ${workload_s} s; waiting for the target to catch up"
shop_wait_caught_up 180
caught_up_s=$((SECONDS - started))
kill -TERM "$pipeline"
status=0
wait "$pipeline" || status=$?
if ((status != 0)); then
  echo "== the pipeline exited with $status after SIGTERM (expected 0)" >&2
  exit 1
fi
echo "== caught up ${caught_up_s} s after the start; the pipeline stopped cleanly on SIGTERM"
echo "== comparing source and target: columns, then rows"
shop_compare
changes=$(grep -oE 'read [0-9]+ changes' "$log" | tail -1 | grep -oE '[0-9]+')
altered=$(grep -c '^\[mysql sink\] applied alter table' "$log" || true)
echo "== demo passed: ${changes:-?} changes replicated (snapshot + ${rounds} workload rounds), ${altered} ALTER TABLEs applied on the target;"
echo "   the target equals the source; see $log for the pipeline's progress lines"
