// The sandboxed MariaDB that test/run-integration.sh starts for the integration suite, read
// from the environment it exports. Missing variables fail the test with the fix: integration
// tests never skip.
#pragma once

#include <doctest/doctest.h>

#include <cstdlib>
#include <string>

#include <future>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/sink/mysql_sink.h"
#include "runtime/executor.h"

namespace cdc::testing {

inline MysqlOptions SandboxOptions() {
  const char* port = std::getenv("CDC_TEST_MYSQL_PORT");
  if (port == nullptr) {
    FAIL(
        "CDC_TEST_MYSQL_PORT is not set: run the integration tests through "
        "test/run-integration.sh (meson test --suite integration does)");
  }
  MysqlOptions options;
  options.host =
      std::getenv("CDC_TEST_MYSQL_HOST") ? std::getenv("CDC_TEST_MYSQL_HOST") : "127.0.0.1";
  options.port = static_cast<uint16_t>(std::stoi(port));
  options.user = std::getenv("CDC_TEST_MYSQL_USER") ? std::getenv("CDC_TEST_MYSQL_USER") : "cdc";
  options.password =
      std::getenv("CDC_TEST_MYSQL_PASSWORD") ? std::getenv("CDC_TEST_MYSQL_PASSWORD") : "cdc";
  return options;
}

// The second sandbox (CDC_SANDBOXES=2), for tests that need two servers.
inline MysqlOptions SecondSandboxOptions() {
  const char* port = std::getenv("CDC_TEST_TARGET_PORT");
  if (port == nullptr) {
    FAIL(
        "CDC_TEST_TARGET_PORT is not set: run the integration tests through "
        "CDC_SANDBOXES=2 test/run-integration.sh (meson test --suite integration does)");
  }
  MysqlOptions options = SandboxOptions();
  options.port = static_cast<uint16_t>(std::stoi(port));
  return options;
}

// A connection for the test's own checks; fails the test if it cannot connect.
inline void ConnectOrFail(MysqlConnection& connection) {
  Status status = connection.Connect(SandboxOptions());
  REQUIRE_MESSAGE(status.ok(), status.ToString());
}

// Runs `sql` on `connection`, failing the test with the server's message on error.
inline void Exec(MysqlConnection& connection, const std::string& sql) {
  Status status = connection.Execute(sql);
  REQUIRE_MESSAGE(status.ok(), (status.ToString() + " in: " + sql));
}

// The single value of a one-row, one-column query ("NULL" for NULL).
inline std::string QueryValue(MysqlConnection& connection, const std::string& sql) {
  auto rows = connection.Query(sql);
  REQUIRE_MESSAGE(rows.ok(), (rows.status().ToString() + " in: " + sql));
  REQUIRE_MESSAGE(rows->size() == 1, sql);
  return (*rows)[0][0] ? *(*rows)[0][0] : "NULL";
}

// Every row of `table` ("db.t") as text, ordered by the first column, to compare tables.
inline std::string TableText(MysqlConnection& check, const std::string& table) {
  auto rows = check.Query("SELECT * FROM " + table + " ORDER BY 1");
  REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
  std::string text;
  for (const auto& row : *rows) {
    for (const auto& cell : row) text += (cell ? *cell : "NULL") + "|";
    text += "\n";
  }
  return text;
}

// Writes `changes` of one table through `sink` as one flush.
inline Status WriteThroughSink(MysqlSink& sink, const TableSchemaPtr& schema,
                               std::vector<RowChange> changes) {
  static Executor executor(1);
  static SystemClock clock(executor);
  auto writer = sink.CreateWriter(TableWriterContext{schema->id(), schema, 0, 1, &clock, nullptr});
  if (!writer.ok()) return writer.status();
  std::promise<Status> result;
  (*writer)->Write(FlushBatch{schema->id(), 0, std::move(changes)},
                   [&](Status status) { result.set_value(std::move(status)); });
  return result.get_future().get();
}

// Writes `changes` of one table through a default MySQL sink in one batch.
inline Status WriteThroughSink(const TableSchemaPtr& schema, std::vector<RowChange> changes) {
  MysqlSinkOptions options;
  options.connection = SandboxOptions();
  MysqlSink sink(options);
  return WriteThroughSink(sink, schema, std::move(changes));
}

}  // namespace cdc::testing
