#!/usr/bin/env bash
# Configures (once) and builds the project in ./build. Warnings are errors under CI=true.
set -euo pipefail
cd "$(dirname "$0")/.."
werror=false
if [[ "${CI:-}" == "true" ]]; then werror=true; fi
if [[ ! -f build/build.ninja ]]; then
  meson setup build --buildtype=release -Dwerror="$werror"
else
  meson configure build -Dwerror="$werror" >/dev/null
fi
# Two jobs: the machines this runs on have two cores.
ninja -C build -j "${BUILD_JOBS:-2}"
