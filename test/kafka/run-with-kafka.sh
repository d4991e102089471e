#!/usr/bin/env bash
# Runs a test command with a fresh Kafka broker (test/kafka-sandbox.sh, with its SCRAM and TLS
# listeners) beside the MariaDB sandboxes of test/run-integration.sh:
#
#   test/kafka/run-with-kafka.sh COMMAND [ARGS...]
#
# Claims four free ports from 39300 upward (locks in /tmp/cdc-sandbox-ports, shared with the
# MariaDB runner), makes the test certificates, starts the broker in
# ${CDC_SANDBOX_DIR:-${TMPDIR:-/tmp}}/cdc-kafka-PORT and exports
#   CDC_TEST_KAFKA_BROKERS   127.0.0.1:PORT (plaintext)
#   CDC_TEST_KAFKA_SCRAM     127.0.0.1:PORT+2 (SASL_PLAINTEXT, SCRAM-SHA-256/512, cdc/cdc-secret)
#   CDC_TEST_KAFKA_TLS       localhost:PORT+3 (SASL_SSL, the same users)
#   CDC_TEST_KAFKA_CERTS     the certificate directory (ca.pem, other-ca.pem, ...)
#   CDC_TEST_KAFKA_DIR, CDC_TEST_KAFKA_PORT, CDC_TEST_KAFKA_SCRIPT   to stop and restart it
# then runs COMMAND through test/run-integration.sh (CDC_SANDBOXES as set) and stops the broker
# whatever happens. Exits with COMMAND's status. Without Java or the Kafka jars it fails: the
# tests never skip.
set -euo pipefail
here=$(dirname "$(realpath "$0")")
root=$(realpath "$here/../..")
if (($# < 1)); then
  echo "usage: $0 COMMAND [ARGS...]" >&2
  exit 2
fi
bash "$root/test/install-kafka.sh" >/dev/null
base=${CDC_SANDBOX_DIR:-${TMPDIR:-/tmp}}
mkdir -p "$base" /tmp/cdc-sandbox-ports
chmod 1777 /tmp/cdc-sandbox-ports 2>/dev/null || true

# Listening or not: the ports are in the ephemeral range, where a client socket may hold one.
port_in_use() { [[ -n "$(ss -Htan "sport = :$1")" ]]; }

# Claims four free ports (a lock held for the whole run) and starts the broker there; a start
# that fails (a port taken between the check and the bind) moves on to the next four.
port=
dir=
cleanup() {
  local status=$?
  if [[ -n "$dir" ]]; then
    bash "$root/test/kafka-sandbox.sh" stop "$dir/broker" >/dev/null 2>&1 || true
    if ((status != 0)) && [[ -f "$dir/broker/server.log" ]]; then
      echo "run-with-kafka: the broker's log is kept in $dir/broker/server.log" >&2
    else
      rm -rf "$dir"
    fi
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
attempts=0
for ((candidate = 39300; candidate < 39400; candidate += 4)); do
  file=/tmp/cdc-sandbox-ports/kafka-$candidate.lock
  exec {fd}>>"$file"
  busy=1
  if flock -n "$fd"; then
    busy=0
    for offset in 0 1 2 3; do port_in_use $((candidate + offset)) && busy=1; done
  fi
  if ((busy == 1)); then
    exec {fd}>&-
    continue
  fi
  dir="$base/cdc-kafka-$candidate"
  rm -rf "$dir"
  mkdir -p "$dir"
  [[ -d "$dir/certs" ]] || bash "$root/test/integration/make-test-certificates.sh" "$dir/certs" >/dev/null
  if CDC_KAFKA_TLS=$dir/certs bash "$root/test/kafka-sandbox.sh" start "$dir/broker" "$candidate"; then
    port=$candidate
    break
  fi
  bash "$root/test/kafka-sandbox.sh" stop "$dir/broker" >/dev/null 2>&1 || true
  rm -rf "$dir"
  dir=
  exec {fd}>&-
  if ((++attempts == 3)); then break; fi
  echo "run-with-kafka: the broker did not start on port $candidate; trying the next ports" >&2
done
[[ -n "$port" ]] || { echo "run-with-kafka: no broker could be started on ports 39300 to 39399" >&2; exit 1; }
export CDC_TEST_KAFKA_BROKERS=127.0.0.1:$port
export CDC_TEST_KAFKA_SCRAM=127.0.0.1:$((port + 2))
export CDC_TEST_KAFKA_TLS=localhost:$((port + 3))
export CDC_TEST_KAFKA_CERTS=$dir/certs
export CDC_TEST_KAFKA_DIR=$dir/broker
export CDC_TEST_KAFKA_PORT=$port
export CDC_TEST_KAFKA_SCRIPT=$root/test/kafka-sandbox.sh
status=0
bash "$root/test/run-integration.sh" "$@" || status=$?
exit "$status"
