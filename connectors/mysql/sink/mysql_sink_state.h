// MysqlSinkState: the two small tables the MySQL sink keeps on the target so that a job
// resumed from a checkpoint applies nothing twice.
//
//   schema history (default cdc_state.schema_history): one row per schema change and target
//     table it names, keyed by pipeline, table, binlog file and offset and kind, with the
//     statements run and the source's statement. The row is written as started before the
//     target DDL runs (DDL commits on its own, so the two cannot be one transaction) and marked
//     done after it. A replayed change found done is passed over; one found started (the sink
//     stopped in between) is applied again. A table's latest row, started or done, bounds the
//     replayed rows written before it: its barrier wrote them before the DDL began.
//   progress (default cdc_state.progress): per pipeline, target table and source table, the
//     stream position (file, offset, row of the event) that the last flush of a table without a
//     key applied through; written in that flush's transaction.
//   created databases (created_databases beside the schema history): the target databases the
//     sink created, so that a DROP DATABASE on the source drops only those, once empty.
//
// Created on first use. Thread-safe; each call uses the connection it is given.
#pragma once

#include <mutex>
#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "schema/row_change.h"
#include "schema/schema_change.h"

namespace cdc {

// How far a schema change got on the target, by the history.
enum class SchemaChangeProgress { kNone, kStarted, kDone };

// The latest schema change recorded for a target table: where it was, and the source's GTID
// state after it ("" when the source had none).
struct SchemaFloor {
  SourcePosition position;
  std::string source_gtids;
};

class MysqlSinkState {
 public:
  MysqlSinkState(std::string history_table, std::string progress_table, std::string pipeline)
      : history_table_(std::move(history_table)),
        progress_table_(std::move(progress_table)),
        pipeline_(std::move(pipeline)) {}

  // Creates both tables (and their databases) once. InvalidArgument for a name that is not
  // "database.table".
  Status Ensure(MysqlConnection& connection);

  // How far the change of `kind` at `position` got for `target`.
  Result<SchemaChangeProgress> SchemaChangeState(MysqlConnection& connection, const TableId& target,
                                                 const SourcePosition& position,
                                                 SchemaChangeKind kind);
  // Records it for each of `targets` as started (`done` false: before its DDL runs) or done,
  // with the statements run, the source's statement and the source's GTID state after it.
  Status RecordSchemaChange(MysqlConnection& connection, const std::vector<TableId>& targets,
                            const SourcePosition& position, SchemaChangeKind kind, bool done,
                            const std::string& statements, const std::string& source_statement,
                            const std::string& source_gtids);
  // The latest schema change recorded for `target`, started or done (an empty file when
  // none).
  Result<SchemaFloor> LastSchemaChange(MysqlConnection& connection, const TableId& target);

  // The statement that records, inside a flush's transaction, that `target`'s changes from
  // `source` are applied through `position`.
  std::string ProgressStatement(const TableId& target, const TableId& source,
                                const SourcePosition& position) const;
  // What the last such statement recorded (empty file when none).
  Result<SourcePosition> AppliedThrough(MysqlConnection& connection, const TableId& target,
                                        const TableId& source);

  // Creates `database` on the target unless it exists, and records it when this call created
  // it. Returns whether it did.
  Result<bool> CreateDatabase(MysqlConnection& connection, const std::string& database);
  // Drops `database` if the sink created it (CreateDatabase recorded it) and it holds no table,
  // view, routine or event. Returns whether it did.
  Result<bool> DropDatabaseIfCreatedAndEmpty(MysqlConnection& connection,
                                             const std::string& database);

  const std::string& history_table() const { return history_table_; }

 private:
  std::string Where(const TableId& target) const;  // " WHERE pipeline = ... AND target_table = ..."
  std::string CreatedDatabasesTable() const;       // "`cdc_state`.`created_databases`"

  const std::string history_table_;
  const std::string progress_table_;
  const std::string pipeline_;
  std::mutex mu_;  // guards ready_
  bool ready_ = false;
};

}  // namespace cdc
