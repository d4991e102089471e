#!/usr/bin/env bash
# Installs the Debian 12 packages this project builds and tests with. Idempotent: when every
# package is already installed it changes nothing and needs no network.
set -euo pipefail

packages=(
  g++ meson ninja-build pkg-config
  libboost-dev            # Boost.Asio, Boost.Lockfree (header-only)
  libconcurrentqueue-dev  # moodycamel ConcurrentQueue
  libmariadb-dev          # MariaDB Connector/C (libmysqlclient API)
  zlib1g-dev              # MariaDB's compressed binlog events
  libfmt-dev libyaml-cpp-dev doctest-dev
  nlohmann-json3-dev      # decoding the JSON change-event formats (connectors/format/)
  libre2-dev              # table patterns: RE2 matches in linear time (runtime/regex_pattern.h)
  libjemalloc-dev         # the binaries' allocator
  mariadb-server mariadb-client  # the integration tests' sandbox server (test/mariadb-sandbox.sh)
  gdb binutils            # tests that stop a server thread inside a race window (server_thread_pause.h)
  python3 openssl         # test scripts: checkpoint damage and JSON checks; the TLS test's certificates
  clang-format clang-tidy # test/lint.sh: the house format and bug-finding checks over the tree
  openjdk-17-jdk-headless maven  # the Kafka test broker's jars and JVM (test/install-kafka.sh)
  nlohmann-json3-dev      # the change-event decoders' JSON parser (connectors/format/json_document.h)
  librdkafka-dev kcat     # the Kafka client (librdkafka) and its CLI, for the Kafka tests and spike
  jq                      # reads the Kafka tests' JSON messages in shell
)

missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" \
    || missing+=("$package")
done
if ((${#missing[@]} > 0)); then
  echo "installing: ${missing[*]}"
  sudo_cmd=()
  if [[ $(id -u) -ne 0 ]]; then sudo_cmd=(sudo); fi
  "${sudo_cmd[@]}" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive "${sudo_cmd[@]}" apt-get install -y -qq --no-install-recommends \
    "${missing[@]}"
fi
