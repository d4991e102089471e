#include "connectors/mysql/mysql_catalog.h"

#include <fmt/format.h>

namespace cdc {
namespace {

const std::string& Text(const MysqlConnection::ResultRow& row, size_t i) {
  static const std::string kEmpty;
  return row[i] ? *row[i] : kEmpty;
}

// The quoted labels of "enum('a','b''c')" / "set(...)".
std::vector<std::string> ParseLabels(const std::string& column_type) {
  std::vector<std::string> labels;
  size_t i = column_type.find('(');
  if (i == std::string::npos) return labels;
  for (++i; i < column_type.size(); ++i) {
    if (column_type[i] != '\'') continue;
    std::string label;
    for (++i; i < column_type.size(); ++i) {
      if (column_type[i] == '\'' && i + 1 < column_type.size() && column_type[i + 1] == '\'') {
        label += '\'';
        ++i;
      } else if (column_type[i] == '\'') {
        break;
      } else if (column_type[i] == '\\' && i + 1 < column_type.size()) {
        label += column_type[++i];
      } else {
        label += column_type[i];
      }
    }
    labels.push_back(std::move(label));
  }
  return labels;
}

// The first number in parentheses of "varchar(64)", "bit(5)"; 0 when absent.
uint32_t ParenthesisedNumber(const std::string& column_type) {
  size_t open = column_type.find('(');
  if (open == std::string::npos) return 0;
  return static_cast<uint32_t>(std::strtoul(column_type.c_str() + open + 1, nullptr, 10));
}

}  // namespace

Result<ColumnSchema> ColumnFromInformationSchema(const std::string& name, const std::string& data_type,
                                                 const std::string& column_type) {
  static const std::map<std::string, ColumnType> kTypes = {
      {"tinyint", ColumnType::kTinyInt}, {"smallint", ColumnType::kSmallInt},
      {"mediumint", ColumnType::kMediumInt}, {"int", ColumnType::kInt},
      {"bigint", ColumnType::kBigInt}, {"float", ColumnType::kFloat},
      {"double", ColumnType::kDouble}, {"decimal", ColumnType::kDecimal},
      {"bit", ColumnType::kBit}, {"year", ColumnType::kYear}, {"date", ColumnType::kDate},
      {"time", ColumnType::kTime}, {"datetime", ColumnType::kDateTime},
      {"timestamp", ColumnType::kTimestamp}, {"char", ColumnType::kChar},
      {"varchar", ColumnType::kVarChar}, {"tinytext", ColumnType::kTinyText},
      {"text", ColumnType::kText}, {"mediumtext", ColumnType::kMediumText},
      {"longtext", ColumnType::kLongText}, {"binary", ColumnType::kBinary},
      {"varbinary", ColumnType::kVarBinary}, {"tinyblob", ColumnType::kTinyBlob},
      {"blob", ColumnType::kBlob}, {"mediumblob", ColumnType::kMediumBlob},
      {"longblob", ColumnType::kLongBlob}, {"enum", ColumnType::kEnum}, {"set", ColumnType::kSet},
      {"json", ColumnType::kJson}, {"geometry", ColumnType::kGeometry},
      {"point", ColumnType::kGeometry}, {"linestring", ColumnType::kGeometry},
      {"polygon", ColumnType::kGeometry}, {"multipoint", ColumnType::kGeometry},
      {"multilinestring", ColumnType::kGeometry}, {"multipolygon", ColumnType::kGeometry},
      {"geometrycollection", ColumnType::kGeometry}, {"geomcollection", ColumnType::kGeometry},
  };
  auto found = kTypes.find(data_type);
  if (found == kTypes.end()) {
    return Status::InvalidArgument(fmt::format("column {} has type {}, which the binlog source does not know",
                                               name, column_type));
  }
  ColumnSchema column;
  column.name = name;
  column.type = found->second;
  column.is_unsigned = column_type.find("unsigned") != std::string::npos;
  switch (column.type) {
    case ColumnType::kEnum: case ColumnType::kSet:
      column.labels = ParseLabels(column_type);
      break;
    case ColumnType::kBit: case ColumnType::kChar: case ColumnType::kVarChar:
    case ColumnType::kBinary: case ColumnType::kVarBinary:
      column.length = ParenthesisedNumber(column_type);
      if (column.type == ColumnType::kBit && column.length == 0) column.length = 1;
      break;
    case ColumnType::kDecimal: {
      column.precision = static_cast<uint8_t>(ParenthesisedNumber(column_type));
      size_t comma = column_type.find(',');
      if (comma != std::string::npos) column.scale = static_cast<uint8_t>(std::strtoul(column_type.c_str() + comma + 1, nullptr, 10));
      if (column.precision == 0) column.precision = 10;
      break;
    }
    case ColumnType::kTime: case ColumnType::kDateTime: case ColumnType::kTimestamp:
      column.fsp = static_cast<uint8_t>(ParenthesisedNumber(column_type));
      break;
    default:
      break;
  }
  return column;
}

Result<std::map<TableId, TableSchemaPtr>> ReadTableSchemas(MysqlConnection& connection,
                                                           TableFilter& filter) {
  const char* kSystem = "('mysql', 'information_schema', 'performance_schema', 'sys')";
  auto tables = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME FROM information_schema.TABLES WHERE TABLE_TYPE = 'BASE "
      "TABLE' AND TABLE_SCHEMA NOT IN {}",
      kSystem));
  if (!tables.ok()) return tables.status();
  std::map<TableId, bool> wanted;
  for (const auto& row : *tables) {
    TableId id{Text(row, 0), Text(row, 1)};
    if (filter.Accepts(id)) wanted[id] = true;
  }
  std::map<TableId, std::vector<ColumnSchema>> columns;
  auto column_rows = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, "
      "COLLATION_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA NOT IN {} ORDER BY "
      "TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
      kSystem));
  if (!column_rows.ok()) return column_rows.status();
  for (const auto& row : *column_rows) {
    TableId id{Text(row, 0), Text(row, 1)};
    if (!wanted.count(id)) continue;
    auto column = ColumnFromInformationSchema(Text(row, 2), Text(row, 3), Text(row, 4));
    if (!column.ok()) return column.status().WithContext("table " + id.ToString());
    column->nullable = Text(row, 5) == "YES";
    if (IsTextType(column->type) || column->type == ColumnType::kEnum || column->type == ColumnType::kSet) {
      column->collation = Text(row, 6);
    }
    columns[id].push_back(std::move(column).value());
  }
  // Unique keys in the server's key order (SHOW CREATE TABLE's), which among the NOT NULL
  // unique keys that can identify rows is their declaration order, as the DDL parser keeps it:
  // the row key chosen from either is the same. information_schema lists each table's keys in
  // that order, each key's columns by SEQ_IN_INDEX; no ORDER BY, which need not keep it.
  struct Keys {
    std::vector<size_t> primary;
    std::vector<IndexSchema> unique;
  };
  std::map<TableId, Keys> keys;
  auto key_rows = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, COLUMN_NAME FROM information_schema.STATISTICS "
      "WHERE NON_UNIQUE = 0 AND TABLE_SCHEMA NOT IN {}",
      kSystem));
  if (!key_rows.ok()) return key_rows.status();
  for (const auto& row : *key_rows) {
    TableId id{Text(row, 0), Text(row, 1)};
    auto table = columns.find(id);
    if (table == columns.end()) continue;
    size_t position = 0;
    while (position < table->second.size() && table->second[position].name != Text(row, 3)) ++position;
    if (position == table->second.size()) continue;  // a key on an expression
    Keys& table_keys = keys[id];
    if (Text(row, 2) == "PRIMARY") {
      table_keys.primary.push_back(position);
    } else {
      if (table_keys.unique.empty() || table_keys.unique.back().name != Text(row, 2)) {
        table_keys.unique.push_back(IndexSchema{Text(row, 2), {}});
      }
      table_keys.unique.back().columns.push_back(position);
    }
  }
  std::map<TableId, TableSchemaPtr> schemas;
  for (auto& [id, table_columns] : columns) {
    Keys& table_keys = keys[id];
    auto schema = TableSchema::Make(id, std::move(table_columns), table_keys.primary,
                                    std::move(table_keys.unique));
    if (!schema.ok()) return schema.status();
    schemas[id] = *schema;
  }
  return schemas;
}

}  // namespace cdc
