// MysqlSinkContext: what a table writer of a MySQL sink (mysql_table_writer.h) is given of its
// sink, which all the sink's writers share: the options and the connection pool, the target
// table of a source table, the target server's statement dialect, the stats counters, target
// tables created (and their unique keys checked) once, schema changes applied once, and reads
// of the sink's state tables and of the target's columns. MysqlSink implements it.
//
// Thread-safe: the writers of every table and subtask call it concurrently.
#pragma once

#include <optional>

#include "connectors/mysql/client/mysql_connection_pool.h"
#include "connectors/mysql/sink/mysql_sink_options.h"
#include "connectors/mysql/sink/mysql_sink_state.h"
#include "connectors/mysql/sink/mysql_sink_stats.h"
#include "connectors/mysql/sink/mysql_statements.h"
#include "connectors/mysql/sink/target_projection.h"
#include "schema/row_change.h"

namespace cdc {

class MysqlSinkContext {
 public:
  virtual ~MysqlSinkContext() = default;

  virtual const MysqlSinkOptions& options() const = 0;
  virtual MysqlConnectionPool& pool() = 0;
  virtual MysqlSinkCounters& counters() = 0;

  // The target table of `source`'s rows.
  virtual TableId TargetOf(const TableId& source) const = 0;
  // The statement dialect of `connection`'s server, remembered for KnownDialect().
  virtual StatementDialect DialectOf(const MysqlConnection& connection) = 0;
  // The dialect once any connection has told it; statements can then be built without one.
  virtual std::optional<StatementDialect> KnownDialect() const = 0;

  // Creates the target database and table once per target table (with auto_create).
  virtual Status EnsureTable(const TableSchema& schema, const TableId& target,
                             MysqlConnection& connection) = 0;
  // With logical deletes, once per target table: an error (InvalidArgument) when the target has
  // a unique key other than the row key, naming the key and the fix.
  virtual Status CheckUniqueKeys(const TableSchema& schema, const TableId& target,
                                 MysqlConnection& connection) = 0;
  // Applies a schema-change barrier on `connection`. `transient` is set when the failure may
  // pass on retry (a lost connection).
  virtual Status ApplySchemaChange(const RowChange& barrier, MysqlConnection& connection,
                                   bool& transient) = 0;

  // The schema history and progress tables; each call uses the connection it is given.
  virtual MysqlSinkState& state() = 0;
  // Read on a pooled connection (creating the state tables first): the latest schema change
  // recorded for `target`, and what the progress table says `target`'s changes from `source`
  // are applied through. Errors say what was being read.
  virtual Result<SchemaFloor> LastSchemaChange(const TableId& target) = 0;
  virtual Result<SourcePosition> AppliedThrough(const TableId& target, const TableId& source) = 0;

  // Under ignore / try_evolve, rows are written to the columns the target has.
  bool ProjectsRows() const {
    return options().schema_change == SchemaChangeBehavior::kIgnore ||
           options().schema_change == SchemaChangeBehavior::kTryEvolve;
  }
  // The target table's columns, read once and again after each schema change of the table;
  // null when the target does not have the table.
  virtual Result<TargetColumns> TargetColumnsOf(const TableId& target) = 0;
};

}  // namespace cdc
