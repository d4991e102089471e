#!/usr/bin/env bash
# A throwaway single-node Apache Kafka broker (3.9.1, KRaft: broker and controller in one JVM)
# for integration tests, confined to one directory and three ports on 127.0.0.1. The jars come
# from test/install-kafka.sh (Maven Central, cached); the JDK from test/install-deps.sh.
#
#   test/kafka-sandbox.sh start DIR PORT   format DIR/data on first use and start; no-op if up
#   test/kafka-sandbox.sh stop DIR         stop (SIGTERM, then SIGKILL after 30 s); no error if down
#   test/kafka-sandbox.sh status DIR       exit 0 if the broker of DIR is running, 1 if not
#
# Listeners: PORT plaintext; PORT+1 the KRaft controller; PORT+2 SASL_PLAINTEXT with
# SCRAM-SHA-256 and SCRAM-SHA-512, user cdc, password cdc-secret (created when DIR is
# formatted). Topics are auto-created with 3 partitions; the internal topics (offsets,
# transactions) have one replica, so transactions and consumer groups work on one node. DIR
# holds data/, server.properties, log4j2.properties, server.log, broker.pid and stdout.log.
# CDC_KAFKA_TLS=TLSDIR adds PORT+3, SASL_SSL with the same SCRAM users, advertised as
# localhost: TLSDIR/server-cert.pem and server-key.pem are the broker's certificate and key,
# TLSDIR/ca.pem the CA clients verify it with (test/integration/make-test-certificates.sh makes
# them; the certificate names localhost only). CDC_KAFKA_START_TIMEOUT (seconds, default 60)
# bounds the wait for start.
set -euo pipefail

die() {
  echo "kafka-sandbox: $*" >&2
  exit 1
}

usage() {
  die "usage: $0 start DIR PORT | stop DIR | status DIR"
}

running() {
  local pid
  [[ -f "$1/broker.pid" ]] || return 1
  pid=$(cat "$1/broker.pid")
  kill -0 "$pid" 2>/dev/null && grep -q "kafka.Kafka" "/proc/$pid/cmdline" 2>/dev/null
}

port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$1")" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

start() {
  local dir=$1 port=$2
  [[ "$port" =~ ^[0-9]+$ ]] && ((port > 0 && port < 65534)) || die "PORT must be a number below 65534, not '$port'"
  mkdir -p "$dir"
  dir=$(realpath "$dir")
  if running "$dir"; then return 0; fi
  local ports=("$port" $((port + 1)) $((port + 2)))
  local tls_listener="" tls_advertised="" tls_protocol="" tls_settings=""
  if [[ -n "${CDC_KAFKA_TLS:-}" ]]; then
    local tls
    tls=$(realpath "$CDC_KAFKA_TLS")
    for file in ca.pem server-cert.pem server-key.pem; do
      [[ -f "$tls/$file" ]] || die "CDC_KAFKA_TLS=$tls lacks $file; make it with test/integration/make-test-certificates.sh"
    done
    ports+=($((port + 3)))
    cat "$tls/server-key.pem" "$tls/server-cert.pem" >"$dir/keystore.pem"
    tls_listener=",SASL_SSL://127.0.0.1:$((port + 3))"
    tls_advertised=",SASL_SSL://localhost:$((port + 3))"
    tls_protocol=",SASL_SSL:SASL_SSL"
    tls_settings="ssl.keystore.type=PEM
ssl.keystore.location=$dir/keystore.pem
ssl.truststore.type=PEM
ssl.truststore.location=$tls/ca.pem
listener.name.sasl_ssl.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_ssl.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;"
  fi
  for p in "${ports[@]}"; do
    if port_in_use "$p"; then die "port $p is taken by another process; pick another PORT or stop it"; fi
  done
  local lib
  lib=$(bash "$(dirname "$(realpath "$0")")/install-kafka.sh")
  command -v java >/dev/null || die "java is not installed; run test/install-deps.sh"
  cat >"$dir/server.properties" <<EOF
process.roles=broker,controller
node.id=1
controller.quorum.voters=1@127.0.0.1:$((port + 1))
listeners=PLAINTEXT://127.0.0.1:$port,CONTROLLER://127.0.0.1:$((port + 1)),SASL_PLAINTEXT://127.0.0.1:$((port + 2))$tls_listener
advertised.listeners=PLAINTEXT://127.0.0.1:$port,SASL_PLAINTEXT://127.0.0.1:$((port + 2))$tls_advertised
controller.listener.names=CONTROLLER
listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT,SASL_PLAINTEXT:SASL_PLAINTEXT$tls_protocol
inter.broker.listener.name=PLAINTEXT
sasl.enabled.mechanisms=SCRAM-SHA-256,SCRAM-SHA-512
listener.name.sasl_plaintext.scram-sha-256.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
listener.name.sasl_plaintext.scram-sha-512.sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required;
log.dirs=$dir/data
num.partitions=3
auto.create.topics.enable=true
offsets.topic.replication.factor=1
offsets.topic.num.partitions=3
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
transaction.state.log.num.partitions=3
group.initial.rebalance.delay.ms=0
$tls_settings
EOF
  cat >"$dir/log4j2.properties" <<EOF
appender.file.type=File
appender.file.name=file
appender.file.fileName=$dir/server.log
appender.file.layout.type=PatternLayout
appender.file.layout.pattern=[%d] %p %m (%c)%n
rootLogger.level=INFO
rootLogger.appenderRef.file.ref=file
EOF
  if [[ ! -f "$dir/data/meta.properties" ]]; then
    local cluster
    cluster=$(java -cp "$lib/*" kafka.tools.StorageTool random-uuid 2>/dev/null | tail -n 1)
    java -cp "$lib/*" -Dlog4j2.configurationFile="$dir/log4j2.properties" kafka.tools.StorageTool \
      format -t "$cluster" -c "$dir/server.properties" \
      --add-scram 'SCRAM-SHA-256=[name=cdc,password=cdc-secret]' \
      --add-scram 'SCRAM-SHA-512=[name=cdc,password=cdc-secret]' >"$dir/format.log" 2>&1 ||
      die "formatting $dir/data failed: $(tail -n 3 "$dir/format.log")"
  fi
  : >"$dir/server.log"
  java -Xms256m -Xmx512m -Dlog4j2.configurationFile="$dir/log4j2.properties" -cp "$lib/*" \
    kafka.Kafka "$dir/server.properties" >"$dir/stdout.log" 2>&1 &
  echo $! >"$dir/broker.pid"
  local timeout=${CDC_KAFKA_START_TIMEOUT:-60}
  for ((waited = 0; waited < timeout * 10; waited++)); do
    if grep -q "Kafka Server started" "$dir/server.log" 2>/dev/null; then
      echo "kafka sandbox ready: 127.0.0.1:$port (SCRAM on $((port + 2)): cdc / cdc-secret${tls_listener:+; SCRAM over TLS on localhost:$((port + 3))}) in $dir"
      return 0
    fi
    # The process itself, not running(): until the background shell has exec'd java, its
    # command line is still the shell's, so running() would call a starting broker dead.
    if ! kill -0 "$(cat "$dir/broker.pid")" 2>/dev/null; then
      die "the broker exited while starting; its output: $(tail -n 5 "$dir/stdout.log" "$dir/server.log" 2>/dev/null)"
    fi
    sleep 0.1
  done
  stop "$dir"
  die "the broker did not start within ${timeout}s (CDC_KAFKA_START_TIMEOUT); log: $dir/server.log"
}

stop() {
  local dir=$1 pid
  running "$dir" || return 0
  pid=$(cat "$dir/broker.pid")
  kill -TERM "$pid" 2>/dev/null || true
  for ((waited = 0; waited < 300; waited++)); do
    kill -0 "$pid" 2>/dev/null || { rm -f "$dir/broker.pid"; return 0; }
    sleep 0.1
  done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/broker.pid"
  echo "kafka-sandbox: the broker of $dir did not stop within 30 s and was killed" >&2
}

case "${1:-}" in
  start) (($# == 3)) || usage; start "$2" "$3" ;;
  stop) (($# == 2)) || usage; stop "$2" ;;
  status) (($# == 2)) || usage; running "$2" ;;
  *) usage ;;
esac
