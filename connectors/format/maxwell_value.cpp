#include "connectors/format/maxwell_value.h"

#include <vector>

#include "connectors/format/json_value_text.h"
#include "schema/collation.h"

namespace cdc {
namespace {

void GeometryBytes(const Value& value, std::string& out) {
  const uint32_t srid = value.srid();
  for (int i = 0; i < 4; ++i) out.push_back(static_cast<char>(srid >> (8 * i) & 0xFF));
  out.append(value.bytes());
}

bool IsNumber(const JsonNode& node) {
  return node.type == JsonNode::Type::kNumber;
}
bool IsString(const JsonNode& node) {
  return node.type == JsonNode::Type::kString;
}

}  // namespace

void AppendMaxwellValue(const Value& value, const ColumnSchema& column, std::string& scratch,
                        std::string& out) {
  using namespace json_text;
  switch (value.kind()) {
    case ValueKind::kNull: out += "null"; return;
    case ValueKind::kInt: AppendInt(value.int_value(), out); return;
    case ValueKind::kUInt: AppendUInt(value.uint_value(), out); return;
    case ValueKind::kFloat: AppendJavaFloat(value.float_value(), out); return;
    case ValueKind::kDouble: AppendJavaDouble(value.double_value(), out); return;
    case ValueKind::kDecimal: AppendBigDecimal(value.bytes(), out); return;
    case ValueKind::kBit: AppendUInt(value.bits(), out); return;
    case ValueKind::kYear: AppendUInt(value.year(), out); return;
    case ValueKind::kJson: out.append(value.bytes()); return;
    case ValueKind::kSet: {
      out.push_back('[');
      std::string_view labels = value.bytes();
      for (bool first = true; !labels.empty(); first = false) {
        const size_t comma = labels.find(',');
        if (!first) out.push_back(',');
        AppendJacksonString(labels.substr(0, comma), out);
        labels = comma == std::string_view::npos ? std::string_view() : labels.substr(comma + 1);
      }
      out.push_back(']');
      return;
    }
    default: break;
  }
  scratch.clear();
  switch (value.kind()) {
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
    case ValueKind::kBytes: AppendBase64(value.bytes(), scratch); break;
    case ValueKind::kEnum: scratch.append(value.bytes()); break;
    case ValueKind::kGeometry: {
      std::string raw;
      GeometryBytes(value, raw);
      AppendBase64(raw, scratch);
      break;
    }
    default: break;
  }
  AppendJacksonString(scratch, out);
}

std::optional<Value> ReadMaxwellValue(const JsonNode& node, const ColumnSchema& column) {
  using namespace json_text;
  if (node.is_null()) return Value::Null();
  switch (column.value_kind()) {
    case ValueKind::kNull: return std::nullopt;
    case ValueKind::kInt: {
      auto v = IsNumber(node) ? ReadInt(node.text) : std::nullopt;
      if (!v || !IntFits(column, *v)) return std::nullopt;
      return Value::Int(*v);
    }
    case ValueKind::kUInt: {
      auto v = IsNumber(node) ? ReadUInt(node.text) : std::nullopt;
      if (!v || !UIntFits(column, *v)) return std::nullopt;
      return Value::UInt(*v);
    }
    case ValueKind::kFloat: {
      auto v = IsNumber(node) ? ReadFloat(node.text) : std::nullopt;
      return v ? std::optional(Value::Float(*v)) : std::nullopt;
    }
    case ValueKind::kDouble: {
      auto v = IsNumber(node) ? ReadDouble(node.text) : std::nullopt;
      return v ? std::optional(Value::Double(*v)) : std::nullopt;
    }
    case ValueKind::kDecimal: {
      auto v = IsNumber(node) ? ReadDecimal(node.text, column) : std::nullopt;
      return v ? std::optional(Value::Decimal(*v)) : std::nullopt;
    }
    case ValueKind::kBit: {
      std::optional<uint64_t> v;
      if (node.type == JsonNode::Type::kBool) v = node.boolean ? 1 : 0;
      if (IsNumber(node)) v = ReadUInt(node.text);
      const uint8_t width = BitWidth(column);
      if (!v || (width < 64 && (*v >> width) != 0)) return std::nullopt;
      return Value::Bit(*v, width);
    }
    case ValueKind::kYear: {
      auto v = IsNumber(node) ? ReadUInt(node.text) : std::nullopt;
      if (!v || (*v != 0 && (*v < 1901 || *v > 2155))) return std::nullopt;
      return Value::Year(static_cast<uint16_t>(*v));
    }
    case ValueKind::kJson: {
      std::string text;
      AppendMysqlJsonText(node, text);
      return Value::Json(text);
    }
    case ValueKind::kSet: {
      if (node.type != JsonNode::Type::kArray) return std::nullopt;
      std::vector<std::string_view> labels;
      for (const JsonNode& item : node.items) {
        if (!IsString(item)) return std::nullopt;
        labels.push_back(item.text);
      }
      return SetByLabels(column, labels);
    }
    default: break;
  }
  if (!IsString(node)) return std::nullopt;
  const std::string& text = node.text;
  switch (column.value_kind()) {
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
      auto bytes = ReadBase64(text);
      return bytes ? std::optional(Value::Bytes(*bytes)) : std::nullopt;
    }
    case ValueKind::kEnum: return EnumByLabel(column, text);
    case ValueKind::kGeometry: {
      auto bytes = ReadBase64(text);
      if (!bytes || bytes->size() < 4) return std::nullopt;
      uint32_t srid = 0;
      for (int i = 0; i < 4; ++i) srid |= uint32_t{static_cast<uint8_t>((*bytes)[i])} << (8 * i);
      return Value::Geometry(srid, std::string_view(*bytes).substr(4));
    }
    default: return std::nullopt;
  }
}

}  // namespace cdc
