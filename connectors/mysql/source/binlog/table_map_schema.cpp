#include "connectors/mysql/source/binlog/table_map_schema.h"

#include <fmt/format.h>
#include <algorithm>
#include <cctype>

#include "schema/collation.h"

namespace cdc {
namespace {

// Bytes per character of a collation's character set, to turn byte lengths into CHAR(n).
uint32_t MaxBytesPerChar(std::string_view collation) {
  if (collation.starts_with("utf8mb4") || collation.starts_with("utf16") ||
      collation.starts_with("utf32")) {
    return 4;
  }
  if (collation.starts_with("utf8")) return 3;
  if (collation.starts_with("ucs2")) return 2;
  return 1;
}

bool SameMapImpl(const TableMap& a, const TableMap& b) {
  if (a.database != b.database || a.table != b.table || a.columns.size() != b.columns.size()) {
    return false;
  }
  for (size_t i = 0; i < a.columns.size(); ++i) {
    const TableMapColumn& x = a.columns[i];
    const TableMapColumn& y = b.columns[i];
    if (x.type != y.type || x.meta != y.meta || x.name != y.name || x.nullable != y.nullable ||
        x.is_unsigned != y.is_unsigned || x.collation_id != y.collation_id ||
        x.labels != y.labels) {
      return false;
    }
  }
  return a.primary_key == b.primary_key;
}

}  // namespace

Result<TableSchemaPtr> SchemaFromTableMap(const TableMap& map) {
  if (!map.has_names) {
    return Status::InvalidArgument(fmt::format(
        "the binlog's table map for {}.{} has no column names: set binlog_row_metadata=FULL on "
        "the source server",
        map.database, map.table));
  }
  std::vector<ColumnSchema> columns;
  for (const TableMapColumn& source : map.columns) {
    ColumnSchema column;
    column.name = source.name;
    column.nullable = source.nullable;
    column.is_unsigned = source.is_unsigned;
    std::string collation(CollationNameById(source.collation_id));
    bool binary = source.collation_id == 63;
    auto text = [&](ColumnType type, ColumnType binary_type) {
      column.type = binary ? binary_type : type;
      if (!binary) column.collation = collation;
    };
    switch (source.type) {
      case BinlogType::kTiny: column.type = ColumnType::kTinyInt; break;
      case BinlogType::kShort: column.type = ColumnType::kSmallInt; break;
      case BinlogType::kInt24: column.type = ColumnType::kMediumInt; break;
      case BinlogType::kLong: column.type = ColumnType::kInt; break;
      case BinlogType::kLongLong: column.type = ColumnType::kBigInt; break;
      case BinlogType::kFloat: column.type = ColumnType::kFloat; break;
      case BinlogType::kDouble: column.type = ColumnType::kDouble; break;
      case BinlogType::kNewDecimal:
        column.type = ColumnType::kDecimal;
        column.precision = static_cast<uint8_t>(source.meta >> 8);
        column.scale = static_cast<uint8_t>(source.meta & 0xFF);
        break;
      case BinlogType::kBit:
        column.type = ColumnType::kBit;
        column.length = source.meta;
        break;
      case BinlogType::kYear: column.type = ColumnType::kYear; break;
      case BinlogType::kDate:
      case BinlogType::kNewDate: column.type = ColumnType::kDate; break;
      case BinlogType::kTime:
      case BinlogType::kTime2:
        column.type = ColumnType::kTime;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kTime2 ? source.meta : 0);
        break;
      case BinlogType::kDateTime:
      case BinlogType::kDateTime2:
        column.type = ColumnType::kDateTime;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kDateTime2 ? source.meta : 0);
        break;
      case BinlogType::kTimestamp:
      case BinlogType::kTimestamp2:
        column.type = ColumnType::kTimestamp;
        column.fsp = static_cast<uint8_t>(source.type == BinlogType::kTimestamp2 ? source.meta : 0);
        break;
      case BinlogType::kVarchar:
      case BinlogType::kVarString:
        text(ColumnType::kVarChar, ColumnType::kVarBinary);
        column.length = binary ? source.meta : source.meta / MaxBytesPerChar(collation);
        break;
      case BinlogType::kString: {
        BinlogType real;
        uint32_t length;
        UnpackString(source.meta, real, length);
        if (real == BinlogType::kEnum || real == BinlogType::kSet) {
          column.type = real == BinlogType::kEnum ? ColumnType::kEnum : ColumnType::kSet;
          column.labels = source.labels;
          column.collation = collation;
        } else {
          text(ColumnType::kChar, ColumnType::kBinary);
          column.length = binary ? length : length / MaxBytesPerChar(collation);
        }
        break;
      }
      case BinlogType::kTinyBlob:
      case BinlogType::kMediumBlob:
      case BinlogType::kLongBlob:
      case BinlogType::kBlob: {
        static constexpr ColumnType kText[] = {ColumnType::kTinyText, ColumnType::kText,
                                               ColumnType::kMediumText, ColumnType::kLongText};
        static constexpr ColumnType kBlob[] = {ColumnType::kTinyBlob, ColumnType::kBlob,
                                               ColumnType::kMediumBlob, ColumnType::kLongBlob};
        size_t size = std::clamp<size_t>(source.meta, 1, 4) - 1;
        text(kText[size], kBlob[size]);
        break;
      }
      case BinlogType::kGeometry: column.type = ColumnType::kGeometry; break;
      case BinlogType::kJson: column.type = ColumnType::kJson; break;
      default:
        return Status::InvalidArgument(
            fmt::format("column {} of {}.{} has binlog type {}, which a "
                        "row image cannot carry",
                        source.name, map.database, map.table, static_cast<int>(source.type)));
    }
    columns.push_back(std::move(column));
  }
  return TableSchema::Make(TableId{map.database, map.table}, std::move(columns), map.primary_key);
}

bool SameTableMap(const TableMap& a, const TableMap& b) {
  return SameMapImpl(a, b);
}

}  // namespace cdc
