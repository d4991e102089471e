// DDL the MySQL sink runs to create a missing target: CREATE DATABASE and CREATE TABLE from
// the source's TableSchema with native column types, character sets and collations,
// nullability, the primary key and unique keys, plus the logical-delete columns. Both are
// IF NOT EXISTS, so running them again is harmless. Pure functions; thread-safe.
#pragma once

#include <string>

#include "connectors/mysql/mysql_statements.h"
#include "schema/table_schema.h"
#include "schema/table_schema_sql.h"

namespace cdc {

std::string CreateDatabaseSql(const std::string& database);

// With logical deletes, a unique key other than the row key is created as a plain index:
// a deleted row keeps its values, which a live row may take again, and an upsert meeting the
// deleted row's unique value would overwrite it (ON DUPLICATE KEY UPDATE fires on any unique
// key). See LogicalDeleteKeepsUnique.
std::string CreateTableSql(const TableSchema& schema, const TableId& target,
                           const LogicalDeleteColumns& logical);

// Whether a unique key over `columns` (names) stays unique on a target with logical deletes:
// only when it is the row key (a table without a primary key keys rows by it).
bool LogicalDeleteKeepsUnique(const TableSchema& schema, const std::vector<std::string>& columns);

}  // namespace cdc
