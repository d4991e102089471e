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


std::string CreateTableSql(const TableSchema& schema, const TableId& target,
                           const LogicalDeleteColumns& logical);

}  // namespace cdc
