#!/usr/bin/env bash
# Fetches the Apache Kafka broker (3.9.1, KRaft) and its runtime dependencies from Maven Central
# into a cache directory, once (idempotent: a complete cache is reused with no network), and
# prints the directory of the jars. Needs the JDK (17) and Maven, which test/install-deps.sh
# installs. The broker runs from there: test/kafka-sandbox.sh.
#
#   test/install-kafka.sh          prints e.g. ~/.cache/cdc-test/kafka-3.9.1/lib
#   CDC_TEST_CACHE=DIR             the cache's root (default ~/.cache/cdc-test)
set -euo pipefail
cd "$(dirname "$0")"
version=3.9.1
cache=${CDC_TEST_CACHE:-$HOME/.cache/cdc-test}/kafka-$version
if [[ ! -f "$cache/complete" ]]; then
  for tool in java mvn; do
    if ! command -v "$tool" >/dev/null; then
      echo "install-kafka: $tool is not installed; run test/install-deps.sh" >&2
      exit 1
    fi
  done
  rm -rf "$cache"
  mkdir -p "$cache"
  if ! mvn -q -B -f kafka/pom.xml dependency:copy-dependencies -DincludeScope=runtime \
      -DoutputDirectory="$cache/lib" >"$cache/mvn.log" 2>&1; then
    tail -n 20 "$cache/mvn.log" >&2
    echo "install-kafka: Maven could not fetch the Kafka $version jars (log: $cache/mvn.log);" \
      "check the network access to Maven Central" >&2
    exit 1
  fi
  touch "$cache/complete"
fi
echo "$cache/lib"
