#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs every meson test suite and prints
# a closing line "N passed, M failed" counted over the doctest test cases.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/install-deps.sh
bash test/build.sh
status=0
meson test -C build --print-errorlogs --num-processes 1 || status=$?
log=build/meson-logs/testlog.txt
passed=$(grep -hoE '^\[doctest\] test cases: +[0-9]+ \| +[0-9]+ passed' "$log" \
  | awk '{s += $NF == "passed" ? $(NF-1) : 0} END {print s + 0}')
failed=$(grep -hoE '\| +[0-9]+ failed \| +[0-9]+ skipped' "$log" | awk '{s += $2} END {print s + 0}')
if ((status != 0 && failed == 0)); then failed=1; fi  # a crash or timeout counts as a failure
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
