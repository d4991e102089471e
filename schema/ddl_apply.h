// DdlApply: the table schemas CREATE TABLE and ALTER TABLE statements (schema/ddl_statement.h)
// make, following MySQL / MariaDB semantics:
// - a text, ENUM or SET column without its own CHARACTER SET / COLLATE takes the table's default
//   collation (under the BINARY attribute, that character set's _bin collation); CHARACTER SET
//   without COLLATE takes the character set's default collation (schema/character_set.h);
// - TEXT(n) and BLOB(n) are the smallest type that holds n characters / bytes; character types
//   of the binary character set are BINARY, VARBINARY and BLOB types;
// - primary key columns are NOT NULL; an unnamed index is named after its first column
//   (then _2, _3, ... when that name is taken);
// - columns keep their DEFAULT (DEFAULT NULL is no default), ON UPDATE and COMMENT; generated
//   columns have no default; the table keeps its COMMENT;
// - ALTER clauses apply in order: FIRST / AFTER place columns; a dropped column leaves every
//   index, and an index left without columns is dropped; CHANGE and RENAME COLUMN rename inside
//   indexes; MODIFY and CHANGE redefine the whole column (a DEFAULT or COMMENT they omit is
//   gone); ALTER COLUMN SET / DROP DEFAULT change the default; CONVERT TO CHARACTER SET gives
//   every text column the new collation, growing TEXT types (and VARCHARs past 65535 bytes) to
//   keep their length in characters; COMMENT= replaces the comment; RENAME TO changes the id.
// - Every index is kept (primary, unique, plain, FULLTEXT, SPATIAL, with prefix lengths and
//   order), except one with an expression part (MySQL 8's functional key parts): no set of
//   columns describes it, so only its name is remembered.
// Errors are InvalidArgument naming the table and the column or key (a missing column without
// IF EXISTS, a duplicate column without IF NOT EXISTS, a second primary key, ...).
//
// Stateless functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "runtime/status.h"
#include "schema/column_schema.h"
#include "schema/ddl_statement.h"
#include "schema/table_schema.h"

namespace cdc {

// The column `definition` makes in a table whose default collation is
// `table_default_collation`. InvalidArgument when the column needs a collation and neither the
// definition nor `table_default_collation` gives one.
Result<ColumnSchema> ResolveColumn(const ColumnDefinition& definition,
                                   std::string_view table_default_collation);

// The default collation of a table created with `options` in a database whose default collation
// is `database_default_collation`: COLLATE=, else DEFAULT CHARSET='s default, else the database's.
Result<std::string> TableDefaultCollation(const TableOptions& options,
                                          std::string_view database_default_collation);

// The table's default collation after `alter` (DEFAULT CHARSET=, COLLATE=, CONVERT TO), given
// the one before. CHARSET DEFAULT and CONVERT TO CHARACTER SET DEFAULT (the database's default,
// which is not known here) keep `before`.
Result<std::string> TableDefaultCollationAfter(const AlterTable& alter, std::string_view before);

// The schema `create` makes, in a database whose default collation is `default_collation`.
Result<TableSchemaPtr> SchemaFromCreateTable(const CreateTable& create,
                                             std::string_view default_collation);

// The schema `alter` makes of `before`, a table whose default collation (before the statement)
// is `table_default_collation`. Columns added or redefined take the default as the statement
// leaves it.
Result<TableSchemaPtr> ApplyAlterTable(const TableSchema& before, const AlterTable& alter,
                                       std::string_view table_default_collation);

// `schema` under another name: what CREATE TABLE ... LIKE and RENAME TABLE make.
Result<TableSchemaPtr> RenamedSchema(const TableSchema& schema, TableId id);

}  // namespace cdc
