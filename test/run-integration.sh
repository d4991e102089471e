#!/usr/bin/env bash
# Runs one integration test binary against a fresh MariaDB sandbox (test/mariadb-sandbox.sh):
#
#   test/run-integration.sh BINARY [ARGS...]
#
# Picks a free port from 33061 upward, starts a server in
# ${CDC_SANDBOX_DIR:-${TMPDIR:-/tmp}}/cdc-sandbox-PORT (removed first and afterwards), runs BINARY
# with CDC_TEST_MYSQL_{HOST,PORT,USER,PASSWORD,SOCKET} set, stops the server whatever happens and
# exits with BINARY's exit code. With CDC_SANDBOXES=2 a second server (same user) is started
# too, as a replication target: CDC_TEST_TARGET_{PORT,SOCKET}; CDC_SANDBOXES=3 adds a third,
# CDC_TEST_TARGET2_{PORT,SOCKET}. Every server has its own server_id (its port) and a binlog, so
# one can also be a native replica of another. Without MariaDB installed it fails: integration
# tests never skip.
set -euo pipefail

if (($# < 1)); then
  echo "usage: $0 BINARY [ARGS...]" >&2
  exit 2
fi

PATH="$PATH:/usr/sbin:/sbin"
for tool in mariadbd mariadb-install-db mariadb mariadb-admin; do
  if ! command -v "$tool" >/dev/null; then
    echo "run-integration: $tool is not installed, so the integration tests cannot run;" \
      "run test/install-deps.sh (it installs mariadb-server and mariadb-client)" >&2
    exit 1
  fi
done

sandbox=$(dirname "$(realpath "$0")")/mariadb-sandbox.sh
base=${CDC_SANDBOX_DIR:-${TMPDIR:-/tmp}}
mkdir -p "$base"

port_in_use() {
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$1")" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
  fi
}

# Claims a port by holding a lock on /tmp/cdc-sandbox-ports/PORT.lock for the whole run, so
# concurrent runners never share a port or remove each other's directory. Ports are the
# machine's, so the locks are too, whatever CDC_SANDBOX_DIR each runner uses. The lock file is removed at the
# end; a runner that locked a file since removed sees a different inode and moves on.
# CDC_SANDBOXES=2 or 3 starts more servers (replication targets) the same way.
port_locks=/tmp/cdc-sandbox-ports
mkdir -p "$port_locks"
chmod 1777 "$port_locks" 2>/dev/null || true  # shared by every user's runs
lock_files=()
ports=()
dirs=()
claim_port() {
  local candidate file fd
  for ((candidate = ${1}; candidate < 33161; candidate++)); do
    file="$port_locks/$candidate.lock"
    exec {fd}>>"$file"
    if flock -n "$fd" \
      && [[ "$(stat -c %i "$file" 2>/dev/null)" == "$(stat -L -c %i "/proc/self/fd/$fd")" ]]; then
      if ! port_in_use "$candidate"; then
        lock_files+=("$file")
        ports+=("$candidate")
        return 0
      fi
      rm -f "$file"  # ours while locked; the port belongs to something else
    fi
    exec {fd}>&-
  done
  echo "run-integration: no free port in 33061-33160 on 127.0.0.1; stop leftover servers" \
    "(ss -ltnp) or remove stale sandboxes under $base" >&2
  exit 1
}

# shellcheck disable=SC2317  # invoked by the EXIT trap
cleanup() {
  local status=$? dir
  for dir in "${dirs[@]}"; do
    if ! "$sandbox" stop "$dir"; then
      echo "run-integration: could not stop the sandbox in $dir; left it for inspection" >&2
    else
      rm -rf "$dir" || true
    fi
  done
  rm -f "${lock_files[@]}" || true
  exit "$status"
}
trap cleanup EXIT
# A signal ends the run through the EXIT trap, so the server is stopped then too.
trap 'exit 130' INT
trap 'exit 143' TERM
trap 'exit 129' HUP

sandboxes=${CDC_SANDBOXES:-1}
next=33061
for ((i = 0; i < sandboxes; i++)); do
  claim_port "$next"
  port=${ports[-1]}
  next=$((port + 1))
  dir="$base/cdc-sandbox-$port"
  dirs+=("$dir")
  rm -rf "$dir"
  "$sandbox" start "$dir" "$port"
done

port=${ports[0]}
dir=${dirs[0]}
export CDC_TEST_MYSQL_HOST=127.0.0.1
export CDC_TEST_MYSQL_PORT=$port
export CDC_TEST_MYSQL_USER=cdc
export CDC_TEST_MYSQL_PASSWORD=cdc
export CDC_TEST_MYSQL_SOCKET=$dir/mysqld.sock
# For tests that restart the server: "$CDC_TEST_SANDBOX_SCRIPT" stop|start "$CDC_TEST_SANDBOX_DIR" PORT
export CDC_TEST_SANDBOX_SCRIPT=$sandbox
export CDC_TEST_SANDBOX_DIR=$dir
if ((sandboxes > 1)); then
  export CDC_TEST_TARGET_PORT=${ports[1]}
  export CDC_TEST_TARGET_SOCKET=${dirs[1]}/mysqld.sock
fi
if ((sandboxes > 2)); then
  export CDC_TEST_TARGET2_PORT=${ports[2]}
  export CDC_TEST_TARGET2_SOCKET=${dirs[2]}/mysqld.sock
fi

status=0
"$@" || status=$?
exit "$status"
