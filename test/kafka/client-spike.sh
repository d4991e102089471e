#!/usr/bin/env bash
# Checks the machine's Kafka client (Debian's librdkafka, through kcat and a small C program)
# against the test broker (test/kafka-sandbox.sh), as issue #17 asks before the Kafka sink is
# built on them: produce and consume, a consumer group, SCRAM-SHA-256/512 (and a wrong password
# refused), SCRAM over TLS with the test CA (and another CA refused), and transactions read back
# with read_committed. Starts a fresh broker in a temporary
# directory, prints one line per check and "N passed, M failed", and stops the broker.
#
#   test/kafka/client-spike.sh [PORT=39292]
set -uo pipefail
cd "$(dirname "$0")/../.."
port=${1:-39292}
bash test/install-deps.sh >/dev/null
dir=$(mktemp -d /tmp/cdc-kafka-spike.XXXXXX)
trap 'bash test/kafka-sandbox.sh stop "$dir"; rm -rf "$dir"' EXIT
bash test/integration/make-test-certificates.sh "$dir/certs" >/dev/null || exit 1
CDC_KAFKA_TLS=$dir/certs bash test/kafka-sandbox.sh start "$dir/broker" "$port" || exit 1
gcc -O1 -Wall -o "$dir/transactions_spike" test/kafka/transactions_spike.c -lrdkafka || exit 1
broker=127.0.0.1:$port
scram=(-X security.protocol=SASL_PLAINTEXT -X sasl.username=cdc)
passed=0
failed=0
check() {  # check NAME EXPECTED ACTUAL
  if [[ "$2" == "$3" ]]; then
    echo "ok    $1"
    passed=$((passed + 1))
  else
    echo "FAIL  $1: expected '$2', got '$3'"
    failed=$((failed + 1))
  fi
}
echo "librdkafka $(kcat -V 2>&1 | grep -o 'librdkafka [^ ]*' | head -n 1 | cut -d' ' -f2), Kafka 3.9.1"
printf 'k%d:v%d\n' 1 1 2 2 3 3 4 4 5 5 | kcat -P -b "$broker" -t plain -K: 2>/dev/null
check "produce, then consume every message" 5 \
  "$(kcat -C -b "$broker" -t plain -e -f '%k\n' 2>/dev/null | wc -l)"
check "a consumer group is assigned every partition and reads every message" 5 \
  "$(timeout 60 kcat -b "$broker" -G spike-group -X auto.offset.reset=earliest plain -e -f '%k\n' \
    2>/dev/null | wc -l)"
for mechanism in SCRAM-SHA-256 SCRAM-SHA-512; do
  echo "s:$mechanism" | kcat -P -b "127.0.0.1:$((port + 2))" -t scram -K: "${scram[@]}" \
    -X sasl.mechanisms="$mechanism" -X sasl.password=cdc-secret 2>/dev/null
done
check "SCRAM-SHA-256 and SCRAM-SHA-512 produce and consume" 2 \
  "$(kcat -C -b "127.0.0.1:$((port + 2))" -t scram -e "${scram[@]}" -X sasl.mechanisms=SCRAM-SHA-512 \
    -X sasl.password=cdc-secret -f '%k\n' 2>/dev/null | wc -l)"
refused=$(timeout 30 kcat -L -b "127.0.0.1:$((port + 2))" "${scram[@]}" \
  -X sasl.mechanisms=SCRAM-SHA-256 -X sasl.password=wrong 2>&1 | grep -c "invalid credentials")
check "a wrong SCRAM password is refused as invalid credentials" yes "$( ((refused > 0)) && echo yes || echo no)"
tls=(-b "localhost:$((port + 3))" -X security.protocol=SASL_SSL -X sasl.username=cdc
  -X sasl.password=cdc-secret -X sasl.mechanisms=SCRAM-SHA-256)
echo "t:1" | kcat -P "${tls[@]}" -X ssl.ca.location="$dir/certs/ca.pem" -t tls -K: 2>/dev/null
check "SCRAM over TLS, the broker verified with the test CA" 1 \
  "$(kcat -C "${tls[@]}" -X ssl.ca.location="$dir/certs/ca.pem" -t tls -e -f '%k\n' 2>/dev/null | wc -l)"
refused=$(timeout 30 kcat -L "${tls[@]}" -X ssl.ca.location="$dir/certs/other-ca.pem" 2>&1 |
  grep -c "certificate verify failed")
check "a broker certificate from another CA is refused" yes "$( ((refused > 0)) && echo yes || echo no)"
for run in 1 2 3; do
  check "transactions (run $run): committed visible, aborted not, under read_committed" 0 \
    "$(FLUSH_BEFORE_ABORT=1 "$dir/transactions_spike" "$broker" >/dev/null 2>&1; echo $?)"
done
echo "kafka client spike: $passed passed, $failed failed"
((failed == 0))
