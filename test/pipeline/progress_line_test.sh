#!/usr/bin/env bash
# What build/examples/cdc-pipeline tells its user while and after it runs, between two
# sandboxed MariaDB servers (run by test/run-integration.sh with CDC_SANDBOXES=2):
#   1. the final line's counts are exact on a known workload: a snapshot, inserts, updates, a
#      key-changing update, deletes (logical), rows a transform's filter drops, an ALTER and a
#      TRUNCATE (README: "read N changes, wrote M");
#   2. the progress line (--progress-interval 1): every field parses; rates are non-zero while
#      a workload runs and zero when idle and agree with the counts; the apply lag is never
#      below the read lag and equals it once caught up; the last checkpoint's position is the
#      source's binlog end once idle.
# Prints a doctest-style summary line so test/run-all.sh counts its cases.
#   test/pipeline/progress_line_test.sh PIPELINE_BINARY
set -uo pipefail
binary=$(realpath "$1")
cd "$(dirname "$0")/../.."
export SOURCE_PORT=$CDC_TEST_MYSQL_PORT TARGET_PORT=$CDC_TEST_TARGET_PORT MYSQL_PASSWORD=cdc
work=$CDC_TEST_SANDBOX_DIR/tmp/progress-line
mkdir -p "$work"
# shellcheck source=examples/demo-lib.sh
source examples/demo-lib.sh

# shellcheck source=test/pipeline/check_lib.sh
source test/pipeline/check_lib.sh

# The pipeline of both cases: every table of `counts`, logical deletes, a filter on counts.t.
cat >"$work/counts.yaml" <<YAML
source:
  type: mysql
  hostname: 127.0.0.1
  port: $SOURCE_PORT
  username: cdc
  password: cdc
  tables: counts.\.*
  server-id: 5601
sink:
  type: mysql
  hostname: 127.0.0.1
  port: $TARGET_PORT
  username: cdc
  password: cdc
  logical-delete.enabled: true
transform:
  - source-table: counts.t
    filter: v <> 'skip'
pipeline:
  name: counts
  parallelism: 2
  checkpoint.interval: 1s
  state.dir: $work/state
YAML

# The final line's two counts, "READ WROTE".
final_counts() {
  grep -oE 'read [0-9]+ changes, wrote [0-9]+' "$1" | tail -1 | awk '{print $2, $5}'
}

exact_counts() {
  on_source -e "DROP DATABASE IF EXISTS counts; CREATE DATABASE counts;
    CREATE TABLE counts.t (id INT PRIMARY KEY, v VARCHAR(20));
    CREATE TABLE counts.k (a INT, b VARCHAR(10));
    INSERT INTO counts.t SELECT seq, 'snap' FROM counts.seq_1_to_100;
    INSERT INTO counts.k SELECT seq, 'snap' FROM counts.seq_1_to_10;" || return 1
  on_target -e "DROP DATABASE IF EXISTS counts" || return 1
  rm -rf "$work/state"
  # The snapshot: one change read and written per row.
  "$binary" run "$work/counts.yaml" --until-caught-up --progress-interval 0 2>"$work/snapshot.log" \
    || { cat "$work/snapshot.log"; return 1; }
  tail -1 "$work/snapshot.log"
  [[ "$(final_counts "$work/snapshot.log")" == "110 110" ]] || { echo "snapshot: expected read 110, wrote 110"; return 1; }

  on_source -e "
    INSERT INTO counts.t SELECT 100 + seq, 'new' FROM counts.seq_1_to_20;        -- read 20, written 20
    INSERT INTO counts.t SELECT 200 + seq, 'skip' FROM counts.seq_1_to_4;        -- read 4, dropped by the filter
    UPDATE counts.t SET v = 'updated' WHERE id BETWEEN 11 AND 20;                -- read 10, written 10
    UPDATE counts.t SET id = id + 1000 WHERE id <= 5;                            -- read 5, written 10
    DELETE FROM counts.t WHERE id BETWEEN 31 AND 37;                             -- read 7, written 7 (flagged)
    UPDATE counts.t SET v = v WHERE id = 50;                                     -- changes nothing: no row event
    ALTER TABLE counts.t ADD COLUMN w INT NULL;                                  -- a schema change: not counted
    TRUNCATE TABLE counts.k;                                                     -- not counted
    INSERT INTO counts.k VALUES (1, 'x'), (2, 'y'), (3, 'z');                    -- read 3, written 3" || return 1
  "$binary" run "$work/counts.yaml" --until-caught-up --progress-interval 0 2>"$work/stream.log" \
    || { cat "$work/stream.log"; return 1; }
  tail -1 "$work/stream.log"
  [[ "$(final_counts "$work/stream.log")" == "49 50" ]] || { echo "stream: expected read 49, wrote 50"; return 1; }
  # And the target holds what the counts say.
  [[ "$(on_target -e "SELECT COUNT(*), SUM(_is_deleted), SUM(id > 1000), SUM(v = 'skip') FROM counts.t")" == \
     "$(printf '125\t12\t5\t0')" ]] || { on_target -e "SELECT COUNT(*), SUM(_is_deleted), SUM(id > 1000) FROM counts.t"; return 1; }
  # The keyless table: the TRUNCATE flagged the snapshot's rows, then three live ones.
  [[ "$(on_target -e "SELECT GROUP_CONCAT(a ORDER BY a), SUM(_is_deleted) FROM counts.k WHERE _is_deleted = 0 OR a <= 10")" == \
     "$(printf '1,1,2,2,3,3,4,5,6,7,8,9,10\t10')" ]] || { on_target -e "SELECT * FROM counts.k"; return 1; }
}

# Prints the fields of a progress line as "read read_rate written written_rate lag read_lag
# checkpoint position ago", or fails when the line has another form. Before the target has
# applied a change of this run the lag is "-"; before this run saved a checkpoint (it shows
# the one it resumed from) the age is 0.
progress_fields() {
  local number='([0-9]+)' seconds='([0-9]+\.[0-9])'
  local pattern="^progress: read $number \\($number/s\\), written $number \\($number/s\\), "
  pattern+="(lag $seconds s \\(read $seconds s\\)|lag \\(read\\) $seconds s), "
  pattern+="checkpoint $number at (mysql-bin\\.[0-9]{6}:[0-9]+) \\(($number s ago|restored)\\)$"
  [[ "$1" =~ $pattern ]] || return 1
  local m=("${BASH_REMATCH[@]}")
  local lag=${m[6]:--} read_lag=${m[7]:-${m[8]}} ago=${m[12]:-0}
  echo "${m[1]} ${m[2]} ${m[3]} ${m[4]} $lag $read_lag ${m[9]} ${m[10]} $ago"
}

progress_line() {
  local log=$work/progress.log
  "$binary" run "$work/counts.yaml" --progress-interval 1 >/dev/null 2>"$log" &
  pipeline=$!
  sleep 1.5  # resumed and idle: its first line
  local before_workload
  before_workload=$(date +%s.%N)
  local round
  for ((round = 0; round < 40; round++)); do
    on_source -e "INSERT INTO counts.t (id, v) SELECT 10000 + $round * 10 + seq, 'live' FROM counts.seq_1_to_10" || return 1
    sleep 0.1
  done
  local deadline=$((SECONDS + 60))
  until [[ "$(on_target -e "SELECT COUNT(*) FROM counts.t WHERE v = 'live'")" == 400 ]]; do
    ((SECONDS < deadline)) || { echo "the target did not catch up"; return 1; }
    sleep 0.2
  done
  local caught_up
  caught_up=$(date +%s.%N)
  sleep 4  # idle: at least three progress lines
  local master
  master=$(on_source -e "SHOW MASTER STATUS" | awk '{print $1 ":" $2}')
  kill -TERM "$pipeline"
  wait "$pipeline" || { echo "exit status $? after SIGTERM, expected 0"; return 1; }
  pipeline=
  grep '^progress:' "$log"
  tail -1 "$log"

  local line fields n=0 busy=0 idle=0 previous_read=0 previous_written=0 previous_checkpoint=0
  local read read_rate written written_rate lag read_lag checkpoint position ago
  local last_read= last_position= last_lag=
  while IFS= read -r line; do
    n=$((n + 1))
    fields=$(progress_fields "$line") || { echo "line $n has another form: $line"; return 1; }
    read -r read read_rate written written_rate lag read_lag checkpoint position ago <<<"$fields"
    # Counts never go back; the rate is the difference over the interval (about 1 s).
    ((read >= previous_read && written >= previous_written)) || { echo "counts went back: $line"; return 1; }
    awk -v rate="$read_rate" -v delta=$((read - previous_read)) 'BEGIN { exit !(rate >= 0.75 * delta - 1 && rate <= 1.25 * delta + 1) }' \
      || { echo "read rate $read_rate/s for $((read - previous_read)) changes in about 1 s: $line"; return 1; }
    awk -v rate="$written_rate" -v delta=$((written - previous_written)) 'BEGIN { exit !(rate >= 0.75 * delta - 1 && rate <= 1.25 * delta + 1) }' \
      || { echo "written rate $written_rate/s for $((written - previous_written)) changes in about 1 s: $line"; return 1; }
    # What the target applied is never newer than what was read.
    if [[ "$lag" != - ]]; then
      awk -v lag="$lag" -v read_lag="$read_lag" 'BEGIN { exit !(lag >= read_lag) }' || { echo "apply lag below read lag: $line"; return 1; }
    fi
    ((checkpoint >= previous_checkpoint && ago <= 3)) || { echo "checkpoint went back or is stale: $line"; return 1; }
    ((read_rate > 0 && written_rate > 0)) && busy=$((busy + 1))
    if ((read_rate == 0 && written_rate == 0 && read == 400 && written == 400)); then idle=$((idle + 1)); fi
    previous_read=$read previous_written=$written previous_checkpoint=$checkpoint
    last_read=$read last_position=$position last_lag=$lag last_read_lag=$read_lag
  done < <(grep '^progress:' "$log" | grep -v 'no change read yet')
  echo "progress lines: $n with changes read, $busy while the workload ran, $idle idle after it"
  ((busy >= 2)) || { echo "expected non-zero rates on at least two lines while the workload ran"; return 1; }
  ((idle >= 2)) || { echo "expected zero rates on at least two lines once idle"; return 1; }
  # Idle and caught up: both lags are the age of the last change, to the binlog's whole
  # seconds; the checkpoint is at the source's binlog end.
  [[ "$last_lag" == "$last_read_lag" ]] || { echo "caught up, yet apply lag $last_lag s differs from read lag $last_read_lag s"; return 1; }
  awk -v lag="$last_lag" -v now="$(date +%s.%N)" -v first="$before_workload" -v idle_from="$caught_up" \
    'BEGIN { exit !(lag >= now - idle_from - 2 && lag <= now - first + 1) }' \
    || { echo "the idle lag $last_lag s is not the age of the last change"; return 1; }
  [[ "$last_position" == "$master" ]] || { echo "the last checkpoint is at $last_position, the source's binlog ends at $master"; return 1; }
  [[ "$(final_counts "$log")" == "$last_read $last_read" ]] || { echo "the final line disagrees with the last progress line"; return 1; }
}

bad_interval_refused() {
  local status=0
  "$binary" run "$work/counts.yaml" --progress-interval soon >"$work/usage.out" 2>&1 || status=$?
  cat "$work/usage.out" | head -2
  ((status == 2)) && grep -q "takes whole seconds (0: no progress lines), not 'soon'" "$work/usage.out"
}

check "the final line counts exactly: snapshot rows, changes read, and changes written after key-by and filters" exact_counts
check "the progress line's rates, lags and checkpoint position are those of the run" progress_line
check "a progress interval that is not whole seconds is bad usage (exit 2)" bad_interval_refused

if ((failed > 0)); then
  echo "--- last pipeline log lines:" >&2
  tail -n 30 "$work"/*.log >&2
fi
echo "[doctest] test cases: $((passed + failed)) | $passed passed | $failed failed | 0 skipped"
((failed == 0))
