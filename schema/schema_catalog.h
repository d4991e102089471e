// SchemaCatalog: the schema of each table as of the current point in the binlog (columns with
// their defaults and comments, every index, the default collation and comment). It starts from the
// server's catalog (information_schema) and follows the stream's DDL statements
// (schema/ddl_statement.h): CREATE TABLE [LIKE], ALTER TABLE, RENAME TABLE, DROP TABLE and DROP
// DATABASE change it; other statements do not.
//
// The catalog is the schema as of the source's current position; each version of a table stays
// alive while changes point at it (RowChange::table). Save() writes the whole catalog as text
// (one CREATE TABLE per table) for a checkpoint; Load() reads it back, so a restart from that
// checkpoint decodes rows with the schemas in force at its position.
//
// Thread-bound (the source's reader thread).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "schema/ddl_statement.h"
#include "schema/schema_change.h"
#include "schema/table_schema.h"

namespace cdc {

class SchemaCatalog {
 public:
  // `server_collation` is the default collation of databases and tables the catalog knows
  // nothing else about (the server's collation_server).
  explicit SchemaCatalog(std::string server_collation = "utf8mb4_general_ci")
      : server_collation_(std::move(server_collation)) {}

  // Adds or replaces a table; its default collation is `default_collation` when given, else
  // the schema's own, else the collation of its first text column, else the server's (the
  // catalog then holds a copy of `schema` with that default collation).
  void Put(TableSchemaPtr schema, std::string default_collation = "");
  // The table's schema, or null when the catalog does not hold it.
  TableSchemaPtr Find(const TableId& table) const;
  const std::map<TableId, TableSchemaPtr>& tables() const { return tables_; }

  // Applies `statement` and sets `named` to the tables it names that change schema, appear or
  // disappear (both names of a rename), whether or not the catalog held them. An error (an
  // ALTER that does not fit the schema the catalog holds) leaves that table as it was, and
  // `named` still lists it: the caller decides whether to trust the binlog's table map instead.
  Status Apply(const DdlStatement& statement, std::vector<TableId>& named);

  // Apply, and what the statement did to the tables the catalog held or now holds, as schema
  // changes with the catalog's schemas before and after (`sql` is the statement's text). A
  // CREATE TABLE IF NOT EXISTS of a table the catalog holds changes nothing; CREATE OR REPLACE
  // is a drop then a create; TRUNCATE is not a schema change. On error nothing is described.
  Status Apply(const DdlStatement& statement, const std::string& sql, std::vector<TableId>& named,
               std::vector<SchemaChange>& changes);

  // The catalog as lines of text without newlines or tabs inside (identifiers escaped):
  // "server <collation>", "database <name> <collation>", "table <CREATE TABLE ...>".
  std::vector<std::string> Save() const;
  // A catalog from Save()'s lines. InvalidArgument naming the line that does not parse.
  static Result<SchemaCatalog> Load(const std::vector<std::string>& lines);

 private:
  std::string DefaultOf(const TableId& table) const;  // a table's default collation
  std::string DatabaseDefault(const std::string& database) const;

  std::string server_collation_;
  std::map<TableId, TableSchemaPtr> tables_;                // each with its default collation
  std::map<std::string, std::string> database_collations_;  // from CREATE DATABASE
  // Save()'s CREATE TABLE text per schema version, so unchanged tables are not written again.
  mutable std::map<TableId, std::pair<const TableSchema*, std::string>> saved_;
};

}  // namespace cdc
