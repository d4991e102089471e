// MysqlOptions: how to reach a MySQL-compatible server (MySQL, MariaDB, PolarDB-for-MySQL):
// address or socket, credentials, default database, TLS and timeouts. Immutable value type.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/status.h"

namespace cdc {

struct MysqlOptions {
  std::string host = "127.0.0.1";
  uint16_t port = 3306;
  std::string socket;    // a Unix socket path; used instead of host and port when set
  std::string user;
  std::string password;
  std::string database;  // default database of the session; may be empty

  // TLS: off unless tls_mode says otherwise. "disabled", "preferred" (TLS when the server
  // offers it), "required" (fail without TLS), "verify_ca" / "verify_identity" (also check the
  // server's certificate against tls_ca, and for verify_identity its host name).
  std::string tls_mode = "disabled";
  std::string tls_ca;
  std::string tls_cert;
  std::string tls_key;

  uint32_t connect_timeout_s = 10;
  uint32_t read_timeout_s = 60;
  uint32_t write_timeout_s = 60;

  // "user@host:port" or "user@socket", for messages.
  std::string Describe() const;

  // InvalidArgument naming the option: no user, an unknown tls_mode, a CA-verifying mode
  // without tls_ca, zero timeouts.
  Status Validate() const;
};

}  // namespace cdc
