// DdlAlterParser: reads the clauses of an ALTER TABLE statement after the table name: ADD /
// DROP / MODIFY / CHANGE / RENAME / ALTER [COLUMN], keys and constraints, RENAME TO, CONVERT
// TO CHARACTER SET, table options, ALGORITHM= / LOCK= / FORCE / ORDER BY and the other
// schema-neutral clauses, and the partition maintenance that may end the statement.
//
// Stateless function; each call is bound to the cursor it reads.
#pragma once

#include <string_view>
#include <vector>

#include "runtime/status.h"
#include "schema/ddl_statement.h"
#include "schema/ddl_token_cursor.h"

namespace cdc {

// Appends the comma-separated clauses at the cursor to `clauses`, stopping before ";" or the
// end. Partition maintenance (PARTITION BY, DROP PARTITION p1, p2, ...) becomes one
// NeutralAlterClause. RENAME TO's unqualified name takes `current_database`.
Status ParseAlterClauses(DdlTokenCursor& cursor, std::string_view current_database,
                         std::vector<AlterClause>& clauses);

}  // namespace cdc
