#include "schema/table_schema_sql.h"

#include <fmt/format.h>

namespace cdc {
namespace {

std::string CharsetOf(std::string_view collation) {
  return std::string(collation.substr(0, collation.find('_')));
}

}  // namespace

std::string QuoteString(std::string_view text) {
  std::string sql = "'";
  for (char c : text) {
    switch (c) {
      case '\'': sql += "\\'"; break;
      case '\\': sql += "\\\\"; break;
      case '\0': sql += "\\0"; break;
      case '\n': sql += "\\n"; break;
      case '\r': sql += "\\r"; break;
      case '\032': sql += "\\Z"; break;
      default: sql += c;
    }
  }
  return sql + "'";
}

std::string ColumnDefinitionSql(const ColumnSchema& column, bool nullable) {
  std::string sql = QuoteIdentifier(column.name) + " " + column.SqlType();
  bool has_collation = IsTextType(column.type) || column.type == ColumnType::kEnum ||
                       column.type == ColumnType::kSet;
  if (has_collation && !column.collation.empty()) {
    sql += " CHARACTER SET " + CharsetOf(column.collation) + " COLLATE " + column.collation;
  }
  sql += nullable ? " NULL" : " NOT NULL";
  if (column.default_value) sql += " DEFAULT " + *column.default_value;
  if (column.on_update) sql += " ON UPDATE " + *column.on_update;
  if (!column.comment.empty()) sql += " COMMENT " + QuoteString(column.comment);
  return sql;
}

std::string IndexDefinitionSql(const TableSchema& schema, const IndexSchema& index,
                               IndexKind kind) {
  std::string sql;
  switch (kind) {
    case IndexKind::kPrimary: sql = "PRIMARY KEY "; break;
    case IndexKind::kUnique: sql = "UNIQUE KEY "; break;
    case IndexKind::kPlain: sql = "KEY "; break;
    case IndexKind::kFulltext: sql = "FULLTEXT KEY "; break;
    case IndexKind::kSpatial: sql = "SPATIAL KEY "; break;
  }
  if (kind != IndexKind::kPrimary) sql += QuoteIdentifier(index.name) + " ";
  sql += '(';
  for (size_t i = 0; i < index.columns.size(); ++i) {
    if (i > 0) sql += ", ";
    sql += QuoteIdentifier(schema.columns()[index.columns[i]].name);
    if (i < index.prefix_lengths.size() && index.prefix_lengths[i] != 0) {
      sql += fmt::format("({})", index.prefix_lengths[i]);
    }
    if (i < index.descending.size() && index.descending[i]) sql += " DESC";
  }
  return sql + ')';
}

std::string TableOptionsSql(const TableSchema& schema) {
  std::string sql;
  const std::string& collation = schema.default_collation();
  if (!collation.empty())
    sql += " DEFAULT CHARSET=" + CharsetOf(collation) + " COLLATE=" + collation;
  if (!schema.comment().empty()) sql += " COMMENT=" + QuoteString(schema.comment());
  return sql;
}

std::string CreateTableStatement(const TableSchema& schema) {
  std::string sql = "CREATE TABLE " + schema.id().Quoted() + " (";
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    const ColumnSchema& column = schema.columns()[i];
    sql += (i > 0 ? ", " : "") + ColumnDefinitionSql(column, column.nullable);
  }
  for (const IndexSchema& index : schema.indexes()) {
    sql += ", " + IndexDefinitionSql(schema, index, index.kind);
  }
  return sql + ")" + TableOptionsSql(schema);
}

}  // namespace cdc
