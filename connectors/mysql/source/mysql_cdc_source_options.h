// MysqlCdcSourceOptions: how a MysqlCdcSource connects, which tables it captures, where it
// starts and how it follows the binlog. A value type: thread-compatible.
//
// Startup modes (as Flink CDC's scan.startup.mode):
//   initial    snapshot the tables, then stream the binlog from where each table's snapshot
//              stood (the default)
//   snapshot   snapshot the tables and stop
//   latest     stream from the server's current binlog end
//   earliest   stream from the oldest binlog the server still has
//   specific   stream from `start_position`: "mysql-bin.000003:4" or MariaDB GTIDs "0-1-42"
//   timestamp  stream from the oldest binlog, passing over rows logged before the timestamp
// `resume_state` (a SnapshotState() of an earlier run) overrides the mode: the run continues
// exactly there, mid-snapshot or mid-stream.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/client/mysql_options.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "runtime/status.h"

namespace cdc {

enum class StartupMode : uint8_t { kInitial, kSnapshot, kLatest, kEarliest, kSpecific, kTimestamp };

// "initial", "snapshot", "latest", "earliest", "specific", "timestamp".
Result<StartupMode> ParseStartupMode(std::string_view text);

struct MysqlCdcSourceOptions {
  MysqlOptions connection;
  uint32_t server_id = 0;  // unique among the server's replicas; required for streaming
  StartupMode startup = StartupMode::kInitial;
  std::string start_position;               // specific: "file:offset" or MariaDB GTIDs
  int64_t start_timestamp_ms = 0;           // timestamp: Unix milliseconds
  std::vector<std::string> include_tables;  // regexes over "database.table"; empty: all
  std::vector<std::string> exclude_tables;
  SnapshotOptions snapshot;
  uint32_t heartbeat_ms = 500;  // an idle stream still delivers within about this
  // Stop once the binlog's current end is reached (catch-up runs, tests) instead of waiting.
  bool stop_at_end = false;
  uint32_t reconnect_attempts = 20;     // consecutive failures before the job fails
  uint32_t reconnect_backoff_ms = 200;  // doubled per attempt, at most 5 s
  std::string resume_state;
  // A DDL statement the parser cannot read that names a captured table stops the job (with the
  // statement and its position); with this set it is passed over with a warning instead, and
  // the table's next table map is trusted if its columns changed.
  bool skip_unparseable_ddl = false;
  size_t events_per_poll = 512;
};

}  // namespace cdc
