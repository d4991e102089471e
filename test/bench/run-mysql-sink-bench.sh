#!/usr/bin/env bash
# Runs the MySQL sink benchmark against a fresh sandboxed MariaDB with a buffer pool that holds
# the benchmark's tables (the tests' 128 MiB would make both runs disk-bound).
#   test/bench/run-mysql-sink-bench.sh [changes=400000] [parallelism=2]
set -euo pipefail
cd "$(dirname "$0")/../.."
bash test/install-deps.sh
bash test/build.sh
CDC_SANDBOX_BUFFER_POOL=1G exec test/run-integration.sh build/test/mysql-sink-bench "$@"
