// DdlDefinitionParser: reads the pieces CREATE TABLE, ALTER TABLE and CREATE INDEX share, from
// a DdlTokenCursor: column definitions (name, data type, attributes), table constraints (keys,
// foreign keys, checks), index parts and options, table options, and DEFAULT expressions.
//
// Stateless functions; each call is bound to the cursor it reads.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "schema/ddl_statement.h"
#include "schema/ddl_token_cursor.h"

namespace cdc {

// A column definition from its name up to, not including, the next ",", ")", ";", FIRST, AFTER
// or the end. An inline PRIMARY KEY or UNIQUE [KEY], and the type SERIAL (BIGINT UNSIGNED NOT
// NULL AUTO_INCREMENT UNIQUE), append their key to `inline_indexes`.
Result<ColumnDefinition> ParseColumnDefinition(DdlTokenCursor& cursor,
                                               std::vector<IndexDefinition>& inline_indexes);

// True when the cursor is at a table constraint (CONSTRAINT, PRIMARY KEY, UNIQUE, INDEX, KEY,
// FULLTEXT, SPATIAL, FOREIGN KEY, CHECK, PERIOD FOR) rather than at a column definition.
bool AtTableConstraint(const DdlTokenCursor& cursor);

struct TableConstraint {
  std::optional<IndexDefinition> index;  // empty for FOREIGN KEY, CHECK and PERIOD FOR
  bool if_not_exists = false;            // MariaDB's ADD INDEX IF NOT EXISTS i (...)
  std::string sql;                       // the constraint as written
};

// A table constraint, at AtTableConstraint().
Result<TableConstraint> ParseTableConstraint(DdlTokenCursor& cursor);

// "(part, ...)": columns with optional (prefix length) and ASC / DESC, or (expression) parts.
Result<std::vector<IndexPart>> ParseIndexParts(DdlTokenCursor& cursor);

// Index options after the parts: USING BTREE, KEY_BLOCK_SIZE=, COMMENT '', VISIBLE, ...
Status SkipIndexOptions(DdlTokenCursor& cursor);

// Table options one after another (ENGINE=, DEFAULT CHARSET=, COLLATE=, COMMENT=, and the ones
// read and dropped: AUTO_INCREMENT=, ROW_FORMAT=, ...) into `options`; `commas` allows "," between
// them (CREATE TABLE). Returns whether any was read.
Result<bool> ParseTableOptions(DdlTokenCursor& cursor, TableOptions& options, bool commas);

// `[=] value`: an option's value, a word, string, number or quoted name, read and dropped.
Status SkipOptionValue(DdlTokenCursor& cursor);

// `[=] name` of a character set or collation, canonical (schema/character_set.h).
Result<std::string> ParseCharsetName(DdlTokenCursor& cursor);
Result<std::string> ParseCollationName(DdlTokenCursor& cursor);

// A DEFAULT / ON UPDATE value: a literal, a function call, a (parenthesised expression), or
// operands joined by arithmetic operators. Returns its text.
Result<std::string> ParseDefaultValue(DdlTokenCursor& cursor);

}  // namespace cdc
