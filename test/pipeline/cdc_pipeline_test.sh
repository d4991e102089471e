#!/usr/bin/env bash
# End-to-end tests of build/examples/cdc-pipeline between two sandboxed MariaDB servers (run by
# test/run-integration.sh with CDC_SANDBOXES=2):
#   1. crash loop: the pipeline is killed with SIGKILL at random moments (at least 10 times)
#      while a live workload runs on the source and restarted each time from its checkpoints;
#      at the end the target equals the source, row by row;
#   2. SIGTERM: the pipeline exits 0 after a final checkpoint, and a restart from it has
#      nothing left to replay that changes the target;
#   3. examples/sharded-orders.yaml: a route merges order shards of several databases into one
#      table while a transform keeps only some columns and the rows its filter accepts,
#      across a snapshot and then streamed inserts, updates and deletes;
#   4. damaged checkpoints (truncated, a number out of range) are refused, never a crash;
#   5. a source server with binary logging off is refused at start with the setting to change
#      (the target server is restarted without a binlog for it, and restarted again after).
# Prints a doctest-style summary line so test/run-all.sh counts its cases.
#   test/pipeline/cdc_pipeline_test.sh PIPELINE_BINARY
set -uo pipefail
binary=$(realpath "$1")
cd "$(dirname "$0")/../.."
export SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET_PORT MYSQL_PASSWORD=cdc
work=$CDC_TEST_SANDBOX_DIR/tmp/crash-loop
export STATE_DIR=$work/state TMPDIR=$work
mkdir -p "$work"
# shellcheck source=examples/demo-lib.sh
source examples/demo-lib.sh

# shellcheck source=test/pipeline/check_lib.sh
source test/pipeline/check_lib.sh
start_pipeline() {
  "$binary" run examples/mysql-to-mysql.yaml --progress-interval 0 >>"$work/pipeline.out" 2>>"$work/pipeline.log" &
  pipeline=$!
}

crash_loop() {
  shop_create 500 || return 1
  (for ((round = 1; round <= 400; round++)); do shop_workload_round "$round" || exit 1; sleep 0.01; done) &
  local workload=$! kills=0
  RANDOM=42
  while ((kills < 12)) || kill -0 "$workload" 2>/dev/null; do
    start_pipeline
    sleep "$((RANDOM % 20 / 10)).$((RANDOM % 10))"  # 0.0 .. 1.9 s
    kill -KILL "$pipeline" 2>/dev/null && kills=$((kills + 1))
    wait "$pipeline" 2>/dev/null
  done
  wait "$workload" || { echo "the workload failed" >&2; return 1; }
  local checkpoints
  checkpoints=$(grep -c "resuming from checkpoint" "$work/pipeline.log")
  echo "killed the pipeline $kills times during the workload"
  start_pipeline
  shop_wait_caught_up 180 || return 1
  # The restart replays from its checkpoint: the data may have been equal before the replay
  # wrote older images again (a stop now would leave them); a checkpoint past the end says the
  # replay is over.
  shop_wait_checkpoint_at_end "$STATE_DIR" 180 || return 1
  kill -TERM "$pipeline"
  wait "$pipeline" || { echo "exit status $? after SIGTERM" >&2; return 1; }
  shop_compare || return 1
  # Restarts resumed from checkpoints (runs that got far enough to finish one).
  echo "killed runs that had resumed from a checkpoint: $checkpoints"
  ((kills >= 10 && checkpoints >= 5))
}

sigterm_final_checkpoint() {
  local before after
  shop_workload_round 9001 || return 1
  start_pipeline
  shop_wait_caught_up 60 || return 1
  kill -TERM "$pipeline"
  wait "$pipeline" || { echo "exit status $? after SIGTERM, expected 0" >&2; return 1; }
  grep -q "taking a final checkpoint" "$work/pipeline.log" || return 1
  before=$(tail -1 "$work/pipeline.log")
  # Everything up to the final checkpoint is on the target: a restart that catches up writes
  # no change that alters it.
  after=$(on_target -e "CHECKSUM TABLE shop.orders, shop.order_items, shop.customers" | awk '{print $2}' | tr '\n' ' ')
  "$binary" run examples/mysql-to-mysql.yaml --until-caught-up --progress-interval 0 2>>"$work/pipeline.log" || return 1
  [[ "$(on_target -e "CHECKSUM TABLE shop.orders, shop.order_items, shop.customers" | awk '{print $2}' | tr '\n' ' ')" == "$after" ]] \
    || { echo "the restart after SIGTERM changed the target" >&2; return 1; }
  echo "final line before the restart: $before"
  tail -1 "$work/pipeline.log"
  # Checkpoint numbers continue across runs, so the newest file holds the newest state.
  local last_id restored_id
  last_id=$(echo "$before" | grep -oE 'last checkpoint [0-9]+' | grep -oE '[0-9]+')
  restored_id=$(tail -1 "$work/pipeline.log" | grep -oE 'resumed from checkpoint [0-9]+' | grep -oE '[0-9]+')
  [[ -n "$last_id" && "$restored_id" == "$last_id" ]] \
    || { echo "the restart resumed from checkpoint '$restored_id', not the last one '$last_id'" >&2; return 1; }
}

sharded_orders() {
  local shard table
  for shard in 1 2; do
    on_source -e "DROP DATABASE IF EXISTS shard_$shard; CREATE DATABASE shard_$shard;
      CREATE TABLE shard_$shard.customers (id INT PRIMARY KEY, name VARCHAR(32));
      INSERT INTO shard_$shard.customers VALUES ($shard * 100 + 1, 'c$shard-1'), ($shard * 100 + 2, 'c$shard-2');" || return 1
    for table in orders_0 orders_1; do
      on_source -e "CREATE TABLE shard_$shard.$table (id BIGINT PRIMARY KEY, customer_id INT NOT NULL,
          amount DECIMAL(10,2) NOT NULL, status VARCHAR(16) NOT NULL, note TEXT);
        INSERT INTO shard_$shard.$table SELECT $shard * 1000 + ${table#orders_} * 100 + seq, seq % 3,
          seq * 2.5, ELT(1 + seq % 3, 'new', 'paid', 'cancelled'), 'x' FROM shard_1.seq_1_to_30;" || return 1
    done
  done
  local state=$work/sharded-state
  STATE_DIR=$state SERVER_ID=5499 "$binary" run examples/sharded-orders.yaml --until-caught-up \
    --progress-interval 0 2>>"$work/pipeline.log" || return 1
  # Streamed changes: a row enters the filter, one leaves it, one is deleted, one is inserted.
  on_source -e "UPDATE shard_1.orders_0 SET status = 'paid' WHERE id = 1003;
    UPDATE shard_2.orders_1 SET status = 'cancelled' WHERE id = 2104;
    DELETE FROM shard_1.orders_1 WHERE id = 1107;
    INSERT INTO shard_2.orders_0 VALUES (2999, 1, 99.50, 'paid', 'late');
    UPDATE shard_2.customers SET name = 'renamed' WHERE id = 201;" || return 1
  STATE_DIR=$state SERVER_ID=5499 "$binary" run examples/sharded-orders.yaml --until-caught-up \
    --progress-interval 0 2>>"$work/pipeline.log" || return 1
  local expected actual
  expected=$(for shard in 1 2; do for table in orders_0 orders_1; do
      on_source -e "SELECT id, customer_id, amount, status FROM shard_$shard.$table WHERE status = 'paid' AND amount > 10.00"
    done; done | sort -n)
  actual=$(on_target -e "SELECT id, customer_id, amount, status FROM warehouse.orders ORDER BY id")
  [[ "$expected" == "$actual" ]] || { echo "warehouse.orders differs:"; diff <(echo "$expected") <(echo "$actual"); return 1; }
  [[ "$(on_target -e "SELECT GROUP_CONCAT(column_name ORDER BY ordinal_position) FROM information_schema.columns
        WHERE table_schema = 'warehouse' AND table_name = 'orders'")" == "id,customer_id,amount,status" ]] || return 1
  [[ "$(on_target -e "SELECT GROUP_CONCAT(id, '=', name ORDER BY id) FROM warehouse.customers")" == \
     "101=c1-1,102=c1-2,201=renamed,202=c2-2" ]] || return 1
  echo "warehouse.orders: $(echo "$actual" | wc -l) rows from 4 shards, as the filter and projection say"
}

validate_reports_every_problem() {
  local bad=$work/bad.yaml out status=0
  cat >"$bad" <<'YAML'
source:
  type: mysql
  hostname: 127.0.0.1
  usrname: cdc
  tables: shop.(orders
  server-id: 0
sink:
  type: mysql
  port: seventy
pipeline:
  parallelism: 0
  schema.change.behavior: sometimes
YAML
  out=$("$binary" validate "$bad" 2>&1) || status=$?
  echo "$out"
  ((status == 2)) || { echo "exit status $status, expected 2"; return 1; }
  local expected
  for expected in "$bad:4:3: source.usrname: unknown key: did you mean 'username'?" \
      "$bad:1:1: source.username: required key is missing" \
      "$bad:5:3: source.tables: 'shop.(orders' is not a valid regular expression" \
      "$bad:6:3: source.server-id: 0 is out of range" "$bad:7:1: sink.hostname: required key is missing" \
      "$bad:9:3: sink.port: 'seventy' is not a whole number" "$bad:11:3: pipeline.parallelism: 0 is out of range" \
      "$bad:12:3: pipeline.schema.change.behavior: unknown schema change behavior 'sometimes'"; do
    grep -qF -- "$expected" <<<"$out" || { echo "missing: $expected"; return 1; }
  done
  # run refuses the same file with the same exit code, before connecting anywhere.
  status=0
  "$binary" run "$bad" >/dev/null 2>&1 || status=$?
  ((status == 2)) || { echo "run exit status $status, expected 2"; return 1; }
  MYSQL_PASSWORD=cdc "$binary" validate examples/mysql-to-mysql.yaml || return 1
}

# A copy of the newest checkpoint of $STATE_DIR, damaged by EXPR ("REGEX=>REPLACEMENT", applied
# to the source's state; "half" truncates the file), is refused: never a crash, and the message
# names the file or the line. The section's size and checksum are made to fit the damage, unless
# CHECKSUM is "stale" (bytes changed behind the file's back).
damaged_checkpoint_refused() {
  local expr=$1 expected_status=$2 expected=$3 checksum=${4:-fit} dir=$work/damaged-state status=0 newest
  rm -rf "$dir" && mkdir -p "$dir" || return 1
  newest=$(find "$STATE_DIR" -name 'checkpoint-*' ! -name '*.tmp' | sort | tail -n 1)
  [[ -n "$newest" ]] || { echo "no checkpoint in $STATE_DIR to damage"; return 1; }
  if [[ "$expr" == half ]]; then
    head -c "$(($(stat -c %s "$newest") / 2))" "$newest" >"$dir/$(basename "$newest")"
  else
    # The edit goes into the source's section, whose size line is then made to fit it again.
    python3 - "$expr" "$newest" "$dir/$(basename "$newest")" "$checksum" <<'PY' || return 1
import re, sys, zlib
pattern, replacement = (part.encode() for part in sys.argv[1].split("=>"))
data = open(sys.argv[2], "rb").read()
match = re.search(rb"section source\.0 (\d+) ([0-9a-f]{8})\n", data)
begin = match.end()
state = data[begin:begin + int(match.group(1))]
damaged = re.sub(pattern, replacement, state, count=1, flags=re.M)
crc = match.group(2) if sys.argv[4] == "stale" else b"%08x" % zlib.crc32(damaged)
data = data[:match.start()] + b"section source.0 %d %s\n" % (len(damaged), crc) + damaged + data[begin + len(state):]
open(sys.argv[3], "wb").write(data)
PY
  fi
  cmp -s "$newest" "$dir/$(basename "$newest")" && { echo "the damage changed nothing: $expr"; return 1; }
  STATE_DIR=$dir "$binary" run examples/mysql-to-mysql.yaml --until-caught-up --progress-interval 0 \
    >"$work/damaged.out" 2>&1 || status=$?
  cat "$work/damaged.out"
  ((status == expected_status)) || { echo "exit status $status, expected $expected_status"; return 1; }
  grep -qF -- "$expected" "$work/damaged.out"
}

# --log-format json: every engine message is one JSON object with time, level, component and
# message (the snapshot's summary among them); an unknown level is bad usage (exit 2).
json_log_lines() {
  local out=$work/json.out status=0
  STATE_DIR=$work/json-state "$binary" run examples/mysql-to-mysql.yaml --until-caught-up \
    --progress-interval 0 --log-format json 2>"$out" >/dev/null || status=$?
  ((status == 0)) || { cat "$out"; echo "exit status $status, expected 0"; return 1; }
  if grep -q '^\[' "$out"; then echo "a text line under --log-format json:"; grep '^\[' "$out" | head -3; return 1; fi
  python3 - "$out" <<'PY' || return 1
import json, sys
lines = [json.loads(line) for line in open(sys.argv[1]) if line.startswith("{")]
for line in lines:
    assert set(line) == {"time", "level", "component", "message"}, line
assert any(l["component"] == "mysql source" and l["level"] == "info" and l["message"].startswith("snapshot done")
           for l in lines), lines[:5]
print(f"{len(lines)} JSON log lines")
PY
  status=0
  "$binary" run examples/mysql-to-mysql.yaml --log-level verbose >"$out" 2>&1 || status=$?
  ((status == 2)) || { echo "exit status $status for --log-level verbose, expected 2"; return 1; }
  grep -qF "unknown log level 'verbose': use debug, info, warning or error" "$out"
}

# Last: it restarts the target server.
binlog_off_refused() {
  local dir status=0
  dir=$(dirname "$CDC_TEST_TARGET_SOCKET")
  test/mariadb-sandbox.sh stop "$dir" || return 1
  CDC_SANDBOX_LOG_BIN=0 test/mariadb-sandbox.sh start "$dir" "$CDC_TEST_TARGET_PORT" >/dev/null || return 1
  SOURCE_PORT=$CDC_TEST_TARGET_PORT STATE_DIR=$work/binlog-off-state "$binary" run examples/mysql-to-mysql.yaml --until-caught-up \
    --progress-interval 0 >"$work/binlog-off.out" 2>&1 || status=$?
  test/mariadb-sandbox.sh stop "$dir" && test/mariadb-sandbox.sh start "$dir" "$CDC_TEST_TARGET_PORT" >/dev/null \
    || return 1
  cat "$work/binlog-off.out"
  ((status == 3)) || { echo "exit status $status, expected 3 (could not start)"; return 1; }
  grep -q "binary logging is off on cdc@127.0.0.1:$CDC_TEST_TARGET_PORT" "$work/binlog-off.out" || return 1
  grep -q "start the server with log_bin" "$work/binlog-off.out"
}

check "validate reports every problem of a pipeline file with its line and column" validate_reports_every_problem
check "the pipeline killed with SIGKILL at random moments during a live workload ends with the target equal to the source" crash_loop
check "SIGTERM leaves a final checkpoint from which a restart changes nothing" sigterm_final_checkpoint
check "a route merges shards into one table while a transform projects and filters its rows" sharded_orders
check "a truncated checkpoint file is refused at start, naming the file and the fix" \
  damaged_checkpoint_refused half 3 \
  "(restore it from a backup, or remove it to resume from the checkpoint before it): damaged checkpoint: section source.0 is truncated"
check "a checkpoint whose bytes changed after it was written is refused by its checksum" \
  damaged_checkpoint_refused '^(binlog\t[^:]*:)([0-9]+)=>\g<1>\g<2>1' 3 \
  "damaged checkpoint: section source.0 does not match its checksum" stale
# A state the source cannot read is refused before the job starts (exit 3) with the file, the
# line and the fix; an offset out of range used to be read as another number.
check "a checkpoint whose binlog offset is out of range is refused with the file, the line and the fix" \
  damaged_checkpoint_refused '^(binlog\t[^:]*:)[0-9]+=>\g<1>99999999999999999999999' 3 \
  "is not a binlog position: write file:offset, as in mysql-bin.000003:4): pass the state the source reported, unchanged; the file was damaged after it was written"
check "a checkpoint whose source state holds an unknown line is refused before the job starts" \
  damaged_checkpoint_refused '^binlog\t=>bin-log\t' 3 \
  "resume state line 'bin-log"
check "--log-format json writes the engine's messages as JSON lines" json_log_lines
check "a source with binary logging off is refused at start with the setting to change" binlog_off_refused

if ((failed > 0)); then
  echo "--- last pipeline log lines:" >&2
  tail -30 "$work/pipeline.log" >&2
fi
echo "[doctest] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
((failed == 0))
