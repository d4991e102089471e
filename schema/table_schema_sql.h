// A TableSchema written as MySQL DDL: column definitions with the native type, character set,
// collation and nullability, and the CREATE TABLE statement of the whole schema, which ParseDdl
// and SchemaFromCreateTable (schema/ddl_parser.h, schema/ddl_apply.h) read back as the same
// schema. The schema catalog saves itself with checkpoints this way; the MySQL sink builds its
// target DDL from the column definitions.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "schema/table_schema.h"

namespace cdc {

// "`name` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL": `nullable`
// overrides the column's own nullability.
std::string ColumnDefinitionSql(const ColumnSchema& column, bool nullable);

// "CREATE TABLE `db`.`t` (...columns..., PRIMARY KEY (...), UNIQUE KEY `u` (...)) DEFAULT
// CHARSET=cs COLLATE=collation" on one line; `default_collation` may be empty (no table option).
std::string CreateTableStatement(const TableSchema& schema, std::string_view default_collation);

}  // namespace cdc
