// A TableSchema written as MySQL DDL: column definitions with the native type, character set,
// collation, nullability, DEFAULT, ON UPDATE and COMMENT; index definitions with their kind,
// prefix lengths and order; the table options (default character set and collation, comment);
// and the CREATE TABLE statement of the whole schema, which ParseDdl and SchemaFromCreateTable
// (schema/ddl_parser.h, schema/ddl_apply.h) read back as the same schema. The schema catalog
// saves itself with checkpoints this way; the MySQL sink builds its target DDL from the pieces.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "schema/table_schema.h"

namespace cdc {

// `text` as a SQL string literal in single quotes: quote, backslash, NUL, newline, carriage
// return and Ctrl-Z escaped with backslashes (the default sql_mode reads them back).
std::string QuoteString(std::string_view text);

// "`name` varchar(64) CHARACTER SET utf8mb4 COLLATE utf8mb4_bin NOT NULL DEFAULT 'x' COMMENT
// 'c'": `nullable` overrides the column's own nullability (a NOT NULL column made nullable
// keeps its default).
std::string ColumnDefinitionSql(const ColumnSchema& column, bool nullable);

// "PRIMARY KEY (`id`)", "UNIQUE KEY `u` (`a`(10),`b` DESC)", "KEY `k` (...)", "FULLTEXT KEY
// `f` (...)", "SPATIAL KEY `g` (...)": `index` of `schema` declared as `kind` (its own kind,
// or kPlain for a unique key a target keeps as a plain index).
std::string IndexDefinitionSql(const TableSchema& schema, const IndexSchema& index, IndexKind kind);

// " DEFAULT CHARSET=cs COLLATE=collation COMMENT='c'": the table options the schema has (none
// of them when it has neither a default collation nor a comment).
std::string TableOptionsSql(const TableSchema& schema);

// "CREATE TABLE `db`.`t` (...columns..., ...indexes...) DEFAULT CHARSET=cs COLLATE=collation
// COMMENT='c'" on one line.
std::string CreateTableStatement(const TableSchema& schema);

}  // namespace cdc
