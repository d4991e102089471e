#include "connectors/mysql/sink/mysql_table_ddl.h"

#include "connectors/mysql/client/sql_literal.h"
#include "runtime/ascii.h"

namespace cdc {
namespace {

bool IsLob(ColumnType type) {
  switch (type) {
    case ColumnType::kTinyText:
    case ColumnType::kText:
    case ColumnType::kMediumText:
    case ColumnType::kLongText:
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return true;
    default: return false;
  }
}

// `index` declared as `kind`. A primary key or plain index needs a prefix length on TEXT and
// BLOB columns: a schema that names none (made by hand, or a unique key over a BLOB that
// logical deletes make plain) gets 191 characters, which fit InnoDB's 767-byte limit at 4
// bytes a character. A unique key keeps none (MariaDB 10.4+ hashes it whole).
std::string TargetIndexSql(const TableSchema& schema, IndexSchema index, IndexKind kind) {
  if (kind == IndexKind::kPrimary || kind == IndexKind::kPlain) {
    for (size_t i = 0; i < index.columns.size(); ++i) {
      if (IsLob(schema.columns()[index.columns[i]].type) && index.prefix_lengths[i] == 0) {
        index.prefix_lengths[i] = 191;
      }
    }
  }
  return IndexDefinitionSql(schema, index, kind);
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

std::string TargetColumnSql(const ColumnSchema& column, bool nullable, bool mariadb) {
  if (mariadb || column.fixed_binary == FixedBinaryType::kNone) {
    return ColumnDefinitionSql(column, nullable);
  }
  ColumnSchema binary = column;
  binary.fixed_binary = FixedBinaryType::kNone;
  binary.default_value.reset();
  return ColumnDefinitionSql(binary, nullable);
}

std::string CreateTableSql(const TableSchema& schema, const TableId& target,
                           const LogicalDeleteColumns& logical, bool mariadb) {
  std::string sql = "CREATE TABLE IF NOT EXISTS " + target.Quoted() + " (\n";
  for (const ColumnSchema& column : schema.columns()) {
    sql += "  " + TargetColumnSql(column, column.nullable, mariadb) + ",\n";
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
  for (const IndexSchema& index : schema.indexes()) {
    IndexKind kind = index.kind;
    if (kind == IndexKind::kUnique && logical.enabled) {
      std::vector<std::string> names;
      for (size_t column : index.columns) names.push_back(schema.columns()[column].name);
      if (!LogicalDeleteKeepsUnique(schema, names)) kind = IndexKind::kPlain;
    }
    sql += "  " + TargetIndexSql(schema, index, kind) + ",\n";
  }
  sql.erase(sql.size() - 2);  // the last ",\n"
  sql += "\n) ENGINE=InnoDB" + TableOptionsSql(schema);
  return sql;
}

}  // namespace cdc
