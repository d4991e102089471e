// ParseDdl: what a MySQL / MariaDB statement, as the binlog's QUERY events carry it, does to
// databases and table schemas (schema/ddl_statement.h).
//
// Schema changes are CREATE [OR REPLACE] [TEMPORARY] TABLE (with LIKE), ALTER [ONLINE] [IGNORE]
// TABLE, CREATE [UNIQUE|FULLTEXT|SPATIAL] INDEX and DROP INDEX ... ON (as ALTER TABLE), RENAME
// TABLE, DROP [TEMPORARY] TABLE, TRUNCATE [TABLE], CREATE / ALTER / DROP DATABASE | SCHEMA. Any
// other statement (DML, GRANT, CREATE VIEW / TRIGGER / PROCEDURE / FUNCTION / EVENT / USER /
// SEQUENCE, SET, FLUSH, ANALYZE, ...) is NotSchemaChange, even when it would not parse.
//
// Decisions:
// - CREATE TABLE ... SELECT (and ... AS SELECT, ... IGNORE|REPLACE SELECT) is UnsupportedDdl:
//   the columns come from the query, which the text does not tell. In ROW binlogs the server
//   logs such a statement as a plain CREATE TABLE with the resulting columns, so this is rare.
// - MariaDB's JSON is LONGTEXT with a json_valid() check; both spellings of a JSON column
//   declared as JSON are ColumnType::kJson. A column declared LONGTEXT ... CHECK (json_valid())
//   stays kLongText, as SHOW CREATE TABLE writes it.
// - MariaDB's UUID and INET6 are BINARY(16), INET4 BINARY(4), with ColumnSchema::fixed_binary
//   naming the type: the values the binlog's rows carry are those bytes.
// - Strings are read with backslash escapes (the default sql_mode); double-quoted text where a
//   name is expected is read as a name (ANSI_QUOTES), since the server rejects it otherwise.
// - The content of executable comments is always read, whatever version they name.
// - A TIMESTAMP column is nullable unless declared NOT NULL (explicit_defaults_for_timestamp=ON,
//   the default of MariaDB 10.10+ and MySQL 8).
// - Not read: MariaDB's VECTOR type; the implicit row_start / row_end columns of a table made
//   WITH SYSTEM VERSIONING without declaring them (declared ones are ordinary columns).
//
// Thread-safe (no shared state).
#pragma once

#include <string_view>

#include "runtime/status.h"
#include "schema/ddl_statement.h"

namespace cdc {

// Parses one statement; a trailing ";" is allowed. Unqualified table names take
// `current_database` (the QUERY event's database). InvalidArgument for a schema change that
// cannot be parsed: the message quotes the statement (cut to 200 bytes) and names the byte
// offset and the token where parsing stopped, and what was expected there.
Result<DdlStatement> ParseDdl(std::string_view sql, std::string_view current_database);

}  // namespace cdc
