#!/usr/bin/env bash
# The exit codes of build/examples/cdc-pipeline (README: 0 done, 1 failed while running,
# 2 bad usage or invalid file, 3 could not start), each caused for real between two sandboxed
# MariaDB servers (run by test/run-integration.sh with CDC_SANDBOXES=2), with the message that
# names the cause and the fix:
#   3: a source user without replication grants, binlog_format STATEMENT, an unreachable
#      target, a state directory that cannot be created or is not writable;
#   1: a row the target rejects, a checkpoint that can no longer be saved, the source server
#      gone for good (after the reconnects; last: it stops the source server and starts it
#      again).
# (Bad usage and invalid files, exit 2, are in cdc_pipeline_test.sh and progress_line_test.sh;
# binary logging off, exit 3, in cdc_pipeline_test.sh.)
# Prints a doctest-style summary line so test/run-all.sh counts its cases.
#   test/pipeline/exit_codes_test.sh PIPELINE_BINARY
set -uo pipefail
binary=$(realpath "$1")
cd "$(dirname "$0")/../.."
export SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET_PORT MYSQL_PASSWORD=cdc
work=$CDC_TEST_SANDBOX_DIR/tmp/exit-codes
mkdir -p "$work"
chmod 755 "$work"
# shellcheck source=examples/demo-lib.sh
source examples/demo-lib.sh

# shellcheck source=test/pipeline/check_lib.sh
source test/pipeline/check_lib.sh

cat >"$work/exits.yaml" <<'YAML'
source:
  type: mysql
  hostname: 127.0.0.1
  port: ${SOURCE_PORT}
  username: ${SOURCE_USER:-cdc}
  password: ${SOURCE_PASSWORD:-cdc}
  tables: exits.\.*
  server-id: 5701
  connect.max-retries: 2
  connect.retry-backoff: 100ms
sink:
  type: mysql
  hostname: 127.0.0.1
  port: ${TARGET_PORT}
  username: cdc
  password: cdc
pipeline:
  name: exits
  checkpoint.interval: 1s
  state.dir: ${STATE_DIR}
YAML
chmod 644 "$work/exits.yaml"

# Runs the pipeline with the environment assignments given before `--` and the arguments
# after it; its output goes to $work/out. Sets `status`.
run_pipeline() {
  local env=()
  while [[ "$1" != -- ]]; do env+=("$1"); shift; done
  shift
  status=0
  env STATE_DIR="$work/state-$RANDOM" "${env[@]}" "$binary" run "$work/exits.yaml" --progress-interval 0 "$@" \
    >"$work/out" 2>&1 || status=$?
  cat "$work/out"
}

# expect STATUS TEXT...: the last run exited with STATUS and printed each TEXT.
expect() {
  local expected=$1 text
  shift
  ((status == expected)) || { echo "exit status $status, expected $expected"; return 1; }
  for text in "$@"; do
    grep -qF -- "$text" "$work/out" || { echo "missing: $text"; return 1; }
  done
}

# Runs COMMAND... as an unprivileged user when this script runs as root (for whom every
# directory is writable), else as is.
unprivileged() {
  if ((EUID == 0)); then
    setpriv --reuid=65534 --regid=65534 --clear-groups -- "$@"
  else
    "$@"
  fi
}

fresh_source() {
  on_source -e "DROP DATABASE IF EXISTS exits; CREATE DATABASE exits;
    CREATE TABLE exits.t (id INT PRIMARY KEY, v VARCHAR(20));
    INSERT INTO exits.t SELECT seq, 'ok' FROM exits.seq_1_to_50;" || return 1
  on_target -e "DROP DATABASE IF EXISTS exits"
}

missing_grants() {
  fresh_source || return 1
  on_source -e "DROP USER IF EXISTS 'cdc_selectonly'@'127.0.0.1';
    CREATE USER 'cdc_selectonly'@'127.0.0.1' IDENTIFIED BY 'x'; GRANT SELECT ON *.* TO 'cdc_selectonly'@'127.0.0.1'" || return 1
  run_pipeline SOURCE_USER=cdc_selectonly SOURCE_PASSWORD=x -- --until-caught-up
  expect 3 "mysql source" "GRANT REPLICATION SLAVE"
}

statement_binlog() {
  fresh_source || return 1
  on_source -e "SET GLOBAL binlog_format = 'STATEMENT'" || return 1
  run_pipeline -- --until-caught-up
  on_source -e "SET GLOBAL binlog_format = 'ROW'" || return 1
  expect 3 "binlog_format is STATEMENT" "SET GLOBAL binlog_format = 'ROW'"
}

unreachable_target() {
  fresh_source || return 1
  run_pipeline TARGET_PORT=1 -- --until-caught-up
  expect 3 "mysql sink" "cdc@127.0.0.1:1" "check that the server runs and that host, port or socket are right"
}

state_dir_not_a_directory() {
  fresh_source || return 1
  echo "a file" >"$work/plain-file"
  run_pipeline STATE_DIR="$work/plain-file/state" -- --until-caught-up
  expect 3 "cannot create the state directory $work/plain-file/state" "choose a writable pipeline.state.dir"
}

state_dir_not_writable() {
  fresh_source || return 1
  rm -rf "$work/read-only" && mkdir -p "$work/read-only" && chmod 555 "$work/read-only" || return 1
  status=0
  unprivileged env STATE_DIR="$work/read-only" "$binary" run "$work/exits.yaml" --until-caught-up \
    --progress-interval 0 >"$work/out" 2>&1 || status=$?
  cat "$work/out"
  expect 3 "the state directory $work/read-only is not writable: Permission denied" \
    "give the pipeline's user write access to it, or choose another pipeline.state.dir"
}

target_rejects_a_row() {
  fresh_source || return 1
  on_source -e "INSERT INTO exits.t VALUES (77, 'far too long here')" || return 1
  on_target -e "CREATE DATABASE exits; CREATE TABLE exits.t (id INT PRIMARY KEY, v VARCHAR(2))" || return 1
  run_pipeline -- --until-caught-up
  expect 1 "the target rejected key id=77" "server error 1406 (22001): Data too long for column 'v'" \
    "fix the target table or the value, then restart from the last checkpoint"
}

# The state directory stops taking files while the job runs: the job stops at the next
# checkpoint instead of running on without them.
checkpoint_save_fails() {
  fresh_source || return 1
  local state=$work/writable-state
  rm -rf "$state" && mkdir -p "$state" && chmod 755 "$state" || return 1
  ((EUID == 0)) && chown 65534:65534 "$state"
  status=0
  unprivileged env STATE_DIR="$state" "$binary" run "$work/exits.yaml" --progress-interval 0 \
    >"$work/out" 2>&1 &
  pipeline=$!
  local deadline=$((SECONDS + 30))
  until [[ -n "$(find "$state" -name 'checkpoint-*' ! -name '*.tmp')" ]]; do
    ((SECONDS < deadline)) || { echo "no checkpoint was saved"; cat "$work/out"; return 1; }
    sleep 0.2
  done
  chmod 555 "$state"
  deadline=$((SECONDS + 30))
  while kill -0 "$pipeline" 2>/dev/null; do
    ((SECONDS < deadline)) || { echo "the pipeline ran on without saving checkpoints"; chmod 755 "$state"; return 1; }
    sleep 0.2
  done
  wait "$pipeline" || status=$?
  pipeline=
  chmod 755 "$state"
  cat "$work/out"
  expect 1 "saving checkpoint" "the job stopped; fix the state directory and restart" "Permission denied"
}

# Last: it stops the source server, and starts it again after.
source_gone() {
  fresh_source || return 1
  STATE_DIR="$work/state-gone" "$binary" run "$work/exits.yaml" --progress-interval 0 >"$work/out" 2>&1 &
  pipeline=$!
  local deadline=$((SECONDS + 60))
  until [[ "$(on_target -e "SELECT COUNT(*) FROM exits.t" 2>/dev/null)" == 50 ]]; do
    ((SECONDS < deadline)) || { echo "the target did not catch up"; cat "$work/out"; return 1; }
    sleep 0.2
  done
  "$CDC_TEST_SANDBOX_SCRIPT" stop "$CDC_TEST_SANDBOX_DIR" || return 1
  status=0
  deadline=$((SECONDS + 60))
  while kill -0 "$pipeline" 2>/dev/null && ((SECONDS < deadline)); do sleep 0.2; done
  kill -0 "$pipeline" 2>/dev/null && echo "the pipeline still runs 60 s after its source server stopped"
  wait "$pipeline" || status=$?
  pipeline=
  "$CDC_TEST_SANDBOX_SCRIPT" start "$CDC_TEST_SANDBOX_DIR" "$CDC_TEST_MYSQL_PORT" >/dev/null || return 1
  cat "$work/out"
  expect 1 "retry 2 of 2" "failed 3 times in a row and the source stops (raise connect.max-retries" \
    "connecting on cdc@127.0.0.1:$CDC_TEST_MYSQL_PORT" "check that the server runs"
}

check "a source user without replication grants: exit 3, naming the grant" missing_grants
check "a source with binlog_format STATEMENT: exit 3, naming the setting" statement_binlog
check "an unreachable target: exit 3, naming the address and the fix" unreachable_target
check "a state directory that cannot be created: exit 3" state_dir_not_a_directory
check "a state directory that is not writable: exit 3, before anything runs" state_dir_not_writable
check "a row the target rejects: exit 1, naming the key, the error and the fix" target_rejects_a_row
check "a checkpoint that can no longer be saved stops the job: exit 1" checkpoint_save_fails
check "the source server gone for good: exit 1 after the reconnects" source_gone

echo "[doctest] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
((failed == 0))
