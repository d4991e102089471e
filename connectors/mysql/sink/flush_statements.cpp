#include "connectors/mysql/sink/flush_statements.h"

#include <fmt/format.h>

#include <algorithm>

#include "schema/row_key.h"

namespace cdc {

Result<std::vector<std::string>> BuildFlushStatements(const std::vector<RowChange>& changes,
                                                      const CompactedBatch* compacted,
                                                      const FlushTarget& target,
                                                      const StatementDialect& dialect,
                                                      const MysqlSinkState& state,
                                                      bool with_upserts) {
  const TableSchema& schema = *changes.front().table;
  if (!schema.has_key()) {
    auto statements = BuildKeylessStatements(schema, target.table, changes, target.logical);
    // The last stream position applied, in the same transaction (mysql_sink_options.h).
    auto last = std::find_if(changes.rbegin(), changes.rend(),
                             [](const RowChange& change) { return change.position.index > 0; });
    if (statements.ok() && last != changes.rend()) {
      statements->push_back(state.ProgressStatement(target.table, schema.id(), last->position));
    }
    return statements;
  }
  return BuildKeyedStatements(schema, target.table, *compacted, target.logical, dialect,
                              with_upserts);
}

Status ApplyInOneTransaction(MysqlConnection& connection,
                             const std::vector<std::string>& statements,
                             ArrayUpsert* array_upsert) {
  size_t arrays = array_upsert != nullptr ? array_upsert->arrays() : 0;
  // One statement is already atomic under autocommit: save the two extra round trips.
  if (statements.size() + arrays == 1) {
    return arrays == 1 ? array_upsert->Execute(connection) : connection.Execute(statements.front());
  }
  if (statements.size() + arrays == 0) return Status::Ok();
  CDC_RETURN_IF_ERROR(connection.Execute("START TRANSACTION"));
  for (const std::string& statement : statements)
    CDC_RETURN_IF_ERROR(connection.Execute(statement));
  if (arrays > 0) CDC_RETURN_IF_ERROR(array_upsert->Execute(connection));
  return connection.Execute("COMMIT");
}

std::string FindRejectedRow(MysqlConnection& connection, const std::vector<RowChange>& changes,
                            const CompactedBatch* compacted, const FlushTarget& target,
                            const StatementDialect& text_dialect, const MysqlSinkState& state) {
  const TableSchema& schema = *changes.front().table;
  if (connection.Execute("START TRANSACTION").ok()) {
    auto try_one = [&](const RowChange& change, const CompactedBatch& one) -> std::string {
      auto statements =
          schema.has_key() ? BuildFlushStatements(changes, &one, target, text_dialect, state)
                           : BuildKeylessStatements(schema, target.table, {change}, target.logical);
      if (!statements.ok()) return statements.status().message();
      for (const std::string& statement : *statements) {
        if (!connection.Execute(statement).ok()) {
          return fmt::format("key {} at source position {}", KeyToString(schema, change.image()),
                             change.position.ToString());
        }
      }
      return "";
    };
    std::string found;
    if (compacted != nullptr) {
      for (const CompactedRow& row : compacted->deletes) {
        if (!(found = try_one(*row.change, CompactedBatch{{row}, {}, 1})).empty()) break;
      }
      for (const CompactedRow& row : compacted->upserts) {
        if (!found.empty()) break;
        found = try_one(*row.change, CompactedBatch{{}, {row}, 1});
      }
    } else {
      for (const RowChange& change : changes) {
        if (!(found = try_one(change, CompactedBatch{})).empty()) break;
      }
    }
    (void)connection.Execute("ROLLBACK");
    if (!found.empty()) return found;
  }
  const RowChange& first = changes.front();
  return fmt::format("a batch of {} changes from source position {}", changes.size(),
                     first.position.ToString());
}

}  // namespace cdc
