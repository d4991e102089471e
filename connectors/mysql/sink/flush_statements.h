// Flush statements: the SQL one flush of a table runs on the target, built from its batch,
// applied in one transaction, and, when the target rejects the batch for good, tried row by row
// to name the row it rejects. A keyed table's batch is its compacted batch (change_compactor.h,
// mysql_statements.h); a keyless table's is each change in order, then the progress row
// recording the stream position applied through (mysql_sink_state.h).
//
// Free functions; each runs on the connection it is given.
#pragma once

#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/sink/change_compactor.h"
#include "connectors/mysql/sink/mysql_array_upsert.h"
#include "connectors/mysql/sink/mysql_sink_state.h"
#include "connectors/mysql/sink/mysql_statements.h"

namespace cdc {

// Where a table's flushes go and how deletes are written there.
struct FlushTarget {
  TableId table;
  LogicalDeleteColumns logical;
};

// The statements of `changes` (one table's, not empty); `compacted` is their compacted batch
// when the table has a key, else null. Without `with_upserts` (a keyed table whose upserts go
// by array binding), the truncate and deletes only.
Result<std::vector<std::string>> BuildFlushStatements(const std::vector<RowChange>& changes,
                                                      const CompactedBatch* compacted,
                                                      const FlushTarget& target,
                                                      const StatementDialect& dialect,
                                                      const MysqlSinkState& state,
                                                      bool with_upserts = true);

// Runs `statements`, then the array upserts (when given), in one transaction; a single
// statement runs alone under autocommit.
[[nodiscard]] Status ApplyInOneTransaction(MysqlConnection& connection,
                                           const std::vector<std::string>& statements,
                                           ArrayUpsert* array_upsert);

// After a permanent failure of the batch, replays its rows one by one (in a transaction rolled
// back) as SQL text of `text_dialect`, and names the first the target rejects: "key ... at
// source position ...", else the batch.
std::string FindRejectedRow(MysqlConnection& connection, const std::vector<RowChange>& changes,
                            const CompactedBatch* compacted, const FlushTarget& target,
                            const StatementDialect& text_dialect, const MysqlSinkState& state);

}  // namespace cdc
