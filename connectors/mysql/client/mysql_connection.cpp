#include "connectors/mysql/client/mysql_connection.h"

#include <errmsg.h>
#include <fmt/format.h>
#include <mysql.h>
#include <mysqld_error.h>

#include <cstdlib>
#include <mutex>

#include "runtime/ascii.h"

namespace cdc {
namespace {

// mysql_library_init is not thread-safe; run it once before any connection.
void InitLibraryOnce() {
  static std::once_flag once;
  std::call_once(once, [] { mysql_library_init(0, nullptr, nullptr); });
}

// "10.11.6-MariaDB..." or "8.0.36": major, minor, patch.
void ParseVersion(const std::string& version, int& major, int& minor, int& patch) {
  major = minor = patch = 0;
  std::sscanf(version.c_str(), "%d.%d.%d", &major, &minor, &patch);
}

// The fix for a failed TLS handshake: Connector/C's message says what failed, not why.
std::string TlsFailureFix(const MysqlOptions& options, const std::string& message) {
  if (message.find("Validation of SSL server certificate failed") != std::string::npos) {
    return fmt::format(
        "the server's certificate is not issued for '{}' (tls.mode verify_identity checks the "
        "name connected to): connect by a name its subjectAltName holds, or reissue the "
        "certificate with '{}' in it, or use tls.mode verify_ca to check the CA only",
        options.host, options.host);
  }
  if (message.find("does not support") != std::string::npos) {
    return fmt::format(
        "the server offers no TLS, and tls.mode is {}: enable TLS on the server (ssl_cert and "
        "ssl_key), or set tls.mode to preferred or disabled to connect without it",
        options.tls_mode);
  }
  if (options.tls_mode == "verify_ca" || options.tls_mode == "verify_identity") {
    return fmt::format(
        "the server's certificate did not verify against tls.ca {}: set tls.ca to the CA that "
        "issued the server's certificate (the server's ssl_ca), or renew an expired certificate",
        options.tls_ca);
  }
  return "check the TLS files (tls.cert, tls.key) and the server's TLS settings";
}

}  // namespace

std::string MysqlOptions::Describe() const {
  if (!socket.empty()) return fmt::format("{}@{}", user, socket);
  return fmt::format("{}@{}:{}", user, host, port);
}

Status MysqlOptions::Validate() const {
  if (user.empty())
    return Status::InvalidArgument("mysql: no user given: set the user to connect as");
  static const char* kModes[] = {"disabled", "preferred", "required", "verify_ca",
                                 "verify_identity"};
  bool known = false;
  for (const char* mode : kModes) known |= tls_mode == mode;
  if (!known) {
    return Status::InvalidArgument(
        fmt::format("mysql: unknown tls_mode '{}': use disabled, preferred, required, verify_ca or "
                    "verify_identity",
                    tls_mode));
  }
  bool verifies = tls_mode == "verify_ca" || tls_mode == "verify_identity";
  if (verifies && tls_ca.empty()) {
    return Status::InvalidArgument(fmt::format(
        "mysql: tls_mode {} checks the server certificate: set tls_ca to the CA file", tls_mode));
  }
  // Connector/C would check the certificate against a CA given in any mode, and a CA given
  // without TLS would look like protection that is not there: a CA means a verifying mode.
  if (!verifies && !tls_ca.empty()) {
    return Status::InvalidArgument(fmt::format(
        "mysql: tls_ca is set but tls_mode {} does not check the server's certificate: set "
        "tls_mode to verify_ca or verify_identity, or leave tls_ca empty",
        tls_mode));
  }
  if (tls_cert.empty() != tls_key.empty()) {
    return Status::InvalidArgument(
        "mysql: a client certificate needs both tls_cert and tls_key: set the one missing");
  }
  if (!tls_cert.empty() && tls_mode == "disabled") {
    return Status::InvalidArgument(
        "mysql: tls_cert and tls_key are set but tls_mode is disabled: set tls_mode to "
        "required, verify_ca or verify_identity");
  }
  if (connect_timeout_s == 0 || read_timeout_s == 0 || write_timeout_s == 0) {
    return Status::InvalidArgument("mysql: connect, read and write timeouts must be at least 1 s");
  }
  return Status::Ok();
}

bool IsTransientMysqlError(unsigned int number) {
  switch (number) {
    case ER_LOCK_DEADLOCK:
    case ER_LOCK_WAIT_TIMEOUT:
    case ER_CONNECTION_KILLED:  // MariaDB: KILL of our connection
    case ER_QUERY_INTERRUPTED:
    case ER_SERVER_SHUTDOWN:
    case ER_CON_COUNT_ERROR:  // too many connections
    case ER_NET_READ_ERROR:
    case ER_NET_READ_INTERRUPTED:
    case ER_NET_WRITE_INTERRUPTED:
    case CR_SERVER_GONE_ERROR:
    case CR_SERVER_LOST:
    case CR_CONNECTION_ERROR:
    case CR_CONN_HOST_ERROR:
    case CR_SERVER_LOST_EXTENDED:
    case 4031:  // MySQL 8: the client was disconnected by the server for inactivity
      return true;
    default: return false;
  }
}

MysqlConnection::MysqlConnection() {
  InitLibraryOnce();
}

MysqlConnection::~MysqlConnection() {
  Close();
}

void MysqlConnection::Close() {
  for (auto& [sql, statement] : prepared_) mysql_stmt_close(statement);
  prepared_.clear();
  if (mysql_ != nullptr) mysql_close(mysql_);
  mysql_ = nullptr;
}

Status MysqlConnection::Fail(const std::string& what) {
  last_error_.number = mysql_ != nullptr ? mysql_errno(mysql_) : 0;
  last_error_.sql_state = mysql_ != nullptr ? mysql_sqlstate(mysql_) : "";
  last_error_.message = mysql_ != nullptr ? mysql_error(mysql_) : "out of memory";
  return LastErrorStatus(what);
}

Status MysqlConnection::LastErrorStatus(const std::string& what) const {
  return Status::IoError(fmt::format("{} on {}: error {} ({}): {}", what, options_.Describe(),
                                     last_error_.number, last_error_.sql_state,
                                     last_error_.message));
}

Status MysqlConnection::NotConnected() {
  last_error_ = MysqlError{CR_SERVER_GONE_ERROR, "HY000", "not connected"};
  return Status::IoError(fmt::format("not connected to {}", options_.Describe()));
}

Status MysqlConnection::Connect(const MysqlOptions& options) {
  CDC_RETURN_IF_ERROR(options.Validate());
  Close();
  options_ = options;
  mysql_ = mysql_init(nullptr);
  if (mysql_ == nullptr) return Status::IoError("mysql: out of memory creating a connection");
  unsigned int connect_timeout = options.connect_timeout_s;
  unsigned int read_timeout = options.read_timeout_s;
  unsigned int write_timeout = options.write_timeout_s;
  mysql_options(mysql_, MYSQL_OPT_CONNECT_TIMEOUT, &connect_timeout);
  mysql_options(mysql_, MYSQL_OPT_READ_TIMEOUT, &read_timeout);
  mysql_options(mysql_, MYSQL_OPT_WRITE_TIMEOUT, &write_timeout);
  mysql_options(mysql_, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  // Reconnection is ours to do (a silent reconnect would lose the open transaction).
  my_bool no = 0;
  mysql_options(mysql_, MYSQL_OPT_RECONNECT, &no);
  // Host and port mean TCP, even for "localhost", which Connector/C would otherwise take as
  // its compiled-in default socket: another server than the port names.
  unsigned int protocol = options.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(mysql_, MYSQL_OPT_PROTOCOL, &protocol);
  bool tls_required = options.tls_mode != "disabled" && options.tls_mode != "preferred";
  if (options.tls_mode != "disabled") {
    mysql_ssl_set(mysql_, options.tls_key.empty() ? nullptr : options.tls_key.c_str(),
                  options.tls_cert.empty() ? nullptr : options.tls_cert.c_str(),
                  options.tls_ca.empty() ? nullptr : options.tls_ca.c_str(), nullptr, nullptr);
    // Despite its name this only asks for TLS when the server offers it (the check after the
    // handshake enforces it); without it "preferred" with no files would never use TLS.
    my_bool use_tls = 1;
    mysql_options(mysql_, MYSQL_OPT_SSL_ENFORCE, &use_tls);
    my_bool verify = options.tls_mode == "verify_identity";
    mysql_options(mysql_, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
  const char* host = options.socket.empty() ? options.host.c_str() : nullptr;
  const char* socket = options.socket.empty() ? nullptr : options.socket.c_str();
  const char* database = options.database.empty() ? nullptr : options.database.c_str();
  if (mysql_real_connect(mysql_, host, options.user.c_str(), options.password.c_str(), database,
                         options.port, socket, 0) == nullptr) {
    Status failed = Fail("connecting");
    std::string fix;
    switch (last_error_.number) {
      case ER_ACCESS_DENIED_ERROR:
        fix = "check the user name and password, and that the user may connect from this host";
        break;
      case ER_BAD_DB_ERROR: fix = "create the database or correct its name"; break;
      case CR_CONNECTION_ERROR:
      case CR_CONN_HOST_ERROR:
      case CR_UNKNOWN_HOST:
        fix = "check that the server runs and that host, port or socket are right";
        break;
      case CR_SSL_CONNECTION_ERROR: fix = TlsFailureFix(options, last_error_.message); break;
      default: fix = "see the server's error above";
    }
    Close();
    return Status::IoError(fmt::format("{}; fix: {}", failed.message(), fix));
  }
  // Connector/C falls back to an unencrypted session when the server offers no TLS, unless
  // the host name is verified: TLS required means this session is refused.
  if (tls_required && mysql_get_ssl_cipher(mysql_) == nullptr) {
    Close();
    return Status::IoError(fmt::format(
        "connecting on {}: the server did not encrypt the session (it offers no TLS), and "
        "tls.mode is {}; fix: enable TLS on the server (ssl_cert and ssl_key), or set tls.mode "
        "to preferred or disabled to connect without it",
        options.Describe(), options.tls_mode));
  }
  server_version_ = mysql_get_server_info(mysql_);
  is_mariadb_ = server_version_.find("MariaDB") != std::string::npos;
  int major, minor, patch;
  ParseVersion(server_version_, major, minor, patch);
  supports_row_alias_ = !is_mariadb_ && (major > 8 || (major == 8 && (minor > 0 || patch >= 20)));
  unsigned long extended_capabilities = 0;
  mariadb_get_infov(mysql_, MARIADB_CONNECTION_EXTENDED_SERVER_CAPABILITIES,
                    &extended_capabilities);
  supports_array_binding_ =
      is_mariadb_ && (extended_capabilities & (MARIADB_CLIENT_STMT_BULK_OPERATIONS >> 32)) != 0;
  // UTC so TIMESTAMP literals mean what the source meant; strict so a value the target cannot
  // hold is an error, never silently truncated; zero dates and explicit 0 in AUTO_INCREMENT
  // columns kept as the source has them.
  // A session that fails to be prepared is closed: never used half-prepared.
  Status prepared = Execute(
      "SET time_zone = '+00:00', NAMES utf8mb4, sql_mode = "
      "'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION'");
  if (!prepared.ok()) {
    Close();
    return prepared;
  }
  auto packet = Query("SELECT @@max_allowed_packet");
  if (!packet.ok()) {
    Close();
    return packet.status();
  }
  if (!packet->empty() && (*packet)[0][0]) {
    max_allowed_packet_ = ParseDecimal(*(*packet)[0][0]).value_or(max_allowed_packet_);
  }
  return Status::Ok();
}

Status MysqlConnection::Execute(const std::string& sql) {
  if (mysql_ == nullptr) return NotConnected();
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return Fail("executing a statement");
  // Drain any result so the connection stays usable.
  MYSQL_RES* result = mysql_store_result(mysql_);
  if (result != nullptr) mysql_free_result(result);
  return Status::Ok();
}

Status MysqlConnection::FailStatement(st_mysql_stmt* statement, const std::string& what) {
  last_error_.number = mysql_stmt_errno(statement);
  last_error_.sql_state = mysql_stmt_sqlstate(statement);
  last_error_.message = mysql_stmt_error(statement);
  return LastErrorStatus(what);
}

Result<st_mysql_stmt*> MysqlConnection::Prepared(const std::string& sql) {
  if (auto it = prepared_.find(sql); it != prepared_.end()) return it->second;
  // Statements follow the tables a session writes; a session writing very many tables starts
  // over rather than holding a statement per table forever.
  constexpr size_t kMaxPrepared = 256;
  if (prepared_.size() >= kMaxPrepared) {
    for (auto& [text, statement] : prepared_) mysql_stmt_close(statement);
    prepared_.clear();
  }
  MYSQL_STMT* statement = mysql_stmt_init(mysql_);
  if (statement == nullptr) return Fail("preparing a statement");
  if (mysql_stmt_prepare(statement, sql.data(), sql.size()) != 0) {
    Status failed = FailStatement(statement, "preparing a statement");
    mysql_stmt_close(statement);
    return failed;
  }
  prepared_.emplace(sql, statement);
  return statement;
}

Status MysqlConnection::ExecuteArray(const std::string& sql, st_mysql_bind* binds,
                                     unsigned int rows) {
  if (mysql_ == nullptr) return NotConnected();
  auto prepared = Prepared(sql);
  if (!prepared.ok()) return prepared.status();
  MYSQL_STMT* statement = *prepared;
  if (mysql_stmt_attr_set(statement, STMT_ATTR_ARRAY_SIZE, &rows) != 0 ||
      mysql_stmt_bind_param(statement, binds) != 0) {
    return FailStatement(statement, "binding an array of rows");
  }
  if (mysql_stmt_execute(statement) != 0) {
    Status failed = FailStatement(statement, "executing an array of rows");
    // A statement the server no longer knows (its table was altered or rebuilt) is prepared
    // again on the next use.
    if (last_error_.number == ER_NEED_REPREPARE || last_error_.number == ER_UNKNOWN_STMT_HANDLER) {
      mysql_stmt_close(statement);
      prepared_.erase(sql);
    }
    return failed;
  }
  return Status::Ok();
}

Result<std::vector<MysqlConnection::ResultRow>> MysqlConnection::Query(const std::string& sql) {
  if (mysql_ == nullptr) return NotConnected();
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return Fail("running a query");
  MYSQL_RES* result = mysql_store_result(mysql_);
  std::vector<ResultRow> rows;
  if (result == nullptr) {
    if (mysql_field_count(mysql_) != 0) return Fail("reading a query's result");
    return rows;
  }
  unsigned int fields = mysql_num_fields(result);
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    unsigned long* lengths = mysql_fetch_lengths(result);
    ResultRow out(fields);
    for (unsigned int i = 0; i < fields; ++i) {
      if (row[i] != nullptr) out[i] = std::string(row[i], lengths[i]);
    }
    rows.push_back(std::move(out));
  }
  mysql_free_result(result);
  return rows;
}

Status MysqlConnection::QueryEach(const std::string& sql,
                                  const std::function<Status(const RowView&)>& on_row) {
  if (mysql_ == nullptr) return NotConnected();
  if (mysql_real_query(mysql_, sql.data(), sql.size()) != 0) return Fail("running a query");
  MYSQL_RES* result = mysql_use_result(mysql_);
  if (result == nullptr) {
    if (mysql_field_count(mysql_) != 0) return Fail("reading a query's result");
    return Status::Ok();
  }
  unsigned int fields = mysql_num_fields(result);
  RowView view(fields);
  Status status;
  while (MYSQL_ROW row = mysql_fetch_row(result)) {
    if (!status.ok()) continue;  // drain, so the connection stays usable
    unsigned long* lengths = mysql_fetch_lengths(result);
    for (unsigned int i = 0; i < fields; ++i) {
      view[i] = row[i] != nullptr
                    ? std::optional<std::string_view>(std::string_view(row[i], lengths[i]))
                    : std::nullopt;
    }
    status = on_row(view);
  }
  bool failed = mysql_errno(mysql_) != 0;
  Status read_error = failed ? Fail("reading a query's result") : Status::Ok();
  mysql_free_result(result);
  if (!status.ok()) return status;
  return read_error;
}

}  // namespace cdc
