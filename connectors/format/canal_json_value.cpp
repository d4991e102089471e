#include "connectors/format/canal_json_value.h"

#include <cstring>
#include <vector>

#include "connectors/format/json_value_text.h"
#include "schema/collation.h"

namespace cdc {
namespace {

// java.sql.Types codes (JDK 8).
constexpr int kBit = -7, kTinyInt = -6, kSmallInt = 5, kInteger = 4, kBigInt = -5, kReal = 7;
constexpr int kDouble = 8, kDecimal = 3, kChar = 1, kVarChar = 12, kDate = 91, kTime = 92;
constexpr int kTimestamp = 93, kBinary = -2, kBlob = 2004, kClob = 2005;

bool IsIntegerType(ColumnType type) {
  return type == ColumnType::kTinyInt || type == ColumnType::kSmallInt ||
         type == ColumnType::kMediumInt || type == ColumnType::kInt || type == ColumnType::kBigInt;
}

// Canal's GEOMETRY bytes: the SRID, 4 bytes little-endian, then the WKB.
void GeometryBytes(const Value& value, std::string& out) {
  const uint32_t srid = value.srid();
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(srid >> (8 * i) & 0xFF));
  out.append(value.bytes());
}

}  // namespace

void AppendCanalJsonValue(const Value& value, const ColumnSchema& column, std::string& scratch,
                          std::string& out) {
  using namespace json_text;
  scratch.clear();
  switch (value.kind()) {
    case ValueKind::kNull: out += "null"; return;
    case ValueKind::kInt: AppendInt(value.int_value(), scratch); break;
    case ValueKind::kUInt: AppendUInt(value.uint_value(), scratch); break;
    case ValueKind::kFloat: AppendPlainFloat(value.float_value(), scratch); break;
    case ValueKind::kDouble: AppendPlainDouble(value.double_value(), scratch); break;
    case ValueKind::kDecimal: scratch.append(value.bytes()); break;
    case ValueKind::kBit: AppendUInt(value.bits(), scratch); break;
    case ValueKind::kYear: AppendUInt(value.year(), scratch); break;
    case ValueKind::kDate: AppendDate(value.date(), scratch); break;
    case ValueKind::kTime: AppendTime(value.time(), value.fsp(), scratch); break;
    case ValueKind::kDateTime: AppendDateTime(value.datetime(), value.fsp(), scratch); break;
    case ValueKind::kTimestamp: AppendTimestampUtc(value.timestamp(), value.fsp(), scratch); break;
    case ValueKind::kString:
      if (IsLatin1Column(column)) {
        AppendLatin1AsUtf8(value.bytes(), scratch);
      } else {
        scratch.append(value.bytes());
      }
      break;
    case ValueKind::kBytes: AppendLatin1AsUtf8(value.bytes(), scratch); break;
    case ValueKind::kEnum: AppendUInt(value.enum_index(), scratch); break;
    case ValueKind::kSet: AppendUInt(value.set_members(), scratch); break;
    case ValueKind::kJson: scratch.append(value.bytes()); break;
    case ValueKind::kGeometry: {
      std::string raw;
      GeometryBytes(value, raw);
      AppendLatin1AsUtf8(raw, scratch);
      break;
    }
  }
  AppendGoJsonString(scratch, out);
}

int CanalJavaSqlType(const ColumnSchema& column, const Value& value) {
  switch (column.type) {
    case ColumnType::kTinyInt:
    case ColumnType::kSmallInt:
    case ColumnType::kMediumInt:
    case ColumnType::kInt:
    case ColumnType::kBigInt: {
      const bool promoted = column.is_unsigned && value.kind() == ValueKind::kUInt;
      const uint64_t v = promoted ? value.uint_value() : 0;
      switch (column.type) {
        case ColumnType::kTinyInt: return v > 127 ? kSmallInt : kTinyInt;
        case ColumnType::kSmallInt: return v > 32767 ? kInteger : kSmallInt;
        case ColumnType::kMediumInt: return kInteger;
        case ColumnType::kInt: return v > 2147483647u ? kBigInt : kInteger;
        default: return v > 9223372036854775807u ? kDecimal : kBigInt;
      }
    }
    case ColumnType::kFloat: return kReal;
    case ColumnType::kDouble: return kDouble;
    case ColumnType::kDecimal: return kDecimal;
    case ColumnType::kBit: return kBit;
    case ColumnType::kYear: return kVarChar;
    case ColumnType::kDate: return kDate;
    case ColumnType::kTime: return kTime;
    case ColumnType::kDateTime:
    case ColumnType::kTimestamp: return kTimestamp;
    case ColumnType::kChar: return kChar;
    case ColumnType::kVarChar: return kVarChar;
    case ColumnType::kTinyText:
    case ColumnType::kText:
    case ColumnType::kMediumText:
    case ColumnType::kLongText: return kClob;
    case ColumnType::kBinary:
    case ColumnType::kVarBinary:
    case ColumnType::kTinyBlob:
    case ColumnType::kBlob:
    case ColumnType::kMediumBlob:
    case ColumnType::kLongBlob: return kBlob;
    case ColumnType::kEnum: return kInteger;
    case ColumnType::kSet: return kBit;
    case ColumnType::kJson: return kVarChar;
    case ColumnType::kGeometry: return kBinary;
  }
  return kVarChar;
}

void AppendCanalMysqlType(const ColumnSchema& column, std::string& out) {
  out += ColumnTypeName(column.type);
  const bool numeric = IsIntegerType(column.type) || column.type == ColumnType::kFloat ||
                       column.type == ColumnType::kDouble || column.type == ColumnType::kDecimal;
  if (numeric && column.is_unsigned) out += " unsigned";
}

std::optional<Value> ReadCanalJsonValue(std::string_view text, const ColumnSchema& column) {
  using namespace json_text;
  switch (column.value_kind()) {
    case ValueKind::kNull: return std::nullopt;
    case ValueKind::kInt: {
      auto v = ReadInt(text);
      if (!v || !IntFits(column, *v)) return std::nullopt;
      return Value::Int(*v);
    }
    case ValueKind::kUInt: {
      auto v = ReadUInt(text);
      if (!v || !UIntFits(column, *v)) return std::nullopt;
      return Value::UInt(*v);
    }
    case ValueKind::kFloat: {
      auto v = ReadFloat(text);
      return v ? std::optional(Value::Float(*v)) : std::nullopt;
    }
    case ValueKind::kDouble: {
      auto v = ReadDouble(text);
      return v ? std::optional(Value::Double(*v)) : std::nullopt;
    }
    case ValueKind::kDecimal: {
      auto v = ReadDecimal(text, column);
      return v ? std::optional(Value::Decimal(*v)) : std::nullopt;
    }
    case ValueKind::kBit: {
      auto v = ReadUInt(text);
      const uint8_t width = BitWidth(column);
      if (!v || (width < 64 && (*v >> width) != 0)) return std::nullopt;
      return Value::Bit(*v, width);
    }
    case ValueKind::kYear: {
      auto v = ReadUInt(text);
      if (!v || (*v != 0 && (*v < 1901 || *v > 2155))) return std::nullopt;
      return Value::Year(static_cast<uint16_t>(*v));
    }
    case ValueKind::kDate: {
      auto v = ReadDate(text);
      return v ? std::optional(Value::Date(*v)) : std::nullopt;
    }
    case ValueKind::kTime: {
      auto v = ReadTime(text);
      return v ? std::optional(Value::Time(*v, column.fsp)) : std::nullopt;
    }
    case ValueKind::kDateTime: {
      auto v = ReadDateTime(text);
      return v ? std::optional(Value::DateTime(*v, column.fsp)) : std::nullopt;
    }
    case ValueKind::kTimestamp: {
      auto v = ReadTimestampUtc(text);
      return v ? std::optional(Value::Timestamp(*v, column.fsp)) : std::nullopt;
    }
    case ValueKind::kString: {
      const uint16_t collation = CollationIdByName(column.collation);
      if (!IsLatin1Column(column)) return Value::String(text, collation);
      auto bytes = ReadUtf8AsLatin1(text);
      return bytes ? std::optional(Value::String(*bytes, collation)) : std::nullopt;
    }
    case ValueKind::kBytes: {
      auto bytes = ReadUtf8AsLatin1(text);
      return bytes ? std::optional(Value::Bytes(*bytes)) : std::nullopt;
    }
    case ValueKind::kEnum: {
      if (auto index = ReadUInt(text)) return EnumByIndex(column, *index);
      return EnumByLabel(column, text);
    }
    case ValueKind::kSet: {
      if (auto members = ReadUInt(text)) return SetByMembers(column, *members);
      std::vector<std::string_view> labels;
      for (std::string_view rest = text; !rest.empty();) {
        const size_t comma = rest.find(',');
        labels.push_back(rest.substr(0, comma));
        if (comma == std::string_view::npos) break;
        rest.remove_prefix(comma + 1);
        if (rest.empty()) return std::nullopt;  // "a,"
      }
      return SetByLabels(column, labels);
    }
    case ValueKind::kJson: return Value::Json(text);
    case ValueKind::kGeometry: {
      auto bytes = ReadUtf8AsLatin1(text);
      if (!bytes || bytes->size() < 4) return std::nullopt;
      uint32_t srid = 0;
      for (int i = 0; i < 4; ++i) srid |= uint32_t{static_cast<uint8_t>((*bytes)[i])} << (8 * i);
      return Value::Geometry(srid, std::string_view(*bytes).substr(4));
    }
  }
  return std::nullopt;
}

}  // namespace cdc
