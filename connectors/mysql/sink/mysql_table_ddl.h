// DDL the MySQL sink runs to create a missing target: CREATE DATABASE and CREATE TABLE from
// the source's TableSchema with native column types, character sets and collations,
// nullability, defaults, ON UPDATE and comments, every index (primary, unique, plain,
// FULLTEXT, SPATIAL, with prefix lengths and order), the table's default character set,
// collation and comment, plus the logical-delete columns. The engine is InnoDB; AUTO_INCREMENT,
// partitioning and foreign keys are not copied. Both are IF NOT EXISTS, so running them again
// is harmless. Pure functions; thread-safe.
#pragma once

#include <string>

#include "connectors/mysql/sink/mysql_statements.h"
#include "schema/table_schema.h"
#include "schema/table_schema_sql.h"

namespace cdc {

std::string CreateDatabaseSql(const std::string& database);

// `column` as a target defines it: ColumnDefinitionSql, except that on a target that is not
// MariaDB (`mariadb` false) MariaDB's UUID, INET4 and INET6 are BINARY(16) / BINARY(4) holding
// the same bytes, without the default (written as text, which does not fit them).
std::string TargetColumnSql(const ColumnSchema& column, bool nullable, bool mariadb);

// With logical deletes, a unique key other than the row key is created as a plain index:
// a deleted row keeps its values, which a live row may take again, and an upsert meeting the
// deleted row's unique value would overwrite it (ON DUPLICATE KEY UPDATE fires on any unique
// key). See LogicalDeleteKeepsUnique.
std::string CreateTableSql(const TableSchema& schema, const TableId& target,
                           const LogicalDeleteColumns& logical, bool mariadb = true);

// Whether a unique key over `columns` (names) stays unique on a target with logical deletes:
// only when it is the row key (a table without a primary key keys rows by it).
bool LogicalDeleteKeepsUnique(const TableSchema& schema, const std::vector<std::string>& columns);

}  // namespace cdc
