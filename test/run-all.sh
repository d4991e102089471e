#!/usr/bin/env bash
# The whole test suite: installs what it needs, builds, runs every meson test suite, then the
# unit tests of each layer (the binlog parser fuzz test among them) again under ASan + UBSan
# (test/build-sanitized.sh), and prints a closing line "N passed, M failed" counted over the
# doctest test cases of both.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/install-deps.sh
bash test/build.sh
status=0
meson test -C build --print-errorlogs --num-processes 1 || status=$?
bash test/build-sanitized.sh
sanitized_log=build-sanitized/unit-tests.log
: >"$sanitized_log"
for layer in runtime schema operators connectors; do
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1 \
    "build-sanitized/test/unit-$layer" >>"$sanitized_log" 2>&1 || {
    layer_status=$?
    status=$layer_status
    tail -n 60 "$sanitized_log"
    echo "the sanitized $layer unit tests failed (exit $layer_status); the output is in $sanitized_log"
  }
done
log=build/meson-logs/testlog.txt
passed=$(grep -hoE '^\[doctest\] test cases: +[0-9]+ \| +[0-9]+ passed' "$log" "$sanitized_log" \
  | awk '{s += $NF == "passed" ? $(NF-1) : 0} END {print s + 0}')
failed=$(grep -hoE '\| +[0-9]+ failed \| +[0-9]+ skipped' "$log" "$sanitized_log" \
  | awk '{s += $2} END {print s + 0}')
if ((status != 0 && failed == 0)); then failed=1; fi  # a crash or timeout counts as a failure
echo "tests: ${passed} passed, ${failed} failed"
exit "$status"
