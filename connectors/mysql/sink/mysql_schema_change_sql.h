// The DDL the MySQL sink runs on the target for a schema change (schema/schema_change.h) under
// a schema change behaviour (schema/schema_change_behavior.h).
//
// Target DDL is built from the catalog's schemas and the statement's clauses, not by editing the
// source's text: names are the routed target names; column types, character sets, collations,
// nullability, defaults, ON UPDATE and comments are the source column's own as the catalog's
// after-schema holds them (native, never a generic type); indexes as the statement adds them
// (a unique key other than the row key as a plain index under logical deletes); the table's
// default character set and collation as the after-schema has them; generated columns become
// plain columns (the binlog carries their values) and AUTO_INCREMENT is dropped (the source
// assigns the values).
// The sink's logical-delete columns are never touched. Partitioning, foreign keys, checks,
// ALGORITHM / LOCK and the engine stay as the target has them.
//
// Replay after a crash must be harmless: on a MariaDB target clauses carry IF [NOT] EXISTS;
// on every target the errors in kAlreadyDoneErrors mean the statement's effect is already
// there. The sink also records each applied change in its schema history table, so none is
// applied twice, not even a RENAME swap (a -> tmp, b -> a, tmp -> b) (mysql_sink.h).
//
// Pure functions; thread-safe.
#pragma once

#include <functional>
#include <string>
#include <vector>

#include "connectors/mysql/sink/mysql_statements.h"
#include "schema/schema_change.h"
#include "schema/schema_change_behavior.h"

namespace cdc {

// Server errors that say a DDL's effect is already in place: table exists (1050), unknown
// table (1051), no such table (1146), duplicate column (1060), duplicate key name (1061),
// can't drop: no such column or key (1091), multiple primary keys (1068).
bool IsAlreadyDoneDdlError(unsigned error);

struct TargetSchemaSql {
  // Databases to create first if missing (the sink records the ones it creates).
  std::vector<std::string> databases;
  std::vector<std::string> statements;  // run in order; empty when nothing is to be done
  // A DROP DATABASE took the table: after the statements, the sink drops this database if it
  // created it and nothing else is in it. Empty otherwise.
  std::string drop_database_if_empty;
  // The behaviour leaves the target without columns the source has (ignore): rows must be
  // written to the columns the target has.
  bool diverges = false;
  std::string note;  // what the behaviour skipped or changed, for the log; empty when nothing
};

struct TargetNaming {
  std::function<TableId(const TableId&)> target_of;             // a source table's target table
  std::function<LogicalDeleteColumns(const TableId&)> logical;  // by source table
  bool mariadb = true;  // IF [NOT] EXISTS clauses (MariaDB 10.0+); MySQL has none
};

// The target DDL for `change` under `behavior` (kException is the caller's: it fails the job).
// InvalidArgument naming the table and clause when a clause cannot be translated (a column the
// after-schema does not have).
Result<TargetSchemaSql> TranslateSchemaChange(const SchemaChange& change,
                                              SchemaChangeBehavior behavior,
                                              const TargetNaming& naming);

}  // namespace cdc
