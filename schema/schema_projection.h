// Schema projection: a table's schema cut down to some of its columns, and rows cut the same
// way. Used by transform projections and by the MySQL sink when the target has fewer columns
// than the source (schema changes ignored or rejected). Pure functions; thread-safe.
#pragma once

#include <string>
#include <vector>

#include "runtime/status.h"
#include "schema/row_change.h"
#include "schema/table_schema.h"

namespace cdc {

// The projected schema of `source`: the columns at `positions`, in that order (distinct), the
// indexes whose columns are all kept, renumbered, and the table's attributes. The row key must be
// kept whole: InvalidArgument, prefixed with `context`, naming the key column dropped.
Result<TableSchemaPtr> ProjectSchema(const TableSchema& source,
                                     const std::vector<size_t>& positions,
                                     const std::string& context);

// `row` cut to `positions` (distinct, each < row.size()).
Row Project(Row&& row, const std::vector<size_t>& positions);

}  // namespace cdc
