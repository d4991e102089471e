// MysqlConnection: one client session with a MySQL-compatible server, over MariaDB
// Connector/C. Every session runs with time_zone '+00:00' (so TIMESTAMP values travel as UTC)
// and utf8mb4. The only files that include mysql.h live in connectors/mysql/.
//
// Thread-bound: one thread uses a connection at a time (the pool hands it over).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "connectors/mysql/client/mysql_options.h"
#include "runtime/status.h"

struct st_mysql;
struct st_mysql_stmt;
struct st_mysql_bind;

namespace cdc {

// A failed statement's server (or client library) error.
struct MysqlError {
  unsigned int number = 0;  // ER_* / CR_* error number; 0 when not from the server
  std::string sql_state;
  std::string message;
};

// True for errors after which the same transaction may succeed when retried on a fresh
// connection: deadlock, lock wait timeout, lost or killed connection, server shutting down or
// unreachable, too many connections.
bool IsTransientMysqlError(unsigned int number);

class MysqlConnection {
 public:
  using ResultRow = std::vector<std::optional<std::string>>;

  MysqlConnection();
  ~MysqlConnection();
  MysqlConnection(const MysqlConnection&) = delete;
  MysqlConnection& operator=(const MysqlConnection&) = delete;

  // Connects and prepares the session. Errors name the server, the user and the fix:
  // unreachable, access denied, unknown database, TLS required but unavailable.
  Status Connect(const MysqlOptions& options);
  bool connected() const { return mysql_ != nullptr; }
  void Close();

  // Runs one statement, discarding any result. On failure last_error() has the details.
  Status Execute(const std::string& sql);
  // Runs a query and returns every row as text (NULL as nullopt).
  Result<std::vector<ResultRow>> Query(const std::string& sql);
  // Runs a query and hands each row to `on_row` as it arrives from the server, without holding
  // the result: memory stays bounded whatever the result's size. The views are valid during
  // the call only. An error from `on_row` stops reading (the rest is drained) and is returned.
  using RowView = std::vector<std::optional<std::string_view>>;
  Status QueryEach(const std::string& sql, const std::function<Status(const RowView&)>& on_row);

  // Array binding (MariaDB 10.2+, COM_STMT_BULK_EXECUTE): `sql`, prepared once per session
  // and kept until the session closes, runs once per row of `binds`, each bind an array of
  // `rows` values (column-wise binding: values, lengths and indicators per column), in one
  // round trip. Only when supports_array_binding().
  Status ExecuteArray(const std::string& sql, st_mysql_bind* binds, unsigned int rows);
  bool supports_array_binding() const { return supports_array_binding_; }

  const MysqlError& last_error() const { return last_error_; }
  // Records the session's current error as last_error() and returns it as a Status naming
  // `what` and the server; for code driving the native handle directly.
  Status ErrorStatus(const std::string& what) { return Fail(what); }

  // The Connector/C handle, for the replication protocol (connectors/mysql/binlog only).
  st_mysql* native_handle() const { return mysql_; }

  // The server's version string ("10.11.6-MariaDB-0+deb12u1", "8.0.36").
  const std::string& server_version() const { return server_version_; }
  bool is_mariadb() const { return is_mariadb_; }
  // MySQL 8.0.20+ accepts (and prefers) row aliases in INSERT ... ON DUPLICATE KEY UPDATE.
  bool supports_row_alias() const { return supports_row_alias_; }
  // The server's max_allowed_packet in bytes.
  uint64_t max_allowed_packet() const { return max_allowed_packet_; }

 private:
  // Records the session's (or a statement's) error as last_error() and returns it as a Status
  // naming `what` and the server.
  Status Fail(const std::string& what);
  Status FailStatement(st_mysql_stmt* statement, const std::string& what);
  Status LastErrorStatus(const std::string& what) const;
  Status NotConnected();
  Result<st_mysql_stmt*> Prepared(const std::string& sql);

  st_mysql* mysql_ = nullptr;
  MysqlOptions options_;
  MysqlError last_error_;
  std::string server_version_;
  bool is_mariadb_ = false;
  bool supports_row_alias_ = false;
  bool supports_array_binding_ = false;
  uint64_t max_allowed_packet_ = 4 << 20;
  // Prepared statements by their text, closed with the session.
  std::unordered_map<std::string, st_mysql_stmt*> prepared_;
};

}  // namespace cdc
