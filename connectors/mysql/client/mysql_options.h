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
  std::string socket;  // a Unix socket path; used instead of host and port when set
  std::string user;
  std::string password;
  std::string database;  // default database of the session; may be empty

  // TLS: off unless tls_mode says otherwise. "disabled"; "preferred" (TLS when the server
  // offers it); "required" (encrypted or no connection; the certificate is not checked);
  // "verify_ca" (also: the server's certificate is signed by the CA in tls_ca);
  // "verify_identity" (also: it is issued for `host`, the name or address connected to).
  // Connector/C connects unencrypted to a server without TLS even when told TLS is required,
  // so Connect() checks the session's cipher itself and refuses it.
  std::string tls_mode = "disabled";
  std::string tls_ca;    // PEM file of the CA; only with verify_ca and verify_identity
  std::string tls_cert;  // PEM files of a client certificate and its key (REQUIRE X509
  std::string tls_key;   // accounts); both or neither, and only with TLS on

  uint32_t connect_timeout_s = 10;
  uint32_t read_timeout_s = 60;
  uint32_t write_timeout_s = 60;

  // "user@host:port" or "user@socket", for messages.
  std::string Describe() const;

  // InvalidArgument naming the option: no user, an unknown tls_mode, a CA-verifying mode
  // without tls_ca, tls_ca with a mode that would not use it, tls_cert without tls_key (or the
  // reverse) or without TLS, zero timeouts.
  Status Validate() const;
};

}  // namespace cdc
