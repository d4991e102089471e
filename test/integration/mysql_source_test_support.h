// Driving a MysqlCdcSource in the integration tests: an output that keeps what it emits, a
// loop that polls the source to its end, and the options of a stream from a position.
#pragma once

#include <doctest/doctest.h>

#include <cstdint>
#include <set>
#include <string>
#include <thread>
#include <vector>

#include "connectors/mysql/source/mysql_cdc_source.h"
#include "runtime/executor.h"
#include "test/integration/mysql_test_env.h"

namespace cdc::testing {

// Row changes (and truncates) in `changes`; schema changes apart, in `schema_changes`.
struct SourceOutput final : Output {
  std::vector<RowChange> changes;
  std::vector<RowChange> schema_changes;
  std::set<TableSchemaPtr> schemas;  // the changes' schemas, kept alive after the source closes
  Status Emit(RowChange&& change) override {
    schemas.insert(change.table->shared_from_this());
    if (change.kind == ChangeKind::kSchemaChange) {
      schema_changes.push_back(std::move(change));
    } else {
      changes.push_back(std::move(change));
    }
    return Status::Ok();
  }
};

// Runs `source` until it ends (stop_at_end) or `stop_after` changes were emitted.
inline Status Drain(MysqlCdcSource& source, SourceOutput& out, size_t stop_after = SIZE_MAX) {
  static Executor executor(1);
  static SystemClock clock(executor);
  CDC_RETURN_IF_ERROR(source.Open(SubtaskInfo{"mysql", 0, 1}, clock));
  while (out.changes.size() < stop_after) {
    auto polled = source.PollNext(out);
    if (!polled.ok()) return polled.status();
    if (polled->state == PollResult::State::kEndOfInput) break;
    if (polled->state == PollResult::State::kWait) {
      std::this_thread::sleep_for(polled->resume_at - clock.Now());
    }
  }
  return Status::Ok();
}

// Every change from a source with `options` that ends by itself (stop_at_end); the run must
// succeed.
inline SourceOutput StreamToEnd(MysqlCdcSourceOptions options) {
  MysqlCdcSource source(std::move(options));
  SourceOutput out;
  Status status = Drain(source, out);
  REQUIRE_MESSAGE(status.ok(), status.ToString());
  return out;
}

// The server's binlog end, "file:offset".
inline std::string MasterPosition(MysqlConnection& check) {
  auto rows = check.Query("SHOW MASTER STATUS");
  REQUIRE(rows.ok());
  return *(*rows)[0][0] + ":" + *(*rows)[0][1];
}

// A stream of `database`'s tables from `start` ("file:offset" or GTIDs) to the binlog's end.
inline MysqlCdcSourceOptions StreamOptions(const std::string& database, const std::string& start) {
  MysqlCdcSourceOptions options;
  options.connection = SandboxOptions();
  options.server_id = 4242;
  options.startup = StartupMode::kSpecific;
  options.start_position = start;
  options.include_tables = {database + "\\..*"};
  options.stop_at_end = true;
  options.heartbeat_ms = 200;
  return options;
}

}  // namespace cdc::testing
