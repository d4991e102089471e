#!/usr/bin/env bash
# The main job's demo. Until the MySQL connectors land it runs the C++ example job: generated
# changes for three tables -> filter -> key-by -> per-table buffers -> print.
set -euo pipefail
cd "$(dirname "$0")/.."
bash test/install-deps.sh
bash test/build.sh
./build/examples/datagen-to-print "${1:-40}" "${2:-2}"
