// SchemaCatalog: the schema of each table as of the current point in the binlog, and each
// table's default collation. It starts from the server's catalog (information_schema) and
// follows the stream's DDL statements (schema/ddl_statement.h): CREATE TABLE [LIKE], ALTER
// TABLE, RENAME TABLE, DROP TABLE and DROP DATABASE change it; other statements do not.
//
// Not yet versioned by position or saved with checkpoints (issue #5): a restart reads the
// catalog from the server again.
//
// Thread-bound (the source's reader thread).
#pragma once

#include <map>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "schema/ddl_statement.h"
#include "schema/table_schema.h"

namespace cdc {

class SchemaCatalog {
 public:
  // `server_collation` is the default collation of databases and tables the catalog knows
  // nothing else about (the server's collation_server).
  explicit SchemaCatalog(std::string server_collation = "utf8mb4_general_ci")
      : server_collation_(std::move(server_collation)) {}

  // Adds or replaces a table; its default collation is `default_collation` when given, else
  // the collation of its first text column, else the server's.
  void Put(TableSchemaPtr schema, std::string default_collation = "");
  // The table's schema, or null when the catalog does not hold it.
  TableSchemaPtr Find(const TableId& table) const;
  const std::map<TableId, TableSchemaPtr>& tables() const { return tables_; }

  // Applies `statement` and sets `named` to the tables it names that change schema, appear or
  // disappear (both names of a rename), whether or not the catalog held them. An error (an
  // ALTER that does not fit the schema the catalog holds) leaves that table as it was, and
  // `named` still lists it: the caller decides whether to trust the binlog's table map instead.
  Status Apply(const DdlStatement& statement, std::vector<TableId>& named);

 private:
  std::string DefaultOf(const TableId& table) const;  // a table's default collation
  std::string DatabaseDefault(const std::string& database) const;

  std::string server_collation_;
  std::map<TableId, TableSchemaPtr> tables_;
  std::map<TableId, std::string> default_collations_;
  std::map<std::string, std::string> database_collations_;  // from CREATE DATABASE
};

}  // namespace cdc
