// MysqlSink: the table-writer factory that replicates into a MySQL-compatible target.
//
// Each flush of a table is one target transaction: the batch is compacted by key (each key's
// final state once), deleted keys are removed with multi-row DELETE ... WHERE key IN (...)
// (or, with logical deletes, upserted with the flag set), and the other keys are written with
// multi-row INSERT ... ON DUPLICATE KEY UPDATE, split to fit max_allowed_packet. Replaying a
// batch leaves the same state. Tables without a key get one statement per change, not
// idempotent: their flush transaction also records the stream position applied through in the
// progress table (options.progress_table), and a resumed job passes over what it already
// applied, so they too end exact. Missing databases and tables are created from the source
// schema.
//
// A transient failure (deadlock, lock wait timeout, lost or killed connection, server
// restart) rolls back, reconnects and retries the whole batch with capped exponential backoff
// and jitter; a permanent one (a value the target rejects, a missing column) fails the flush
// with the table, the key, the server's error and the change's source position.
//
// Schema changes and truncates arrive as table barriers and are applied once, under the
// configured behaviour (schema/schema_change_behavior.h), as the target DDL that
// mysql_schema_change_sql.h describes. Each applied change is recorded in the schema history
// table (options.schema_history_table, keyed by pipeline, source position and table), so one
// replayed after a crash is not applied twice; "already exists / does not exist" errors count
// as done. When the job resumes from a checkpoint (options.resuming), the replayed changes of a
// table that precede the last schema change applied to it are passed over: its barrier wrote
// them before the change, and the changed (or renamed, or dropped) table would not take them. Under
// ignore and try_evolve the target may lack columns the source has: rows are then written to the
// columns the target has (read from information_schema).
//
// Thread-safe factory; each writer (mysql_table_writer.h) serves one table of one sink subtask
// and is given the sink as its MysqlSinkContext.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection_pool.h"
#include "connectors/mysql/sink/mysql_schema_change_sql.h"
#include "connectors/mysql/sink/mysql_sink_context.h"
#include "connectors/mysql/sink/mysql_sink_options.h"
#include "connectors/mysql/sink/mysql_sink_state.h"
#include "connectors/mysql/sink/mysql_sink_stats.h"
#include "connectors/mysql/sink/mysql_statements.h"
#include "connectors/mysql/sink/target_tables.h"
#include "operators/table_writer.h"

namespace cdc {

class MysqlSink final : public TableWriterFactory, private MysqlSinkContext {
 public:
  explicit MysqlSink(MysqlSinkOptions options);

  // Connects once to check the target is reachable and writable; call before the job runs
  // for an early, clear error (the writers would otherwise report it at their first flush).
  Status Check();

  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override;

  MysqlSinkStats stats() const;

 private:
  // MysqlSinkContext: what the writers are given.
  const MysqlSinkOptions& options() const override { return options_; }
  MysqlConnectionPool& pool() override { return pool_; }
  MysqlSinkCounters& counters() override { return counters_; }
  TableId TargetOf(const TableId& source) const override;
  StatementDialect DialectOf(const MysqlConnection& connection) override;
  std::optional<StatementDialect> KnownDialect() const override;
  Status EnsureTable(const TableSchema& schema, const TableId& target,
                     MysqlConnection& connection) override {
    return tables_.Ensure(schema, target, connection);
  }
  Status CheckUniqueKeys(const TableSchema& schema, const TableId& target,
                         MysqlConnection& connection) override {
    return tables_.CheckUniqueKeys(schema, target, connection);
  }
  Status ApplySchemaChange(const RowChange& barrier, MysqlConnection& connection,
                           bool& transient) override;
  MysqlSinkState& state() override { return state_; }
  Result<SchemaFloor> LastSchemaChange(const TableId& target) override;
  Result<SourcePosition> AppliedThrough(const TableId& target, const TableId& source) override;
  Result<TargetColumns> TargetColumnsOf(const TableId& target) override {
    return tables_.ColumnsOf(target, pool_);
  }

  // The steps of ApplySchemaChange.
  // The change as target DDL under the configured behaviour (logs the behaviour's note).
  Result<TargetSchemaSql> TranslateForTarget(const SchemaChange& change, bool mariadb) const;
  // Applies `translated` unless the schema history has it done: recorded as started, run,
  // recorded as done. `diverged` is set when try_evolve passed over a statement the target
  // rejected.
  Status ApplyUnlessDone(const RowChange& barrier, const TargetSchemaSql& translated,
                         const std::vector<TableId>& targets, MysqlConnection& connection,
                         bool& diverged);
  // Runs the translated statements (and the databases they need, and the emptied database
  // they leave); returns what was run, for the history.
  Result<std::string> RunTranslated(const RowChange& barrier, const TargetSchemaSql& translated,
                                    const TableId& target, MysqlConnection& connection,
                                    bool& diverged);

  // What `read` reads from the state tables on a pooled connection; errors carry `what`.
  template <typename T>
  Result<T> ReadState(const char* what, const std::function<Result<T>(MysqlConnection&)>& read);

  const MysqlSinkOptions options_;
  MysqlConnectionPool pool_;
  mutable std::mutex dialect_mu_;  // guards dialect_
  std::optional<StatementDialect> dialect_;
  MysqlSinkState state_;  // the schema history and progress tables
  TargetTables tables_;
  MysqlSinkCounters counters_;
};

}  // namespace cdc
