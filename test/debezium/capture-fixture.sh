#!/usr/bin/env bash
# Captures the reference fixture of the debezium format: the messages that Debezium itself
# (3.5.0.Final, its embedded engine with the MariaDB connector and JsonConverter, schemas on for
# key and value) writes for the all-types table, into
# test/connectors/format/golden/debezium-real.jsonl (checked in; the unit tests compare our
# encoder with it field by field).
#
#   test/debezium/capture-fixture.sh [OUTPUT]
#   CDC_TEST_CACHE=DIR   the cache's root for the jars (default ~/.cache/cdc-test)
#
# Versions: Debezium 3.5.0.Final with its MariaDB connector (debezium-connector-mariadb).
# 3.6.1.Final was asked for, but the Maven mirror here serves no debezium-connector-mariadb jar
# of 3.6.1.Final or 3.6.0.Final ("Could not find artifact"); 3.5.0.Final is the nearest served.
# The MySQL connector of 3.6.1.Final does not accept MariaDB 10.11: it takes the version number
# for MySQL's and fails with "MySQL version 10.11.19-MariaDB-0+deb12u1-log should support SHOW
# BINARY LOG STATUS but it failed" (docs/formats.md).
#
# Steps: fetch the jars (test/debezium/pom.xml) into the cache and compile CaptureFixture.java
# there; start a MariaDB sandbox through test/run-integration.sh (which picks the port and stops
# the server afterwards); create the all-types table with MakeAllTypes' columns
# (test/integration/all_types.h) and insert its max row; start Debezium with snapshot mode
# `initial`, so the max row is read by the snapshot (op "r"); then insert the min row (op "c"),
# update it (op "u"), delete the max row (op "d" and its tombstone), insert the max row again
# (op "c") and add a column (a schema change on the schema-change topic); stop Debezium once the
# last of them is written. Each line of the output is {"topic", "key", "value"}.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
root=$(dirname "$(dirname "$here")")

if [[ "${1:-}" != --inside ]]; then
  output=$(realpath -m "${1:-$root/test/connectors/format/golden/debezium-real.jsonl}")
  version=3.5.0.Final
  cache=${CDC_TEST_CACHE:-$HOME/.cache/cdc-test}/debezium-$version
  if [[ ! -f "$cache/complete" ]]; then
    for tool in java javac mvn; do
      if ! command -v "$tool" >/dev/null; then
        echo "capture-fixture: $tool is not installed; run test/install-deps.sh" >&2
        exit 1
      fi
    done
    rm -rf "$cache"
    mkdir -p "$cache"
    if ! mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies -DincludeScope=runtime \
        -DoutputDirectory="$cache/lib" >"$cache/mvn.log" 2>&1; then
      tail -n 20 "$cache/mvn.log" >&2
      echo "capture-fixture: Maven could not fetch the Debezium $version jars" \
        "(log: $cache/mvn.log); check the network access to Maven Central" >&2
      exit 1
    fi
    touch "$cache/complete"
  fi
  mkdir -p "$cache/classes"
  javac -d "$cache/classes" -cp "$cache/lib/*" "$here/CaptureFixture.java"
  export CDC_DEBEZIUM_CLASSPATH="$cache/lib/*:$cache/classes"
  exec bash "$root/test/run-integration.sh" bash "$here/capture-fixture.sh" --inside "$output"
fi

# Inside run-integration.sh: CDC_TEST_MYSQL_* name the sandbox.
output=$2
work=$(mktemp -d)
engine_pid=""
# shellcheck disable=SC2317  # invoked by the EXIT trap
finish() {
  local status=$?
  if [[ -n "$engine_pid" ]] && kill -0 "$engine_pid" 2>/dev/null; then
    kill -TERM "$engine_pid" 2>/dev/null || true
    wait "$engine_pid" 2>/dev/null || true
  fi
  if ((status != 0)); then
    echo "capture-fixture: failed; Debezium's log:" >&2
    tail -n 40 "$work/engine.log" >&2 || true
  fi
  rm -rf "$work"
  exit "$status"
}
trap finish EXIT

sql() {
  mariadb --no-defaults --socket="$CDC_TEST_MYSQL_SOCKET" --user=cdc --password=cdc \
    --default-character-set=utf8mb4 --batch --skip-column-names \
    --init-command="SET time_zone = '+00:00', sql_mode = ''" -e "$1"
}

# Waits (up to 120 s) until the output has a line matching the extended regex $1.
wait_for_line() {
  local waited=0
  until grep -qE -- "$1" "$work/out.jsonl" 2>/dev/null; do
    if ! kill -0 "$engine_pid" 2>/dev/null; then
      echo "capture-fixture: Debezium stopped before writing a line matching $1" >&2
      exit 1
    fi
    if ((waited >= 480)); then
      echo "capture-fixture: no line matching $1 from Debezium within 120 s" >&2
      exit 1
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
}

# MakeAllTypes' columns (test/integration/all_types.h), declared as the MySQL sink declares
# them: every column nullable except the key. Not AllTypesCreateSql's DDL: its bi and e are NOT
# NULL, where MakeAllTypes' min row holds NULLs, and it has a 22nd column (n) that MakeAllTypes
# lacks; the types are the same.
sql "CREATE DATABASE dbz;
CREATE TABLE dbz.all_types (
  id BIGINT UNSIGNED NOT NULL, ti TINYINT, bu BIGINT UNSIGNED, bi BIGINT, f FLOAT, d DOUBLE,
  \`dec\` DECIMAL(65,30), b BIT(64), y YEAR, dt DATE, t TIME(6), dtm DATETIME(6),
  ts TIMESTAMP(6) NULL,
  vc VARCHAR(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_general_ci,
  l1 VARCHAR(32) CHARACTER SET latin1 COLLATE latin1_swedish_ci,
  bin VARBINARY(16), blb BLOB, e ENUM('a','b''c','d'), s SET('x','y','z'), j JSON, g GEOMETRY,
  PRIMARY KEY (id))"
# MakeAllTypes' max_row and min_row.
max_row="(18446744073709551615, -128, 18446744073709551615, -9223372036854775808,
  3.4028234663852886e38, 0.30000000000000004,
  -99999999999999999999999999999999999.999999999999999999999999999999,
  x'FFFFFFFFFFFFFFFF', 2155, '9999-12-31', '-838:59:58.999999', '9999-12-31 23:59:59.999999',
  '2038-01-19 03:14:07.999999', _utf8mb4 x'68C3A96C6C6F20F09F988020277127205C',
  _latin1 x'636166E9', x'00FF0001', CONCAT(REPEAT(x'00', 60000), 'end'), 'b''c', 'x,z',
  '{\"k\": [1, 2.5, \"s\"]}',
  ST_GeomFromWKB(x'0101000000000000000000F03F0000000000000040', 4326))"
min_row="(0, NULL, NULL, NULL, 1.401298464324817e-45, -1e-300,
  0.000000000000000000000000000001, x'0000000000000000', 0, '0000-00-00', '-00:00:00.000001',
  '0000-00-00 00:00:00', '1970-01-01 00:00:01', '', NULL, x'', NULL, NULL, NULL, NULL, NULL)"
sql "INSERT INTO dbz.all_types VALUES $max_row"

# The connector's configuration: Debezium's defaults for every handling mode, spelled out.
cat >"$work/connector.properties" <<PROPERTIES
name=fixture
connector.class=io.debezium.connector.mariadb.MariaDbConnector
database.hostname=127.0.0.1
database.port=$CDC_TEST_MYSQL_PORT
database.user=cdc
database.password=cdc
database.server.id=5400
topic.prefix=fixture
database.include.list=dbz
snapshot.mode=initial
include.schema.changes=true
tombstones.on.delete=true
decimal.handling.mode=precise
time.precision.mode=adaptive_time_microseconds
binary.handling.mode=bytes
bigint.unsigned.handling.mode=long
converter.schemas.enable=true
key.converter.schemas.enable=true
value.converter.schemas.enable=true
offset.storage=org.apache.kafka.connect.storage.FileOffsetBackingStore
offset.storage.file.filename=$work/offsets.dat
offset.flush.interval.ms=0
schema.history.internal=io.debezium.storage.file.history.FileSchemaHistory
schema.history.internal.file.filename=$work/schema-history.dat
PROPERTIES

TZ=UTC java -cp "$CDC_DEBEZIUM_CLASSPATH" CaptureFixture "$work/connector.properties" \
  "$work/out.jsonl" >"$work/engine.log" 2>&1 &
engine_pid=$!
wait_for_line '"op":"r"'

sql "INSERT INTO dbz.all_types VALUES $min_row;
UPDATE dbz.all_types SET vc = 'changed', ti = 127 WHERE id = 0;
DELETE FROM dbz.all_types WHERE id = 18446744073709551615;
INSERT INTO dbz.all_types VALUES $max_row;
ALTER TABLE dbz.all_types ADD COLUMN added INT"
wait_for_line 'ADD COLUMN added'
kill -TERM "$engine_pid"
wait "$engine_pid" || true
engine_pid=""
mkdir -p "$(dirname "$output")"
cp "$work/out.jsonl" "$output"
echo "capture-fixture: $(wc -l <"$output") messages written to $output"
