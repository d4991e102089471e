// The TableSchema a TABLE_MAP describes: names, types, signedness, collations, ENUM/SET labels
// and primary key, as binlog_row_metadata=FULL sends them. Pure function; thread-safe.
#pragma once

#include "connectors/mysql/source/binlog/table_map.h"
#include "schema/table_schema.h"

namespace cdc {

// InvalidArgument when the map lacks column names (the server must log
// binlog_row_metadata=FULL) or has a column type no row image carries.
Result<TableSchemaPtr> SchemaFromTableMap(const TableMap& map);

// True when two maps describe the same table the same way (no new schema needed).
bool SameTableMap(const TableMap& a, const TableMap& b);

}  // namespace cdc
