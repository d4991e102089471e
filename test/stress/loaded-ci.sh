#!/usr/bin/env bash
# The whole test command, as CI runs it, on fresh clones while both cores are kept busy: each
# run clones the repository's HEAD into a new directory, starts two busy loops (one per core,
# plain shell `while :; do :; done`, for the whole run) and runs `CI=true bash .ci/run` there.
# Prints each run's closing line, time and exit status, then "N passed, M failed" over runs.
#
#   test/stress/loaded-ci.sh [RUNS=3] [WORK_DIR=/tmp/cdc-loaded-ci]
set -euo pipefail
cd "$(dirname "$0")/../.."
runs=${1:-3}
work=${2:-/tmp/cdc-loaded-ci}
repo=$(pwd)
mkdir -p "$work"
passed=0
failed=0
for ((run = 1; run <= runs; run++)); do
  clone="$work/run-$run"
  rm -rf "$clone"
  git clone -q "$repo" "$clone"
  burners=()
  for _ in 1 2; do
    (while :; do :; done) &
    burners+=($!)
  done
  start=$SECONDS
  status=0
  (cd "$clone" && CI=true bash .ci/run) >"$work/run-$run.log" 2>&1 || status=$?
  kill "${burners[@]}" 2>/dev/null || true
  wait "${burners[@]}" 2>/dev/null || true
  echo "run $run at $(git -C "$clone" rev-parse --short HEAD): $(grep -E '^tests: ' "$work/run-$run.log" | tail -n 1)" \
    "in $((SECONDS - start)) s, exit $status (log: $work/run-$run.log)"
  if ((status == 0)); then passed=$((passed + 1)); else failed=$((failed + 1)); fi
done
echo "loaded CI runs: $passed passed, $failed failed"
((failed == 0))
