// TLS to MySQL against the sandboxed MariaDB, restarted with TLS on: a CA, a server
// certificate issued for "localhost" only, a client certificate and an unrelated CA, all made
// by test/integration/make-test-certificates.sh with openssl. Each tls_mode does what
// MysqlOptions says, a wrong CA or host name is refused with the cause and the fix, a server
// without TLS is refused when TLS is required, and the source (snapshot and binlog) and the
// sink work through accounts that the server refuses without TLS (REQUIRE SSL, REQUIRE X509).
#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include "connectors/mysql/sink/mysql_sink.h"
#include "connectors/mysql/source/mysql_cdc_source.h"
#include "operators/job.h"
#include "test/integration/mysql_source_test_support.h"
#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

using testing::ConnectOrFail;
using testing::Exec;
using testing::QueryValue;

// The directory of the certificates, beside the sandbox's data.
std::string TlsDir() {
  const char* dir = std::getenv("CDC_TEST_SANDBOX_DIR");
  REQUIRE_MESSAGE(dir != nullptr,
                  "run through test/run-integration.sh, which exports CDC_TEST_SANDBOX_DIR");
  return std::string(dir) + "/tls";
}

void Run(const std::string& command) {
  INFO(command);
  REQUIRE(std::system(command.c_str()) == 0);
}

// Makes the certificates and restarts the sandbox with TLS on, unless it already runs with
// them (the cases share one restart).
void EnsureTlsServer() {
  const std::string dir = TlsDir();
  {
    MysqlConnection check;
    ConnectOrFail(check);
    if (QueryValue(check, "SELECT @@ssl_ca") == dir + "/ca.pem") return;
  }
  const char* script = std::getenv("CDC_TEST_SANDBOX_SCRIPT");
  REQUIRE_MESSAGE(script != nullptr,
                  "run through test/run-integration.sh, which exports CDC_TEST_SANDBOX_SCRIPT");
  std::string sandbox = std::string("'") + script + "' ";
  std::string sandbox_dir = "'" + std::string(std::getenv("CDC_TEST_SANDBOX_DIR")) + "'";
  Run("bash '" CDC_TEST_INTEGRATION_DIR "/make-test-certificates.sh' '" + dir + "'");
  Run(sandbox + "stop " + sandbox_dir + " > /dev/null");
  Run("CDC_SANDBOX_TLS='" + dir + "' " + sandbox + "start " + sandbox_dir + " " +
      std::to_string(testing::SandboxOptions().port) + " > /dev/null");
}

MysqlOptions WithTls(MysqlOptions options, const std::string& mode, const std::string& ca = "") {
  options.tls_mode = mode;
  options.tls_ca = ca.empty() ? "" : TlsDir() + "/" + ca;
  return options;
}

// The cipher of a session made with `options`; fails the test if it cannot connect.
std::string CipherOf(const MysqlOptions& options) {
  MysqlConnection connection;
  Status status = connection.Connect(options);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  auto rows = connection.Query("SHOW SESSION STATUS LIKE 'Ssl_cipher'");
  REQUIRE(rows.ok());
  REQUIRE(rows->size() == 1);
  return (*rows)[0][1].value_or("");
}

// The error of connecting with `options`, which must fail.
std::string RefusalOf(const MysqlOptions& options) {
  MysqlConnection connection;
  Status status = connection.Connect(options);
  REQUIRE_FALSE(status.ok());
  return status.message();
}

// Accounts the server admits only over TLS: cdc_tls (REQUIRE SSL) and cdc_x509 (REQUIRE
// X509: a client certificate signed by the server's CA).
void CreateTlsAccounts(MysqlConnection& check) {
  for (const char* account : {"cdc_tls", "cdc_x509"}) {
    Exec(check, std::string("DROP USER IF EXISTS '") + account + "'@'127.0.0.1'");
  }
  Exec(check, "CREATE USER 'cdc_tls'@'127.0.0.1' IDENTIFIED BY 'tls' REQUIRE SSL");
  Exec(check, "CREATE USER 'cdc_x509'@'127.0.0.1' IDENTIFIED BY 'x509' REQUIRE X509");
  Exec(check, "GRANT ALL PRIVILEGES ON *.* TO 'cdc_tls'@'127.0.0.1'");
  Exec(check, "GRANT ALL PRIVILEGES ON *.* TO 'cdc_x509'@'127.0.0.1'");
}

}  // namespace

TEST_CASE("tls modes required, verify_ca and verify_identity each connect encrypted") {
  EnsureTlsServer();
  MysqlOptions plain = testing::SandboxOptions();
  CHECK(CipherOf(plain).empty());  // disabled: no TLS, though the server offers it
  CHECK_FALSE(CipherOf(WithTls(plain, "preferred")).empty());
  CHECK_FALSE(CipherOf(WithTls(plain, "required")).empty());
  CHECK_FALSE(CipherOf(WithTls(plain, "verify_ca", "ca.pem")).empty());
  // The certificate names localhost: connecting by that name passes the host name check, over
  // TCP to the sandbox's port (not to the client library's default socket for "localhost").
  MysqlOptions by_name = WithTls(plain, "verify_identity", "ca.pem");
  by_name.host = "localhost";
  CHECK_FALSE(CipherOf(by_name).empty());
  MysqlConnection connection;
  REQUIRE(connection.Connect(by_name).ok());
  CHECK(QueryValue(connection, "SELECT @@port") == std::to_string(plain.port));
  // Connector/C would check a CA given with required; the options refuse the ambiguity.
  CHECK(RefusalOf(WithTls(plain, "required", "ca.pem")) ==
        "mysql: tls_ca is set but tls_mode required does not check the server's certificate: set "
        "tls_mode to verify_ca or verify_identity, or leave tls_ca empty");
}

TEST_CASE(
    "a certificate from another CA or for another host name is refused with the cause and the "
    "fix") {
  EnsureTlsServer();
  MysqlOptions plain = testing::SandboxOptions();
  for (const char* mode : {"verify_ca", "verify_identity"}) {
    CAPTURE(mode);
    std::string refused = RefusalOf(WithTls(plain, mode, "other-ca.pem"));
    CHECK(refused.find("cdc@127.0.0.1:" + std::to_string(plain.port)) != std::string::npos);
    CHECK(refused.find("did not verify against tls.ca " + TlsDir() + "/other-ca.pem") !=
          std::string::npos);
    CHECK(refused.find("set tls.ca to the CA that issued the server's certificate") !=
          std::string::npos);
  }
  // Issued for localhost, reached as 127.0.0.1: the CA is right, the name is not.
  CHECK_FALSE(CipherOf(WithTls(plain, "verify_ca", "ca.pem")).empty());
  std::string refused = RefusalOf(WithTls(plain, "verify_identity", "ca.pem"));
  CHECK(refused.find("the server's certificate is not issued for '127.0.0.1'") !=
        std::string::npos);
  CHECK(refused.find("connect by a name its subjectAltName holds") != std::string::npos);
}

TEST_CASE("a server without TLS is refused when TLS is required, never used unencrypted") {
  EnsureTlsServer();
  MysqlOptions no_tls = testing::SecondSandboxOptions();  // started without TLS
  CHECK(CipherOf(WithTls(no_tls, "preferred")).empty());
  for (const char* mode : {"required", "verify_ca", "verify_identity"}) {
    CAPTURE(mode);
    std::string refused =
        RefusalOf(WithTls(no_tls, mode, std::string(mode) == "required" ? "" : "ca.pem"));
    CHECK(refused.find(std::to_string(no_tls.port)) != std::string::npos);
    CHECK(refused.find("enable TLS on the server (ssl_cert and ssl_key), or set tls.mode to "
                       "preferred or disabled") != std::string::npos);
  }
}

TEST_CASE("the source's snapshot and binlog sessions and the sink's all run over TLS") {
  EnsureTlsServer();
  MysqlConnection check;
  ConnectOrFail(check);
  CreateTlsAccounts(check);
  // The accounts really are refused without TLS (and cdc_x509 without a client certificate).
  MysqlOptions tls_account = testing::SandboxOptions();
  tls_account.user = "cdc_tls";
  tls_account.password = "tls";
  CHECK(RefusalOf(tls_account).find("Access denied") != std::string::npos);
  MysqlOptions x509_account = tls_account;
  x509_account.user = "cdc_x509";
  x509_account.password = "x509";
  CHECK(RefusalOf(WithTls(x509_account, "required")).find("Access denied") != std::string::npos);

  Exec(check, "DROP DATABASE IF EXISTS it_tls");
  Exec(check, "DROP DATABASE IF EXISTS it_tls_copy");
  Exec(check, "CREATE DATABASE it_tls");
  Exec(check, "CREATE TABLE it_tls.t (id INT PRIMARY KEY, v VARCHAR(20))");
  Exec(check, "INSERT INTO it_tls.t SELECT seq, CONCAT('snapshot ', seq) FROM it_tls.seq_1_to_500");

  MysqlCdcSourceOptions source;
  source.connection = WithTls(tls_account, "verify_identity", "ca.pem");
  source.connection.host = "localhost";
  source.server_id = 4290;
  source.startup = StartupMode::kInitial;
  source.include_tables = {"it_tls\\..*"};
  source.stop_at_end = true;
  source.heartbeat_ms = 200;
  MysqlSinkOptions sink;
  sink.connection = WithTls(x509_account, "verify_ca", "ca.pem");
  sink.connection.tls_cert = TlsDir() + "/client-cert.pem";
  sink.connection.tls_key = TlsDir() + "/client-key.pem";
  sink.target_database = "it_tls_copy";
  auto run = [&](const MysqlCdcSourceOptions& options) {
    Job job;
    job.AddSource("mysql", MysqlCdcSource::Factory(options))
        .KeyBy()
        .SinkTo("copy", std::make_shared<MysqlSink>(sink));
    Status status = job.Run();
    REQUIRE_MESSAGE(status.ok(), status.ToString());
    return job.metrics().rows_emitted;
  };
  CHECK(run(source) == 500);  // the snapshot
  CHECK(testing::TableText(check, "it_tls.t") == testing::TableText(check, "it_tls_copy.t"));

  // The binlog: changes after the snapshot, streamed from their position.
  std::string position = testing::MasterPosition(check);
  Exec(check, "UPDATE it_tls.t SET v = 'streamed' WHERE id % 7 = 0");
  Exec(check, "DELETE FROM it_tls.t WHERE id % 11 = 0");
  Exec(check, "INSERT INTO it_tls.t VALUES (1000, 'new')");
  source.startup = StartupMode::kSpecific;
  source.start_position = position;
  CHECK(run(source) == 71 + 45 + 1);
  CHECK(testing::TableText(check, "it_tls.t") == testing::TableText(check, "it_tls_copy.t"));
}

}  // namespace cdc
