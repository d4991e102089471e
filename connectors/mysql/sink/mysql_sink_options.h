// MysqlSinkOptions: how the MySQL sink writes: the target server, connections, target
// database, automatic table creation, logical deletes, statement size and retries.
// Immutable value type.
#pragma once

#include <cstdint>
#include <map>
#include <string>

#include "connectors/mysql/client/mysql_options.h"
#include "schema/schema_change_behavior.h"
#include "schema/table_id.h"

namespace cdc {

struct LogicalDeleteOptions {
  bool enabled = false;                     // the default for every table
  std::map<std::string, bool> per_table;    // "db.table" -> on/off, overriding `enabled`
  std::string flag_column = "_is_deleted";  // TINYINT(1) NOT NULL DEFAULT 0
  std::string time_column;                  // DATETIME(6) NULL set at deletion; empty: none

  bool EnabledFor(const TableId& table) const {
    auto it = per_table.find(table.ToString());
    return it != per_table.end() ? it->second : enabled;
  }
};

struct MysqlRetryPolicy {
  uint32_t max_attempts = 10;  // a transient failure is retried until this many attempts
  uint32_t initial_backoff_ms = 100;
  uint32_t max_backoff_ms = 10'000;  // backoff doubles up to this, with +-25% jitter
};

struct MysqlSinkOptions {
  MysqlOptions connection;
  size_t max_connections = 8;   // concurrent flushes share this many connections
  std::string target_database;  // empty: each table goes to its source database
  bool auto_create = true;      // create missing databases and tables from the source schema
  LogicalDeleteOptions logical_delete;
  size_t max_statement_bytes = 0;  // 0: the server's max_allowed_packet less 1 KiB
  // false: the sink's sessions run SET sql_log_bin = 0, so the target does not binlog what the
  // pipeline writes (as a native replica with log_slave_updates off; it also keeps a pipeline
  // in the other direction from reading these writes back). Needs BINLOG ADMIN (MariaDB
  // 10.5.2+) or SUPER. Replicas of the target then do not see the pipeline's writes.
  bool write_binlog = true;
  // MariaDB targets: a keyed table's upserts go as one prepared statement with arrays of
  // values (mysql_array_upsert.h), which the server does not parse per row. false: always
  // multi-row SQL text. MySQL servers have no array binding and always get text.
  bool array_binding = true;
  MysqlRetryPolicy retry;
  // What schema changes and truncates do to the target (schema/schema_change_behavior.h).
  SchemaChangeBehavior schema_change = SchemaChangeBehavior::kEvolve;
  // "database.table" on the target where each applied schema change is recorded, so a
  // replayed change is not applied twice; created when first needed.
  std::string schema_history_table = "cdc_state.schema_history";
  std::string pipeline_name = "cdc";  // recorded with each change: pipelines may share a target
  // "database.table" on the target where each flush of a table without a key records, in the
  // same transaction, the source position it applied through; a resumed job passes over what
  // it already applied, so such tables end exact (their changes are not idempotent).
  std::string progress_table = "cdc_state.progress";
  // The job resumes from a checkpoint, so changes before the last schema change of a table may
  // be replayed (see mysql_sink.h). Set by whoever restores the checkpoint.
  bool resuming = false;
};

}  // namespace cdc
