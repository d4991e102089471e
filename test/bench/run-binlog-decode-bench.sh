#!/usr/bin/env bash
# Binlog decoding benchmark: writes a sysbench-shaped history (sbtest1: id, k, c CHAR(120),
# pad CHAR(60); ROWS inserts in 10,000-row transactions, then updates and deletes) into a fresh
# sandboxed MariaDB, times `mariadb-binlog --verbose` over the binlog files, and runs
# build/test/binlog-decode-bench on the same files and stream.
#   test/bench/run-binlog-decode-bench.sh [rows=1000000]
# CDC_BENCH_SAVE_BINLOG=DIR also copies the binlog files there, for profiling offline
# (build/test/binlog-decode-bench - DIR/FILE... decodes files only).
set -euo pipefail
cd "$(dirname "$0")/../.."
rows=${1:-1000000}
if [[ "${CDC_BENCH_INNER:-}" != 1 ]]; then
  bash test/install-deps.sh
  bash test/build.sh
  CDC_BENCH_INNER=1 CDC_SANDBOX_BUFFER_POOL=1G exec test/run-integration.sh "$(realpath "$0")" "$rows"
fi
sql() { mariadb --no-defaults -h "$CDC_TEST_MYSQL_HOST" -P "$CDC_TEST_MYSQL_PORT" -u cdc -pcdc "$@"; }
echo "writing $rows sysbench rows, then updating 10% and deleting 5%..."
sql -e "DROP DATABASE IF EXISTS sbtest; CREATE DATABASE sbtest;
  CREATE TABLE sbtest.sbtest1 (id INT NOT NULL PRIMARY KEY, k INT NOT NULL DEFAULT 0,
    c CHAR(120) NOT NULL DEFAULT '', pad CHAR(60) NOT NULL DEFAULT '', KEY k_1 (k));
  FLUSH BINARY LOGS;"
for ((from = 1; from <= rows; from += 10000)); do
  to=$((from + 9999 < rows ? from + 9999 : rows))
  echo "INSERT INTO sbtest.sbtest1 SELECT seq, seq * 7919 % $rows,
    CONCAT_WS('-', MD5(seq), MD5(seq + 1), MD5(seq + 2), LEFT(MD5(seq + 3), 21)),
    CONCAT_WS('-', MD5(seq + 4), LEFT(MD5(seq + 5), 27)) FROM seq_${from}_to_${to};"
done | sql sbtest
sql -e "UPDATE sbtest.sbtest1 SET k = k + 1 WHERE id % 10 = 0; DELETE FROM sbtest.sbtest1 WHERE id % 20 = 1;
  FLUSH BINARY LOGS;"
dir="$CDC_TEST_SANDBOX_DIR/binlog"
mapfile -t files < <(sql -N -e "SHOW BINARY LOGS" | head -n -1 | awk '{print $1}' | tail -n +2)
paths=()
for f in "${files[@]}"; do paths+=("$dir/$f"); done
echo "binlog files: ${files[*]} ($(du -ch "${paths[@]}" | tail -1 | cut -f1))"
if [[ -n "${CDC_BENCH_SAVE_BINLOG:-}" ]]; then
  mkdir -p "$CDC_BENCH_SAVE_BINLOG" && cp "${paths[@]}" "$CDC_BENCH_SAVE_BINLOG/"
fi
start=$(date +%s%N)
mariadb-binlog --no-defaults --verbose "${paths[@]}" >/dev/null
end=$(date +%s%N)
seconds=$(awk -v ns=$((end - start)) 'BEGIN { printf "%.3f", ns / 1e9 }')
reference_rows=$(mariadb-binlog --no-defaults --verbose "${paths[@]}" | grep -cE '^### (INSERT INTO|UPDATE|DELETE FROM)')
build/test/binlog-decode-bench "$CDC_TEST_MYSQL_PORT" "${paths[@]}" \
  --reference-seconds "$seconds" --reference-rows "$reference_rows"
