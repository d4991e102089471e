// SchemaChange: what one DDL statement did to captured tables, as the source's schema catalog
// followed it: a table created, altered (with the statement's clauses), renamed, or dropped.
// It travels inside a RowChange of kind kSchemaChange, a table barrier: every sink subtask
// writes all it holds of the tables the change names before the change is applied, once, on
// the target, and none writes what came after it until then.
//
// Schemas are the catalog's versions before and after the statement, so a sink can translate
// the change into its own DDL (native column types, collations, keys) without reading the
// statement text. A RENAME TABLE with several pairs is one change: its pairs happen in order
// and together (a -> tmp, b -> a, tmp -> b swaps two tables).
//
// Immutable once made; shared between threads as std::shared_ptr<const SchemaChange>.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "schema/ddl_statement.h"
#include "schema/table_schema.h"

namespace cdc {

enum class SchemaChangeKind : uint8_t { kCreateTable, kAlterTable, kRenameTable, kDropTable };

const char* SchemaChangeKindName(SchemaChangeKind kind);  // "create table", "alter table", ...

struct TableRenameStep {
  TableSchemaPtr from;  // the table under its old name
  TableSchemaPtr to;    // the same columns and keys under the new name
};

struct SchemaChange {
  SchemaChangeKind kind = SchemaChangeKind::kAlterTable;
  TableSchemaPtr before;  // alter, drop: the table before the statement
  TableSchemaPtr after;   // create, alter: the table after it (another id after RENAME TO)
  std::vector<AlterClause> clauses;      // alter: the statement's clauses, in order
  std::vector<TableRenameStep> renames;  // rename: the pairs, in order
  std::string statement;                 // the DDL as the source logged it, for messages
  // drop: the table went with its whole database (DROP DATABASE); a sink may drop the database
  // it made for it once nothing else is in it.
  bool drops_database = false;
  // The source's GTID state once this change is applied, where it has one ("0-1-42,1-2-7"):
  // a change whose transaction that state holds came before it, on any server of the history.
  std::string source_gtids;

  // The tables this change is a barrier for, each once, in a fixed order: before and after
  // for an alter (one table unless it renames), both names of every rename pair.
  std::vector<TableId> Tables() const;
  // The schema `table` has in this change: its last appearance (after a rename, the new one).
  TableSchemaPtr SchemaOf(const TableId& table) const;

  // "alter table shop.orders: ALTER TABLE orders ADD COLUMN note TEXT"
  std::string ToString() const;
};

using SchemaChangePtr = std::shared_ptr<const SchemaChange>;

}  // namespace cdc
