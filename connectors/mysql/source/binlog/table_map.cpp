#include "connectors/mysql/source/binlog/table_map.h"

#include <fmt/format.h>

#include "connectors/mysql/source/binlog/byte_reader.h"

namespace cdc {
namespace {

enum OptionalMetadata : uint8_t {
  kSignedness = 1,
  kDefaultCharset = 2,
  kColumnCharset = 3,
  kColumnName = 4,
  kSetValues = 5,
  kEnumValues = 6,
  kGeometryType = 7,
  kSimplePrimaryKey = 8,
  kPrimaryKeyWithPrefix = 9,
  kEnumSetDefaultCharset = 10,
  kEnumSetColumnCharset = 11,
};

size_t MetadataBytes(BinlogType type) {
  switch (type) {
    case BinlogType::kFloat:
    case BinlogType::kDouble:
    case BinlogType::kTinyBlob:
    case BinlogType::kMediumBlob:
    case BinlogType::kLongBlob:
    case BinlogType::kBlob:
    case BinlogType::kGeometry:
    case BinlogType::kJson:
    case BinlogType::kTime2:
    case BinlogType::kDateTime2:
    case BinlogType::kTimestamp2: return 1;
    case BinlogType::kVarchar:
    case BinlogType::kVarString:
    case BinlogType::kBit:
    case BinlogType::kNewDecimal:
    case BinlogType::kString:
    case BinlogType::kEnum:
    case BinlogType::kSet: return 2;
    default: return 0;
  }
}

bool IsNumeric(BinlogType type) {
  switch (type) {
    case BinlogType::kTiny:
    case BinlogType::kShort:
    case BinlogType::kInt24:
    case BinlogType::kLong:
    case BinlogType::kLongLong:
    case BinlogType::kFloat:
    case BinlogType::kDouble:
    case BinlogType::kNewDecimal:
    case BinlogType::kDecimal:
    case BinlogType::kYear: return true;
    default: return false;
  }
}

BinlogType RealType(const TableMapColumn& column) {
  if (column.type != BinlogType::kString) return column.type;
  BinlogType real;
  uint32_t length;
  UnpackString(column.meta, real, length);
  return real;
}

bool IsEnumOrSet(const TableMapColumn& column) {
  BinlogType real = RealType(column);
  return real == BinlogType::kEnum || real == BinlogType::kSet;
}

// Columns whose values carry a character set (the charset metadata lists them in order).
bool IsCharacter(const TableMapColumn& column) {
  switch (column.type) {
    case BinlogType::kVarchar:
    case BinlogType::kVarString:
    case BinlogType::kBlob:
    case BinlogType::kTinyBlob:
    case BinlogType::kMediumBlob:
    case BinlogType::kLongBlob: return true;
    case BinlogType::kString: return !IsEnumOrSet(column);
    default: return false;
  }
}

// Collations for the columns that `selects`: either a default with exceptions, or one each.
void ReadCollations(ByteReader& in, bool per_column, std::vector<TableMapColumn>& columns,
                    bool (*selects)(const TableMapColumn&)) {
  std::vector<TableMapColumn*> selected;
  for (TableMapColumn& column : columns) {
    if (selects(column)) selected.push_back(&column);
  }
  if (per_column) {
    for (TableMapColumn* column : selected)
      column->collation_id = static_cast<uint16_t>(in.Packed());
    return;
  }
  auto fallback = static_cast<uint16_t>(in.Packed());
  for (TableMapColumn* column : selected) column->collation_id = fallback;
  while (in.remaining() > 0 && !in.overrun()) {
    uint64_t index = in.Packed();
    auto collation = static_cast<uint16_t>(in.Packed());
    if (index < selected.size()) selected[index]->collation_id = collation;
  }
}

void ReadLabels(ByteReader& in, std::vector<TableMapColumn>& columns, BinlogType which) {
  for (TableMapColumn& column : columns) {
    if (RealType(column) != which) continue;
    uint64_t count = in.Packed();
    for (uint64_t i = 0; i < count && !in.overrun(); ++i) {
      column.labels.emplace_back(in.Bytes(in.Packed()));
    }
  }
}

}  // namespace

Result<TableMap> ParseTableMap(std::string_view body) {
  ByteReader in(body);
  TableMap map;
  map.table_id = in.LittleEndian(6);
  in.LittleEndian(2);  // flags
  map.database = std::string(in.Bytes(in.U8()));
  in.U8();  // NUL
  map.table = std::string(in.Bytes(in.U8()));
  in.U8();  // NUL
  uint64_t count = in.Packed();
  if (in.overrun() || count == 0 || count > 4096) {  // a table has 1..4096 columns
    return Status::InvalidArgument("malformed TABLE_MAP event: bad header or column count");
  }
  map.columns.resize(count);
  for (TableMapColumn& column : map.columns) column.type = static_cast<BinlogType>(in.U8());
  uint64_t metadata_length = in.Packed();
  ByteReader metadata(in.Bytes(metadata_length));
  for (TableMapColumn& column : map.columns) {
    switch (MetadataBytes(column.type)) {
      case 1: column.meta = metadata.U8(); break;
      case 2:
        if (column.type == BinlogType::kVarchar || column.type == BinlogType::kVarString) {
          column.meta = static_cast<uint16_t>(metadata.LittleEndian(2));
        } else if (column.type == BinlogType::kBit) {
          uint8_t rest = metadata.U8();
          uint8_t bytes = metadata.U8();
          column.meta = static_cast<uint16_t>(bytes * 8 + rest);
        } else {  // [precision, scale] or [real type, length]: first byte high
          column.meta = static_cast<uint16_t>(metadata.BigEndian(2));
        }
        break;
      default: break;
    }
  }
  std::string_view nullable = in.Bytes((count + 7) / 8);
  if (in.overrun() || metadata.overrun()) {
    return Status::InvalidArgument(
        fmt::format("malformed TABLE_MAP event for {}.{}", map.database, map.table));
  }
  for (size_t i = 0; i < count; ++i) {
    map.columns[i].nullable = (static_cast<uint8_t>(nullable[i / 8]) >> (i % 8)) & 1;
  }
  while (in.remaining() > 0) {
    uint8_t type = in.U8();
    ByteReader field(in.Bytes(in.Packed()));
    switch (type) {
      case kSignedness: {
        size_t numeric = 0;
        uint8_t bits = 0;
        for (TableMapColumn& column : map.columns) {
          if (!IsNumeric(column.type)) continue;
          if (numeric % 8 == 0) bits = field.U8();
          column.is_unsigned = (bits >> (7 - numeric % 8)) & 1;  // most significant bit first
          ++numeric;
        }
        break;
      }
      case kDefaultCharset: ReadCollations(field, false, map.columns, IsCharacter); break;
      case kColumnCharset: ReadCollations(field, true, map.columns, IsCharacter); break;
      case kEnumSetDefaultCharset: ReadCollations(field, false, map.columns, IsEnumOrSet); break;
      case kEnumSetColumnCharset: ReadCollations(field, true, map.columns, IsEnumOrSet); break;
      case kColumnName:
        for (TableMapColumn& column : map.columns)
          column.name = std::string(field.Bytes(field.Packed()));
        map.has_names = true;
        break;
      case kSetValues: ReadLabels(field, map.columns, BinlogType::kSet); break;
      case kEnumValues: ReadLabels(field, map.columns, BinlogType::kEnum); break;
      case kSimplePrimaryKey:
        while (field.remaining() > 0 && !field.overrun()) map.primary_key.push_back(field.Packed());
        break;
      case kPrimaryKeyWithPrefix:
        while (field.remaining() > 0 && !field.overrun()) {
          map.primary_key.push_back(field.Packed());
          field.Packed();  // prefix length
        }
        break;
      default: break;  // geometry type and later additions are not needed to decode values
    }
    if (in.overrun()) {
      return Status::InvalidArgument(fmt::format(
          "malformed optional metadata in the TABLE_MAP event for {}.{}", map.database, map.table));
    }
  }
  return map;
}

}  // namespace cdc
