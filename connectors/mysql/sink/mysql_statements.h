// The SQL the MySQL sink sends for one flush of one table: multi-row upserts
// (INSERT ... ON DUPLICATE KEY UPDATE, with VALUES(col) for MariaDB and MySQL before 8.0.20,
// a row alias for MySQL 8.0.20+), multi-row deletes by key, logical deletes as upserts with
// the flag set, and for keyless tables one statement per change. Statements are split so none
// exceeds the byte limit (the server's max_allowed_packet). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "connectors/mysql/sink/change_compactor.h"
#include "connectors/mysql/sink/mysql_sink_options.h"
#include "runtime/status.h"

namespace cdc {

struct StatementDialect {
  bool row_alias = false;  // MySQL 8.0.20+: "VALUES (...) AS new ... col = new.col"
  size_t max_statement_bytes = 4 << 20;
  // MariaDB: upserts may go by array binding (mysql_array_upsert.h) instead of as text.
  bool array_binding = false;
};

// Tables with a unique key besides the row key: an upsert can match another row by that key
// (ON DUPLICATE KEY UPDATE fires on any unique key) when two rows trade unique values within a
// batch. For them every key the batch touches is deleted first, then the final rows inserted:
// with all of a table's changes in one subtask (key-by routes such tables by table), the rows
// outside the batch already hold their final values, so the inserts cannot collide.

struct LogicalDeleteColumns {
  bool enabled = false;
  std::string flag_column;
  std::string time_column;  // may be empty
};

// The logical-delete columns of `source`'s rows under `options`.
inline LogicalDeleteColumns LogicalDeleteColumnsFor(const LogicalDeleteOptions& options,
                                                    const TableId& source) {
  return LogicalDeleteColumns{options.EnabledFor(source), options.flag_column, options.time_column};
}

// Statements for a compacted batch of a keyed table: deletes (or logical-delete upserts, whose
// deletion time is the deleting change's commit time) first, then upserts. Without
// `with_upserts`, the deletes only (the truncate and DELETEs); the caller writes the upserts,
// logical deletes included, another way.
Result<std::vector<std::string>> BuildKeyedStatements(
    const TableSchema& schema, const TableId& target, const CompactedBatch& batch,
    const LogicalDeleteColumns& logical, const StatementDialect& dialect, bool with_upserts = true);

// The upsert of one row with a ? for each column (then the flag and time columns under logical
// deletes): "INSERT INTO t (...) VALUES (?, ...) ON DUPLICATE KEY UPDATE ...".
std::string BuildUpsertTemplate(const TableSchema& schema, const TableId& target,
                                const LogicalDeleteColumns& logical,
                                const StatementDialect& dialect);

// One statement per change, in order, for a table without a key: INSERT, and UPDATE / DELETE
// of exactly one row matching the full before-image (LIMIT 1). Not idempotent: a replayed
// insert adds a second copy.
Result<std::vector<std::string>> BuildKeylessStatements(const TableSchema& schema,
                                                        const TableId& target,
                                                        const std::vector<RowChange>& changes,
                                                        const LogicalDeleteColumns& logical);

}  // namespace cdc
