// DdlStatement: what one MySQL / MariaDB statement does to databases and table schemas, as
// ParseDdl (schema/ddl_parser.h) reads it from the text of a binlog QUERY event. A statement is
// one of the alternatives below; NotSchemaChange covers everything that leaves table schemas
// alone (DML, GRANT, views, routines, SET, ...). Applying a statement to a TableSchema is
// schema/ddl_apply.h's job.
//
// Names are as written (identifiers unquoted, case kept); tables are always qualified, an
// unqualified name taking the session's current database. SQL fragments kept for replay on a
// target (`sql`, `type_sql`, `default_value`, ...) are the statement's own tokens, joined by one
// space wherever the statement had white space or a comment between them.
//
// Plain value types: immutable once parsed, safe to share between threads.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include "schema/column_schema.h"
#include "schema/table_id.h"
#include "schema/table_schema.h"  // IndexKind

namespace cdc {

// Where ADD / MODIFY / CHANGE COLUMN puts the column.
enum class ColumnPlacement : uint8_t {
  kDefault,  // ADD: after the last column; MODIFY / CHANGE: where it was
  kFirst,
  kAfter,  // after ColumnPosition::after
};

struct ColumnPosition {
  ColumnPlacement placement = ColumnPlacement::kDefault;
  std::string after;  // the column's predecessor when kAfter
  friend bool operator==(const ColumnPosition&, const ColumnPosition&) = default;
};

enum class GeneratedColumnStorage : uint8_t { kNone, kVirtual, kStored };

// One column as a CREATE / ALTER TABLE defines it.
struct ColumnDefinition {
  // Name, type, length / precision / scale / fsp, signedness, ENUM/SET labels and nullability as
  // declared. `column.collation` is set when the definition itself decides it (COLLATE, CHARACTER
  // SET, NATIONAL) and empty when the column takes its table's default; ResolveColumn
  // (ddl_apply.h) turns a definition into the column the server makes of it.
  ColumnSchema column;
  std::string charset;            // CHARACTER SET as written, canonical; empty when absent
  bool binary_collation = false;  // the BINARY attribute: the _bin collation of the charset
  uint32_t text_length = 0;       // TEXT(n) / BLOB(n): n as declared; 0 when not declared
  std::optional<std::string>
      default_value;                     // "0", "'a'", "NULL", "current_timestamp(6)", "(uuid())"
  std::optional<std::string> on_update;  // ON UPDATE expression
  bool auto_increment = false;
  std::optional<std::string> generated_as;  // AS (expr): "(`a` + 1)", parentheses kept
  GeneratedColumnStorage generated_storage = GeneratedColumnStorage::kNone;
  bool invisible = false;
  std::optional<std::string> comment;
  std::string type_sql;  // the type as written: "int(11) unsigned", "serial", "uuid"
  std::string sql;       // the whole definition as written, name first: "`a` int NOT NULL"
  friend bool operator==(const ColumnDefinition&, const ColumnDefinition&) = default;
};

// One part of an index: a column with an optional prefix length, or an expression (MySQL 8's
// functional key parts), with its order.
struct IndexPart {
  std::string column;  // empty for an expression part
  uint32_t prefix_length = 0;
  bool descending = false;
  std::string expression;  // "(lower(`email`))" for an expression part
  friend bool operator==(const IndexPart&, const IndexPart&) = default;
};

struct IndexDefinition {
  IndexKind kind = IndexKind::kPlain;
  std::string name;  // "PRIMARY" for the primary key; empty when the statement names none
  std::vector<IndexPart> parts;
  friend bool operator==(const IndexDefinition&, const IndexDefinition&) = default;
};

// Table options that matter for schemas; the others (ROW_FORMAT, AUTO_INCREMENT, ...) are read
// and dropped.
struct TableOptions {
  std::string engine;     // as written; empty when absent
  std::string charset;    // DEFAULT CHARSET, canonical ("default" for CHARSET DEFAULT)
  std::string collation;  // DEFAULT COLLATE, canonical ("default" for COLLATE DEFAULT)
  std::optional<std::string> comment;
  friend bool operator==(const TableOptions&, const TableOptions&) = default;
};

// CREATE [OR REPLACE] [TEMPORARY] TABLE [IF NOT EXISTS] t (...) options. Temporary tables are
// never replicated as tables; the flag is kept so the caller can ignore them.
struct CreateTable {
  TableId table;
  bool temporary = false;
  bool if_not_exists = false;
  bool or_replace = false;
  std::vector<ColumnDefinition> columns;
  // Table constraints and inline PRIMARY KEY / UNIQUE / SERIAL keys, in declaration order.
  std::vector<IndexDefinition> indexes;
  TableOptions options;
  friend bool operator==(const CreateTable&, const CreateTable&) = default;
};

// CREATE TABLE t LIKE source: t gets source's columns and keys.
struct CreateTableLike {
  TableId table;
  TableId source;
  bool temporary = false;
  bool if_not_exists = false;
  bool or_replace = false;
  friend bool operator==(const CreateTableLike&, const CreateTableLike&) = default;
};

// A statement that changes `table`'s schema in a way the text alone does not tell, such as
// CREATE TABLE ... SELECT (the columns come from the query). The caller decides: read the
// table's schema from the server, or stop with `reason`.
struct UnsupportedDdl {
  TableId table;
  std::string reason;  // "unsupported: CREATE TABLE ... SELECT"
  friend bool operator==(const UnsupportedDdl&, const UnsupportedDdl&) = default;
};

// ALTER TABLE clauses.
struct AddColumn {
  ColumnDefinition definition;
  ColumnPosition position;
  bool if_not_exists = false;
  friend bool operator==(const AddColumn&, const AddColumn&) = default;
};
struct DropColumn {
  std::string name;
  bool if_exists = false;
  friend bool operator==(const DropColumn&, const DropColumn&) = default;
};
// MODIFY [COLUMN] c definition: redefines c, keeping its name.
struct ModifyColumn {
  ColumnDefinition definition;
  ColumnPosition position;
  bool if_exists = false;
  friend bool operator==(const ModifyColumn&, const ModifyColumn&) = default;
};
// CHANGE [COLUMN] old_name new_name definition.
struct ChangeColumn {
  std::string old_name;
  ColumnDefinition definition;
  ColumnPosition position;
  bool if_exists = false;
  friend bool operator==(const ChangeColumn&, const ChangeColumn&) = default;
};
struct RenameColumn {
  std::string old_name;
  std::string new_name;
  bool if_exists = false;
  friend bool operator==(const RenameColumn&, const RenameColumn&) = default;
};
// ALTER [COLUMN] c SET DEFAULT expr / DROP DEFAULT: no change to the schema's shape.
struct AlterColumnDefault {
  std::string column;
  std::optional<std::string> default_value;  // empty for DROP DEFAULT
  friend bool operator==(const AlterColumnDefault&, const AlterColumnDefault&) = default;
};
// ADD {PRIMARY KEY | UNIQUE | INDEX | FULLTEXT | SPATIAL} ..., and CREATE INDEX.
struct AddIndex {
  IndexDefinition index;
  bool if_not_exists = false;
  friend bool operator==(const AddIndex&, const AddIndex&) = default;
};
// DROP {INDEX | KEY} name, and DROP INDEX name ON t.
struct DropIndex {
  std::string name;
  bool if_exists = false;
  friend bool operator==(const DropIndex&, const DropIndex&) = default;
};
struct DropPrimaryKey {
  friend bool operator==(const DropPrimaryKey&, const DropPrimaryKey&) = default;
};
// DROP CONSTRAINT name: drops a unique key, a foreign key or a check of that name.
struct DropConstraint {
  std::string name;
  bool if_exists = false;
  friend bool operator==(const DropConstraint&, const DropConstraint&) = default;
};
struct RenameIndex {
  std::string old_name;
  std::string new_name;
  friend bool operator==(const RenameIndex&, const RenameIndex&) = default;
};
// RENAME [TO | AS] new_table.
struct RenameTo {
  TableId table;
  friend bool operator==(const RenameTo&, const RenameTo&) = default;
};
// CONVERT TO CHARACTER SET charset [COLLATE collation]: every character column and the table's
// default take the new collation.
struct ConvertToCharset {
  std::string charset;    // canonical; "default" for CONVERT TO CHARACTER SET DEFAULT
  std::string collation;  // canonical; empty when absent
  friend bool operator==(const ConvertToCharset&, const ConvertToCharset&) = default;
};
// ENGINE=, DEFAULT CHARSET=, COMMENT=, ... written one after another without commas.
struct ChangeTableOptions {
  TableOptions options;
  friend bool operator==(const ChangeTableOptions&, const ChangeTableOptions&) = default;
};
// A clause with no effect on columns or unique keys: ALGORITHM=, LOCK=, FORCE, foreign keys,
// checks, ORDER BY, partitioning, system versioning, ALTER INDEX ... VISIBLE, ...
struct NeutralAlterClause {
  std::string sql;
  friend bool operator==(const NeutralAlterClause&, const NeutralAlterClause&) = default;
};

using AlterClause =
    std::variant<AddColumn, DropColumn, ModifyColumn, ChangeColumn, RenameColumn,
                 AlterColumnDefault, AddIndex, DropIndex, DropPrimaryKey, DropConstraint,
                 RenameIndex, RenameTo, ConvertToCharset, ChangeTableOptions, NeutralAlterClause>;

// ALTER TABLE t clause, ...; also CREATE INDEX (one AddIndex) and DROP INDEX ... ON t (one
// DropIndex). An inline PRIMARY KEY / UNIQUE in an added or modified column's definition
// becomes an AddIndex right after that column's clause.
struct AlterTable {
  TableId table;
  bool if_exists = false;  // MariaDB's ALTER TABLE IF EXISTS
  std::vector<AlterClause> clauses;
  friend bool operator==(const AlterTable&, const AlterTable&) = default;
};

struct TableRename {
  TableId from;
  TableId to;
  friend bool operator==(const TableRename&, const TableRename&) = default;
};
// RENAME TABLE a TO b, c TO d: renames happen in order, so a TO tmp, b TO a, tmp TO b swaps.
struct RenameTable {
  std::vector<TableRename> renames;
  friend bool operator==(const RenameTable&, const RenameTable&) = default;
};

struct DropTable {
  std::vector<TableId> tables;
  bool temporary = false;
  bool if_exists = false;
  friend bool operator==(const DropTable&, const DropTable&) = default;
};

// TRUNCATE [TABLE] t: the schema stays; every row goes without row events.
struct TruncateTable {
  TableId table;
  friend bool operator==(const TruncateTable&, const TruncateTable&) = default;
};

struct CreateDatabase {
  std::string database;
  bool if_not_exists = false;
  bool or_replace = false;
  std::string charset;    // DEFAULT CHARACTER SET, canonical; empty when absent
  std::string collation;  // DEFAULT COLLATE, canonical; empty when absent
  friend bool operator==(const CreateDatabase&, const CreateDatabase&) = default;
};

// ALTER DATABASE d options: changes the default for tables created later.
struct AlterDatabase {
  std::string database;
  std::string charset;
  std::string collation;
  friend bool operator==(const AlterDatabase&, const AlterDatabase&) = default;
};

struct DropDatabase {
  std::string database;
  bool if_exists = false;
  friend bool operator==(const DropDatabase&, const DropDatabase&) = default;
};

// Any statement that changes no table schema: "GRANT", "CREATE VIEW", "INSERT", "" (empty).
struct NotSchemaChange {
  std::string verb;  // the statement's leading keywords, upper case
  friend bool operator==(const NotSchemaChange&, const NotSchemaChange&) = default;
};

using DdlStatement = std::variant<NotSchemaChange, CreateTable, CreateTableLike, UnsupportedDdl,
                                  AlterTable, RenameTable, DropTable, TruncateTable, CreateDatabase,
                                  AlterDatabase, DropDatabase>;

}  // namespace cdc
