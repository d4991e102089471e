#!/usr/bin/env bash
# A throwaway MariaDB server for integration tests, confined to one directory and one port on
# 127.0.0.1, with the binlog settings a CDC source needs (ROW format, FULL row image and metadata).
#
#   test/mariadb-sandbox.sh start DIR PORT   start (initialising DIR/data on first use); no-op if up
#   test/mariadb-sandbox.sh stop DIR         shut down cleanly; no error if it is not running
#   test/mariadb-sandbox.sh status DIR       exit 0 if the server of DIR is running, 1 if not
#
# DIR holds data/, binlog/mysql-bin.*, tmp/, mysqld.sock, mysqld.pid and error.log. Clients log in
# as cdc/cdc, over TCP from 127.0.0.1 or over the socket; the account has every privilege,
# replication included. CDC_SANDBOX_START_TIMEOUT (seconds, default 60) bounds the wait for start;
# CDC_SANDBOX_BUFFER_POOL (default 128M) sizes the InnoDB buffer pool (benchmarks want more);
# CDC_SANDBOX_LOG_BIN=0 starts the server without a binlog (to test how a source refuses it).
# CDC_SANDBOX_TLS=TLSDIR starts it with TLS: TLSDIR/ca.pem, server-cert.pem and server-key.pem
# (test/integration/make-test-certificates.sh makes them) as ssl_ca, ssl_cert and ssl_key.
set -euo pipefail

PATH="$PATH:/usr/sbin:/sbin"  # mariadbd lives in /usr/sbin, which a non-root PATH may lack

die() {
  echo "mariadb-sandbox: $*" >&2
  exit 1
}

usage() {
  echo "usage: $0 start DIR PORT | stop DIR | status DIR" >&2
  exit 2
}

require_tools() {
  local tool
  for tool in mariadbd mariadb-install-db mariadb mariadb-admin; do
    command -v "$tool" >/dev/null \
      || die "$tool is not installed; run test/install-deps.sh (it installs mariadb-server and mariadb-client)"
  done
}

# Sets the paths of the sandbox in DIR (made absolute, so the process check below can match it).
set_paths() {
  dir=$(realpath -m -- "$1")
  data_dir="$dir/data"
  socket="$dir/mysqld.sock"
  pid_file="$dir/mysqld.pid"
  error_log="$dir/error.log"
  # The system account that may log in as a MariaDB superuser over the socket (unix_socket auth).
  admin_user=$(id -un)
}

serves_data_dir() {
  [[ -r "/proc/$1/cmdline" ]] \
    && tr '\0' '\n' <"/proc/$1/cmdline" 2>/dev/null | grep -qxF -- "--datadir=$data_dir"
}

# Prints the pid of the mariadbd serving DIR, or fails if there is none. The pid file alone is not
# proof: a crash leaves it behind, the pid may since belong to another process, and a server
# shutting down on a signal removes it before it exits. So a missing or stale pid file falls back
# to looking for the process whose command line names this data directory.
server_pid() {
  local pid=""
  if [[ -r "$pid_file" ]]; then pid=$(<"$pid_file") || pid=""; fi
  if [[ "$pid" =~ ^[0-9]+$ ]] && serves_data_dir "$pid"; then
    echo "$pid"
    return 0
  fi
  local proc comm
  for proc in /proc/[0-9]*; do
    read -r comm 2>/dev/null <"$proc/comm" || continue
    if [[ "$comm" == mariadbd ]] && serves_data_dir "${proc#/proc/}"; then
      echo "${proc#/proc/}"
      return 0
    fi
  done
  return 1
}

ping_server() {
  # Exits 0 once the server answers, even before it accepts this account.
  mariadb-admin --no-defaults --socket="$socket" --user="$admin_user" --connect-timeout=2 \
    ping >/dev/null 2>&1
}

admin_sql() {
  mariadb --no-defaults --socket="$socket" --user="$admin_user" --batch --skip-column-names \
    -e "$1"
}

port_in_use() {
  local port=$1
  if command -v ss >/dev/null; then
    [[ -n "$(ss -Hltn "sport = :$port")" ]]
  else
    (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null
  fi
}

# Prints the cause the error log names, if it is one of the usual ones, with its fix.
diagnose_error_log() {
  if grep -q 'Address already in use' "$error_log"; then
    echo "cause: the port is taken by another process; pick a free port or stop that process"
  elif grep -qE 'No space left on device|Disk is full' "$error_log"; then
    echo "cause: the disk is full; free space under $dir"
  elif grep -qE 'Permission denied|Errcode: 13' "$error_log"; then
    echo "cause: mariadbd may not write under $dir; fix its ownership or use another DIR"
  elif grep -qE 'Unable to lock|Can.t lock' "$error_log"; then
    echo "cause: another mariadbd uses $data_dir; stop it (test/mariadb-sandbox.sh stop $dir)"
  elif grep -qE "Table 'mysql\.[a-z_]+' doesn't exist" "$error_log"; then
    echo "cause: $data_dir is not a complete MariaDB data directory; remove $dir to recreate it"
  elif grep -qE 'corrupt|Corrupt|Unknown/unsupported storage engine' "$error_log"; then
    echo "cause: $data_dir looks damaged; remove $dir to start from a fresh data directory"
  else
    echo "cause: see the error log above; remove $dir to start from a fresh data directory"
  fi
}

ensure_cdc_user() {
  local host sql=""
  for host in 127.0.0.1 localhost; do
    sql+="CREATE USER IF NOT EXISTS 'cdc'@'$host' IDENTIFIED BY 'cdc';"
    sql+="GRANT ALL PRIVILEGES ON *.* TO 'cdc'@'$host' WITH GRANT OPTION;"
  done
  admin_sql "$sql" || die "could not create the cdc account in the server at $socket"
}

start() {
  local port=$1 pid running_port
  if ! [[ "$port" =~ ^[0-9]+$ ]] || ((port < 1 || port > 65535)); then
    die "PORT must be a number from 1 to 65535, not '$port'"
  fi
  # sun_path holds 108 bytes; a longer socket path makes mariadbd fail with an obscure message.
  ((${#socket} < 108)) || die "socket path $socket is ${#socket} bytes, over the 107 a unix socket \
allows; use a shorter DIR (e.g. set CDC_SANDBOX_DIR or TMPDIR to /tmp)"
  require_tools

  if pid=$(server_pid); then
    wait_until_up "$pid"
    running_port=$(admin_sql "SELECT @@port") || die "cannot query the server at $socket"
    [[ "$running_port" == "$port" ]] || die "the server of $dir is already running on port \
$running_port, not $port; stop it first (test/mariadb-sandbox.sh stop $dir)"
    ensure_cdc_user
    print_ready "$port"
    return 0
  fi

  port_in_use "$port" && die "port $port on 127.0.0.1 is already in use by another process \
(see: ss -ltnp 'sport = :$port'); pick another port or stop that process"

  mkdir -p "$data_dir" "$dir/binlog" "$dir/tmp"
  local user_args=()
  # mariadbd refuses to run as root unless told to; as anyone else it runs as that user.
  if [[ $(id -u) -eq 0 ]]; then user_args=(--user=root); fi
  # Small InnoDB: the test machines have two cores, little memory and little disk.
  local server_args=(
    --skip-name-resolve
    --innodb-buffer-pool-size="${CDC_SANDBOX_BUFFER_POOL:-128M}" --innodb-log-file-size=48M --innodb-log-buffer-size=8M
    --innodb-flush-log-at-trx-commit=2  # tests need no durability across a host crash
    --performance-schema=OFF
    --character-set-server=utf8mb4 --collation-server=utf8mb4_general_ci
  )

  if [[ -z "$(ls -A "$data_dir")" ]]; then
    if ! mariadb-install-db --no-defaults "${user_args[@]}" --datadir="$data_dir" \
      --tmpdir="$dir/tmp" --auth-root-authentication-method=socket \
      --auth-root-socket-user="$admin_user" --skip-test-db "${server_args[@]}" \
      >"$dir/install-db.log" 2>&1; then
      tail -n 30 "$dir/install-db.log" >&2
      die "mariadb-install-db failed to initialise $data_dir (log: $dir/install-db.log); \
remove $dir and try again"
    fi
  fi

  rm -f "$socket" "$pid_file"
  local binlog_args=(--log-bin="$dir/binlog/mysql-bin")
  if [[ "${CDC_SANDBOX_LOG_BIN:-1}" == 0 ]]; then binlog_args=(--skip-log-bin); fi
  local tls_args=()
  if [[ -n "${CDC_SANDBOX_TLS:-}" ]]; then
    local tls_dir file
    tls_dir=$(realpath -- "$CDC_SANDBOX_TLS") || die "CDC_SANDBOX_TLS: no directory $CDC_SANDBOX_TLS"
    for file in ca.pem server-cert.pem server-key.pem; do
      [[ -r "$tls_dir/$file" ]] || die "CDC_SANDBOX_TLS: $tls_dir/$file is missing; make it with \
test/integration/make-test-certificates.sh $tls_dir"
    done
    tls_args=(--ssl-ca="$tls_dir/ca.pem" --ssl-cert="$tls_dir/server-cert.pem" --ssl-key="$tls_dir/server-key.pem")
  fi
  # stdin, stdout and stderr leave the caller's: a test runner waits for its pipes to close.
  nohup mariadbd --no-defaults "${user_args[@]}" \
    --datadir="$data_dir" --tmpdir="$dir/tmp" \
    --socket="$socket" --pid-file="$pid_file" --log-error="$error_log" \
    --bind-address=127.0.0.1 --port="$port" \
    --server-id="$port" \
    "${binlog_args[@]}" "${tls_args[@]}" --binlog-format=ROW \
    --binlog-row-image=FULL --binlog-row-metadata=FULL \
    --max-allowed-packet=64M \
    "${server_args[@]}" \
    </dev/null >>"$error_log" 2>&1 &
  pid=$!
  # mariadbd writes the same pid later; writing it now lets stop find a server still starting.
  echo "$pid" >"$pid_file"
  wait_until_up "$pid"
  ensure_cdc_user
  print_ready "$port"
}

# Waits until the server with PID answers on the socket; on failure stops it and exits non-zero.
wait_until_up() {
  local pid=$1 timeout=${CDC_SANDBOX_START_TIMEOUT:-60} waited=0
  until ping_server; do
    if ! kill -0 "$pid" 2>/dev/null; then
      tail -n 30 "$error_log" >&2 || true
      die "mariadbd exited while starting (error log: $error_log); $(diagnose_error_log)"
    fi
    if ((waited >= timeout * 4)); then
      tail -n 30 "$error_log" >&2 || true
      stop_server
      die "mariadbd did not answer on $socket within ${timeout} s (error log: $error_log); \
if the log shows no error the machine is slow: raise CDC_SANDBOX_START_TIMEOUT; otherwise \
$(diagnose_error_log)"
    fi
    sleep 0.25
    waited=$((waited + 1))
  done
}

print_ready() {
  echo "mariadb sandbox ready: 127.0.0.1:$1 socket $socket user cdc password cdc"
}

stop_server() {
  local pid waited=0
  pid=$(server_pid) || return 0
  # mariadb-admin shutdown returns once the server has removed its pid file; the process may
  # still be exiting, so wait for it either way.
  if ! mariadb-admin --no-defaults --socket="$socket" --user="$admin_user" \
    --connect-timeout=5 --shutdown-timeout=30 shutdown >/dev/null 2>&1; then
    kill -TERM "$pid" 2>/dev/null || true
  fi
  while kill -0 "$pid" 2>/dev/null && ((waited < 120)); do
    sleep 0.25
    waited=$((waited + 1))
  done
  if kill -0 "$pid" 2>/dev/null; then
    echo "mariadb-sandbox: mariadbd (pid $pid) did not exit within 30 s; killing it" >&2
    kill -KILL "$pid" 2>/dev/null || true
    sleep 1
    ! kill -0 "$pid" 2>/dev/null || die "mariadbd (pid $pid) survived SIGKILL; stop it by hand"
  fi
  rm -f "$pid_file"
}

case "${1:-}" in
  start)
    (($# == 3)) || usage
    set_paths "$2"
    start "$3"
    ;;
  stop)
    (($# == 2)) || usage
    set_paths "$2"
    stop_server
    ;;
  status)
    (($# == 2)) || usage
    set_paths "$2"
    server_pid >/dev/null
    ;;
  *) usage ;;
esac
