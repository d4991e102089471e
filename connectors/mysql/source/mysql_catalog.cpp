#include "connectors/mysql/source/mysql_catalog.h"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <iterator>
#include <string_view>
#include <tuple>

#include "runtime/ascii.h"
#include "schema/table_schema_sql.h"

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

// The digits that start `text` ("64)" -> 64, "30) unsigned" -> 30); 0 when there are none.
uint32_t LeadingNumber(std::string_view text) {
  uint32_t number = 0;
  std::from_chars(text.data(), text.data() + text.size(), number);
  return number;
}

// The first number in parentheses of "varchar(64)", "bit(5)"; 0 when absent.
uint32_t ParenthesisedNumber(const std::string& column_type) {
  size_t open = column_type.find('(');
  if (open == std::string::npos) return 0;
  return LeadingNumber(std::string_view(column_type).substr(open + 1));
}

}  // namespace

Result<ColumnSchema> ColumnFromInformationSchema(const std::string& name,
                                                 const std::string& data_type,
                                                 const std::string& column_type) {
  static const std::map<std::string, ColumnType> kTypes = {
      {"tinyint", ColumnType::kTinyInt},
      {"smallint", ColumnType::kSmallInt},
      {"mediumint", ColumnType::kMediumInt},
      {"int", ColumnType::kInt},
      {"bigint", ColumnType::kBigInt},
      {"float", ColumnType::kFloat},
      {"double", ColumnType::kDouble},
      {"decimal", ColumnType::kDecimal},
      {"bit", ColumnType::kBit},
      {"year", ColumnType::kYear},
      {"date", ColumnType::kDate},
      {"time", ColumnType::kTime},
      {"datetime", ColumnType::kDateTime},
      {"timestamp", ColumnType::kTimestamp},
      {"char", ColumnType::kChar},
      {"varchar", ColumnType::kVarChar},
      {"tinytext", ColumnType::kTinyText},
      {"text", ColumnType::kText},
      {"mediumtext", ColumnType::kMediumText},
      {"longtext", ColumnType::kLongText},
      {"binary", ColumnType::kBinary},
      {"varbinary", ColumnType::kVarBinary},
      {"tinyblob", ColumnType::kTinyBlob},
      {"blob", ColumnType::kBlob},
      {"mediumblob", ColumnType::kMediumBlob},
      {"longblob", ColumnType::kLongBlob},
      {"enum", ColumnType::kEnum},
      {"set", ColumnType::kSet},
      {"json", ColumnType::kJson},
  };
  if (auto geometry = GeometryTypeFromName(data_type)) {
    ColumnSchema column;
    column.name = name;
    column.type = ColumnType::kGeometry;
    column.geometry_type = *geometry;
    return column;
  }
  static const std::map<std::string, std::pair<FixedBinaryType, uint32_t>> kFixedBinary = {
      {"uuid", {FixedBinaryType::kUuid, 16}},
      {"inet4", {FixedBinaryType::kInet4, 4}},
      {"inet6", {FixedBinaryType::kInet6, 16}},
  };
  if (auto fixed = kFixedBinary.find(data_type); fixed != kFixedBinary.end()) {
    ColumnSchema column;
    column.name = name;
    column.type = ColumnType::kBinary;
    column.fixed_binary = fixed->second.first;
    column.length = fixed->second.second;
    return column;
  }
  auto found = kTypes.find(data_type);
  if (found == kTypes.end()) {
    return Status::InvalidArgument(fmt::format(
        "column {} has type {}, which the binlog source does not know", name, column_type));
  }
  ColumnSchema column;
  column.name = name;
  column.type = found->second;
  column.is_unsigned = column_type.find("unsigned") != std::string::npos;
  switch (column.type) {
    case ColumnType::kEnum:
    case ColumnType::kSet: column.labels = ParseLabels(column_type); break;
    case ColumnType::kBit:
    case ColumnType::kChar:
    case ColumnType::kVarChar:
    case ColumnType::kBinary:
    case ColumnType::kVarBinary:
      column.length = ParenthesisedNumber(column_type);
      if (column.type == ColumnType::kBit && column.length == 0) column.length = 1;
      break;
    case ColumnType::kDecimal: {
      column.precision = static_cast<uint8_t>(ParenthesisedNumber(column_type));
      size_t comma = column_type.find(',');
      if (comma != std::string::npos) {
        column.scale =
            static_cast<uint8_t>(LeadingNumber(std::string_view(column_type).substr(comma + 1)));
      }
      if (column.precision == 0) column.precision = 10;
      break;
    }
    case ColumnType::kTime:
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp:
      column.fsp = static_cast<uint8_t>(ParenthesisedNumber(column_type));
      break;
    default: break;
  }
  return column;
}

std::optional<std::string> DefaultFromInformationSchema(
    const std::optional<std::string>& column_default, const std::string& extra,
    const ColumnSchema& column, bool mariadb) {
  const std::string lower_extra = AsciiLower(extra);
  const bool generated = lower_extra.find("generated") != std::string::npos &&
                         lower_extra.find("default_generated") == std::string::npos;
  if (!column_default || generated) return std::nullopt;
  const std::string& value = *column_default;
  if (mariadb) {
    if (value == "NULL") return std::nullopt;  // DEFAULT NULL
    return value;
  }
  const std::string lower = AsciiLower(value);
  if (lower.starts_with("current_timestamp")) return value;  // also MySQL 5.7's, without the flag
  if (lower_extra.find("default_generated") != std::string::npos) return "(" + value + ")";
  if (column.type == ColumnType::kBit && lower.starts_with("b'")) return value;
  return QuoteString(value);
}

std::optional<std::string> OnUpdateFromInformationSchema(const std::string& extra) {
  const std::string lower = AsciiLower(extra);
  const size_t at = lower.find("on update ");
  if (at == std::string::npos) return std::nullopt;
  const size_t start = at + std::string_view("on update ").size();
  const size_t end = extra.find(' ', start);
  return extra.substr(start, end == std::string::npos ? std::string::npos : end - start);
}

Result<std::map<TableId, TableSchemaPtr>> ReadTableSchemas(MysqlConnection& connection,
                                                           TableFilter& filter) {
  const char* kSystem = "('mysql', 'information_schema', 'performance_schema', 'sys')";
  auto tables = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME, TABLE_COLLATION, TABLE_COMMENT FROM "
      "information_schema.TABLES WHERE TABLE_TYPE = 'BASE TABLE' AND TABLE_SCHEMA NOT IN {}",
      kSystem));
  if (!tables.ok()) return tables.status();
  std::map<TableId, TableAttributes> wanted;
  for (const auto& row : *tables) {
    TableId id{Text(row, 0), Text(row, 1)};
    if (filter.Accepts(id)) wanted[id] = TableAttributes{Text(row, 2), Text(row, 3)};
  }
  std::map<TableId, std::vector<ColumnSchema>> columns;
  auto column_rows = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME, COLUMN_NAME, DATA_TYPE, COLUMN_TYPE, IS_NULLABLE, "
      "COLLATION_NAME, COLUMN_DEFAULT, EXTRA, COLUMN_COMMENT FROM information_schema.COLUMNS "
      "WHERE TABLE_SCHEMA NOT IN {} ORDER BY TABLE_SCHEMA, TABLE_NAME, ORDINAL_POSITION",
      kSystem));
  if (!column_rows.ok()) return column_rows.status();
  for (const auto& row : *column_rows) {
    TableId id{Text(row, 0), Text(row, 1)};
    if (!wanted.count(id)) continue;
    auto column = ColumnFromInformationSchema(Text(row, 2), Text(row, 3), Text(row, 4));
    if (!column.ok()) return column.status().WithContext("table " + id.ToString());
    column->nullable = Text(row, 5) == "YES";
    if (IsTextType(column->type) || column->type == ColumnType::kEnum ||
        column->type == ColumnType::kSet) {
      column->collation = Text(row, 6);
    }
    column->default_value =
        DefaultFromInformationSchema(row[7], Text(row, 8), *column, connection.is_mariadb());
    column->on_update = OnUpdateFromInformationSchema(Text(row, 8));
    column->comment = Text(row, 9);
    columns[id].push_back(std::move(column).value());
  }
  // Indexes in the server's key order (SHOW CREATE TABLE's), which among the NOT NULL unique
  // keys that can identify rows is their declaration order, as the DDL parser keeps it: the row
  // key chosen from either is the same. information_schema lists each table's keys in that
  // order; no ORDER BY, which need not keep it. Each key's columns go by SEQ_IN_INDEX.
  struct ReadIndex {
    IndexSchema index;
    std::map<size_t, std::tuple<size_t, uint32_t, bool>> parts;  // by SEQ_IN_INDEX
    bool on_expression = false;  // a part that is no column (MySQL 8's functional key parts)
  };
  std::map<TableId, std::vector<ReadIndex>> indexes;
  auto index_rows = connection.Query(fmt::format(
      "SELECT TABLE_SCHEMA, TABLE_NAME, INDEX_NAME, NON_UNIQUE, SEQ_IN_INDEX, COLUMN_NAME, "
      "SUB_PART, INDEX_TYPE, COLLATION FROM information_schema.STATISTICS WHERE TABLE_SCHEMA NOT "
      "IN {}",
      kSystem));
  if (!index_rows.ok()) return index_rows.status();
  for (const auto& row : *index_rows) {
    TableId id{Text(row, 0), Text(row, 1)};
    auto table = columns.find(id);
    if (table == columns.end()) continue;
    std::vector<ReadIndex>& table_indexes = indexes[id];
    const std::string& name = Text(row, 2);
    auto index = std::find_if(table_indexes.begin(), table_indexes.end(),
                              [&name](const ReadIndex& read) { return read.index.name == name; });
    if (index == table_indexes.end()) {
      IndexSchema schema;
      schema.name = name;
      const std::string type = AsciiLower(Text(row, 7));
      if (type == "fulltext") {
        schema.kind = IndexKind::kFulltext;
      } else if (type == "spatial") {
        schema.kind = IndexKind::kSpatial;
      } else if (Text(row, 3) == "0") {
        schema.kind = name == "PRIMARY" ? IndexKind::kPrimary : IndexKind::kUnique;
      } else {
        schema.kind = IndexKind::kPlain;
      }
      table_indexes.push_back(ReadIndex{std::move(schema), {}, false});
      index = std::prev(table_indexes.end());
    }
    size_t position = 0;
    while (position < table->second.size() && table->second[position].name != Text(row, 5))
      ++position;
    if (position == table->second.size()) {
      index->on_expression = true;
      continue;
    }
    auto sequence = ParseDecimal(Text(row, 4));
    auto prefix = ParseDecimal(row[6].value_or("0"));
    if (!sequence || !prefix || *prefix > UINT32_MAX) {
      return Status::InvalidArgument(fmt::format(
          "information_schema.STATISTICS of {} index {} has SEQ_IN_INDEX '{}' and SUB_PART '{}', "
          "which are not numbers",
          id.ToString(), name, Text(row, 4), Text(row, 6)));
    }
    // A SPATIAL index shows SUB_PART 32 (its MBR), which no statement may declare.
    if (index->index.kind == IndexKind::kSpatial) *prefix = 0;
    index->parts[*sequence] = {position, static_cast<uint32_t>(*prefix), Text(row, 8) == "D"};
  }
  std::map<TableId, TableSchemaPtr> schemas;
  for (auto& [id, table_columns] : columns) {
    std::vector<IndexSchema> table_indexes;
    for (ReadIndex& read : indexes[id]) {
      if (read.on_expression) continue;  // no set of columns describes it
      for (const auto& [sequence, part] : read.parts) {
        read.index.columns.push_back(std::get<0>(part));
        read.index.prefix_lengths.push_back(std::get<1>(part));
        read.index.descending.push_back(std::get<2>(part));
      }
      table_indexes.push_back(std::move(read.index));
    }
    auto schema =
        TableSchema::Define(id, std::move(table_columns), std::move(table_indexes), wanted[id]);
    if (!schema.ok()) return schema.status();
    schemas[id] = *schema;
  }
  return schemas;
}

}  // namespace cdc
