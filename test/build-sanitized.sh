#!/usr/bin/env bash
# Configures (once) and builds the unit tests with AddressSanitizer and UndefinedBehaviorSanitizer
# (meson's b_sanitize option) into ./build-sanitized, so that a bad read or an undefined operation
# crashes the test that caused it. Warnings are errors under CI=true, as in test/build.sh.
#
#   test/build-sanitized.sh            then: build-sanitized/test/unit-{runtime,schema,operators,connectors}
#   SANITIZE=thread test/build-sanitized.sh build-tsan   ThreadSanitizer instead, into build-tsan
set -euo pipefail
cd "$(dirname "$0")/.."
dir=${1:-build-sanitized}
sanitize=${SANITIZE:-address,undefined}
werror=false
if [[ "${CI:-}" == "true" ]]; then werror=true; fi
if [[ ! -f "$dir/build.ninja" ]]; then
  # -O1 keeps the sanitizers' reports exact and the build short; b_lundef=false as meson
  # requires for sanitizers with shared runtime libraries.
  meson setup "$dir" --buildtype=debugoptimized -Doptimization=1 -Db_sanitize="$sanitize" \
    -Db_lundef=false -Dwerror="$werror"
else
  meson configure "$dir" -Dwerror="$werror" >/dev/null
fi
ninja -C "$dir" -j "${BUILD_JOBS:-2}" test/unit-runtime test/unit-schema test/unit-operators \
  test/unit-connectors
