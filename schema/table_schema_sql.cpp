#include "schema/table_schema_sql.h"

namespace cdc {
namespace {

std::string CharsetOf(std::string_view collation) {
  return std::string(collation.substr(0, collation.find('_')));
}

void AppendKey(const TableSchema& schema, const std::vector<size_t>& columns, std::string& sql) {
  sql += '(';
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdentifier(schema.columns()[columns[i]].name);
  }
  sql += ')';
}

}  // namespace

std::string ColumnDefinitionSql(const ColumnSchema& column, bool nullable) {
  std::string sql = QuoteIdentifier(column.name) + " " + column.SqlType();
  bool has_collation = IsTextType(column.type) || column.type == ColumnType::kEnum ||
                       column.type == ColumnType::kSet;
  if (has_collation && !column.collation.empty()) {
    sql += " CHARACTER SET " + CharsetOf(column.collation) + " COLLATE " + column.collation;
  }
  sql += nullable ? " NULL" : " NOT NULL";
  return sql;
}

std::string CreateTableStatement(const TableSchema& schema, std::string_view default_collation) {
  std::string sql = "CREATE TABLE " + schema.id().Quoted() + " (";
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    const ColumnSchema& column = schema.columns()[i];
    sql += (i > 0 ? ", " : "") + ColumnDefinitionSql(column, column.nullable);
  }
  if (!schema.primary_key().empty()) {
    sql += ", PRIMARY KEY ";
    AppendKey(schema, schema.primary_key(), sql);
  }
  for (const IndexSchema& index : schema.unique_keys()) {
    sql += ", UNIQUE KEY " + QuoteIdentifier(index.name) + " ";
    AppendKey(schema, index.columns, sql);
  }
  sql += ")";
  if (!default_collation.empty()) {
    sql += " DEFAULT CHARSET=" + CharsetOf(default_collation) + " COLLATE=" + std::string(default_collation);
  }
  return sql;
}

}  // namespace cdc
