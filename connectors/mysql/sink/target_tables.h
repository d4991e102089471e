// TargetTables: what a MySQL sink knows of its target tables, shared by its writers: which it
// has created (with auto_create, the database and table from the source schema, once per
// target table), which passed the unique-key check of logical deletes (once per target table),
// and, under ignore / try_evolve, which columns they have. A schema change of a table makes
// what is known of it stale: Forget it, and read its columns again.
//
// Thread-safe; each call uses the connection (or pool) it is given.
#pragma once

#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "connectors/mysql/client/mysql_connection_pool.h"
#include "connectors/mysql/sink/mysql_sink_options.h"
#include "connectors/mysql/sink/mysql_sink_state.h"
#include "connectors/mysql/sink/target_projection.h"

namespace cdc {

class TargetTables {
 public:
  // `options` and `state` outlive this.
  TargetTables(const MysqlSinkOptions& options, MysqlSinkState& state)
      : options_(options), state_(state) {}

  // Creates the target database and table once per target table (with auto_create).
  [[nodiscard]] Status Ensure(const TableSchema& schema, const TableId& target,
                              MysqlConnection& connection);
  // With logical deletes, once per target table: an error (InvalidArgument) when the target has
  // a unique key other than the row key (a deleted row would be overwritten by a live one
  // reusing its unique value; see mysql_table_ddl.h), naming the key and the fix.
  [[nodiscard]] Status CheckUniqueKeys(const TableSchema& schema, const TableId& target,
                                       MysqlConnection& connection);
  // The tables may be gone, renamed or redefined: they are checked again at their next rows.
  void Forget(const std::vector<TableId>& targets);

  // The target table's columns, read on a connection of `pool` the first time (and until the
  // table exists); null when the target does not have the table.
  Result<TargetColumns> ColumnsOf(const TableId& target, MysqlConnectionPool& pool);
  // Reads the columns of `targets` again, after a schema change.
  [[nodiscard]] Status ReadColumnsAgain(const std::vector<TableId>& targets,
                                        MysqlConnection& connection);

 private:
  static Result<TargetColumns> ReadColumns(const TableId& target, MysqlConnection& connection);

  const MysqlSinkOptions& options_;
  MysqlSinkState& state_;
  std::mutex created_mu_;  // guards created_ and unique_checked_
  std::set<TableId> created_;
  std::set<TableId> unique_checked_;
  std::mutex columns_mu_;  // guards columns_
  std::map<TableId, TargetColumns> columns_;
};

}  // namespace cdc
