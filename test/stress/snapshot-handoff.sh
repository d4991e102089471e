#!/usr/bin/env bash
# Stress of the snapshot-to-binlog handoff (issue #15): runs every integration test case whose
# name mentions a snapshot or the capture list (tables added to a running job), over and over, against one pair of sandboxed MariaDB servers, while
# two busy loops keep both cores loaded, until MINUTES have passed. Prints each run's result and
# a closing "N passed, M failed"; the output of a failing run is kept under the log directory.
#
#   test/stress/snapshot-handoff.sh [MINUTES=30] [LOG_DIR=/tmp/cdc-stress-snapshot]
#
# Each run also repeats the snapshot-under-pollers case CDC_TEST_SNAPSHOT_ROUNDS (default 5)
# times. Builds first (test/build.sh); needs what test/install-deps.sh installs.
set -euo pipefail
cd "$(dirname "$0")/../.."
minutes=${1:-30}
logs=${2:-/tmp/cdc-stress-snapshot}
bash test/install-deps.sh
bash test/build.sh >/dev/null
mkdir -p "$logs"

if [[ "${CDC_STRESS_INNER:-}" != 1 ]]; then
  # Two busy loops, one per core, for the whole run.
  burners=()
  for _ in 1 2; do
    (while :; do :; done) &
    burners+=($!)
  done
  trap 'kill "${burners[@]}" 2>/dev/null || true' EXIT
  status=0
  CDC_STRESS_INNER=1 CDC_SANDBOXES=2 bash test/run-integration.sh bash "$0" "$minutes" "$logs" \
    || status=$?
  exit "$status"
fi

export CDC_TEST_SNAPSHOT_ROUNDS=${CDC_TEST_SNAPSHOT_ROUNDS:-5}
# A copy of the binary, so that rebuilding meanwhile does not change what runs.
binary="$logs/integration-tests"
cp build/test/integration/integration-tests "$binary"
end=$((SECONDS + minutes * 60))
runs=0
failures=0
while ((SECONDS < end)); do
  runs=$((runs + 1))
  log="$logs/run-$runs.log"
  started=$SECONDS
  if "$binary" --test-case='*snapshot*,*capture list*' >"$log" 2>&1; then
    echo "run $runs: passed ($((SECONDS - started)) s)"
    rm -f "$log"
  else
    failures=$((failures + 1))
    echo "run $runs: FAILED ($((SECONDS - started)) s), output kept in $log"
  fi
done
echo "snapshot handoff stress: $((runs - failures)) passed, $failures failed"
((failures == 0))
