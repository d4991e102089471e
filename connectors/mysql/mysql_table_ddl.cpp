#include "connectors/mysql/mysql_table_ddl.h"

#include "connectors/mysql/sql_literal.h"
#include "runtime/ascii.h"

namespace cdc {
namespace {

void AppendKeyColumns(const TableSchema& schema, const std::vector<size_t>& columns,
                      std::string& sql) {
  sql += '(';
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    const ColumnSchema& column = schema.columns()[columns[i]];
    AppendIdentifier(column.name, sql);
    // Text and blob columns need a prefix length in an index; 191 characters fit InnoDB's
    // 767-byte limit at 4 bytes a character.
    bool needs_prefix = column.type == ColumnType::kTinyText || column.type == ColumnType::kText ||
                        column.type == ColumnType::kMediumText ||
                        column.type == ColumnType::kLongText || column.type == ColumnType::kTinyBlob ||
                        column.type == ColumnType::kBlob || column.type == ColumnType::kMediumBlob ||
                        column.type == ColumnType::kLongBlob;
    if (needs_prefix) sql += "(191)";
  }
  sql += ')';
}

}  // namespace

bool LogicalDeleteKeepsUnique(const TableSchema& schema, const std::vector<std::string>& columns) {
  if (!schema.primary_key().empty() || !schema.has_key()) return false;
  const std::vector<size_t>& key = schema.key().columns;
  if (key.size() != columns.size()) return false;
  for (size_t i = 0; i < key.size(); ++i) {
    if (AsciiLower(schema.columns()[key[i]].name) != AsciiLower(columns[i])) return false;
  }
  return true;
}

std::string CreateDatabaseSql(const std::string& database) {
  std::string sql = "CREATE DATABASE IF NOT EXISTS ";
  AppendIdentifier(database, sql);
  return sql;
}

std::string CreateTableSql(const TableSchema& schema, const TableId& target,
                           const LogicalDeleteColumns& logical) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + target.Quoted() + " (\n";
  for (const ColumnSchema& column : schema.columns()) {
    sql += "  " + ColumnDefinitionSql(column, column.nullable) + ",\n";
  }
  if (logical.enabled) {
    sql += "  ";
    AppendIdentifier(logical.flag_column, sql);
    sql += " TINYINT(1) NOT NULL DEFAULT 0,\n";
    if (!logical.time_column.empty()) {
      sql += "  ";
      AppendIdentifier(logical.time_column, sql);
      sql += " DATETIME(6) NULL,\n";
    }
  }
  if (!schema.primary_key().empty()) {
    sql += "  PRIMARY KEY ";
    AppendKeyColumns(schema, schema.primary_key(), sql);
    sql += ",\n";
  }
  for (const IndexSchema& index : schema.unique_keys()) {
    std::vector<std::string> names;
    for (size_t column : index.columns) names.push_back(schema.columns()[column].name);
    sql += !logical.enabled || LogicalDeleteKeepsUnique(schema, names) ? "  UNIQUE KEY " : "  KEY ";
    AppendIdentifier(index.name, sql);
    sql += ' ';
    AppendKeyColumns(schema, index.columns, sql);
    sql += ",\n";
  }
  sql.erase(sql.size() - 2);  // the last ",\n"
  sql += "\n) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4";
  return sql;
}

}  // namespace cdc
