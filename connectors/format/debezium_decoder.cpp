#include "connectors/format/debezium_decoder.h"

#include <charconv>
#include <cmath>
#include <optional>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "connectors/format/debezium_value.h"
#include "schema/civil_date.h"
#include "schema/collation.h"

namespace cdc {
namespace {

using Json = nlohmann::json;

constexpr int64_t kMicrosPerDay = 86'400'000'000;

Status Bad(const TableSchema& table, const ColumnSchema& column, const Json& value,
           std::string_view why) {
  return Status::InvalidArgument(fmt::format("debezium: {}.{}: cannot read {} as {}: {}",
                                             table.id().ToString(), column.name,
                                             value.dump().substr(0, 80), column.SqlType(), why));
}

std::string ParameterOf(const Json& field, const char* name) {
  auto parameters = field.find("parameters");
  if (parameters == field.end() || !parameters->is_object()) return "";
  auto it = parameters->find(name);
  return it != parameters->end() && it->is_string() ? it->get<std::string>() : "";
}

std::string NameOf(const Json& field) {
  auto it = field.find("name");
  return it != field.end() && it->is_string() ? it->get<std::string>() : "";
}

std::optional<int64_t> IntegerOf(const Json& value) {
  if (value.is_number_integer()) return value.get<int64_t>();
  return std::nullopt;
}

DateValue DateFromDays(int64_t days) {
  const CivilDate civil = CivilFromDays(days);
  return DateValue{static_cast<uint16_t>(civil.year), static_cast<uint8_t>(civil.month),
                   static_cast<uint8_t>(civil.day)};
}

TimeValue TimeFromMicros(int64_t micros) {
  TimeValue time;
  time.negative = micros < 0;
  uint64_t magnitude = micros < 0 ? static_cast<uint64_t>(-micros) : static_cast<uint64_t>(micros);
  time.micros = static_cast<uint32_t>(magnitude % 1'000'000);
  magnitude /= 1'000'000;
  time.seconds = static_cast<uint8_t>(magnitude % 60);
  time.minutes = static_cast<uint8_t>(magnitude / 60 % 60);
  time.hours = static_cast<uint16_t>(magnitude / 3600);
  return time;
}

DateTimeValue DateTimeFromMicros(int64_t micros) {
  int64_t days = micros / kMicrosPerDay;
  int64_t rest = micros % kMicrosPerDay;
  if (rest < 0) {
    rest += kMicrosPerDay;
    --days;
  }
  DateTimeValue value;
  value.date = DateFromDays(days);
  value.micros = static_cast<uint32_t>(rest % 1'000'000);
  rest /= 1'000'000;
  value.second = static_cast<uint8_t>(rest % 60);
  value.minute = static_cast<uint8_t>(rest / 60 % 60);
  value.hour = static_cast<uint8_t>(rest / 3600);
  return value;
}

template <typename T>
bool Digits(std::string_view text, size_t at, size_t count, T& out) {
  if (at + count > text.size()) return false;
  auto [end, error] = std::from_chars(text.data() + at, text.data() + at + count, out);
  return error == std::errc() && end == text.data() + at + count;
}

// "2038-01-19T03:14:07.999999Z" (any number of fraction digits up to 9, or none).
std::optional<TimestampValue> ParseZonedTimestamp(std::string_view text) {
  int64_t year, hour, minute, second;
  unsigned month, day;
  if (text.size() < 20 || text[4] != '-' || text[7] != '-' || text[10] != 'T' || text[13] != ':' ||
      text[16] != ':' || text.back() != 'Z' || !Digits(text, 0, 4, year) ||
      !Digits(text, 5, 2, month) || !Digits(text, 8, 2, day) || !Digits(text, 11, 2, hour) ||
      !Digits(text, 14, 2, minute) || !Digits(text, 17, 2, second) || month < 1 || month > 12) {
    return std::nullopt;
  }
  uint32_t micros = 0;
  if (text.size() > 20) {
    if (text[19] != '.') return std::nullopt;
    const size_t digits = text.size() - 21;
    if (digits == 0 || digits > 9) return std::nullopt;
    uint64_t fraction;
    if (!Digits(text, 20, digits, fraction)) return std::nullopt;
    for (size_t i = digits; i < 6; ++i) fraction *= 10;
    for (size_t i = 6; i < digits; ++i) fraction /= 10;
    micros = static_cast<uint32_t>(fraction);
  }
  const int64_t seconds =
      DaysFromCivil(year, month, day) * 86400 + hour * 3600 + minute * 60 + second;
  return TimestampValue{seconds, micros};
}

Result<Value> DecodeValue(const TableSchema& table, const ColumnSchema& column, const Json& field,
                          const Json& value, const DebeziumOptions& options) {
  if (value.is_null()) return Value::Null();
  const std::string name = NameOf(field);
  const std::string type = field.value("type", "");
  switch (column.value_kind()) {
    case ValueKind::kNull: break;
    case ValueKind::kInt: {
      auto n = IntegerOf(value);
      if (!n) return Bad(table, column, value, "not an integer");
      return Value::Int(*n);
    }
    case ValueKind::kUInt: {
      if (name == "org.apache.kafka.connect.data.Decimal" && value.is_string()) {
        std::string bytes, text;
        if (!DecodeBase64(value.get<std::string>(), bytes) ||
            !DecimalTextFromUnscaled(bytes, 0, text)) {
          return Bad(table, column, value, "not a Decimal's base64 bytes");
        }
        uint64_t n;
        if (!Digits(text, 0, text.size(), n)) return Bad(table, column, value, "out of range");
        return Value::UInt(n);
      }
      if (value.is_number_unsigned()) return Value::UInt(value.get<uint64_t>());
      auto n = IntegerOf(value);
      if (!n) return Bad(table, column, value, "not an integer");
      return Value::UInt(static_cast<uint64_t>(*n));  // bigint.unsigned.handling.mode long
    }
    case ValueKind::kFloat:
      if (!value.is_number()) return Bad(table, column, value, "not a number");
      return Value::Float(static_cast<float>(value.get<double>()));
    case ValueKind::kDouble:
      if (!value.is_number()) return Bad(table, column, value, "not a number");
      return Value::Double(value.get<double>());
    case ValueKind::kDecimal: {
      std::string text;
      if (name == "org.apache.kafka.connect.data.Decimal" && value.is_string()) {
        std::string bytes;
        int scale = 0;
        const std::string scale_text = ParameterOf(field, "scale");
        if (!Digits(scale_text, 0, scale_text.size(), scale) ||
            !DecodeBase64(value.get<std::string>(), bytes) ||
            !DecimalTextFromUnscaled(bytes, scale, text)) {
          return Bad(table, column, value, "not a Decimal's base64 bytes with a scale");
        }
      } else if (value.is_string()) {
        text = value.get<std::string>();
      } else if (value.is_number()) {  // decimal.handling.mode double: rounded
        text = fmt::format("{:.{}f}", value.get<double>(), column.scale);
      }
      if (!IsDecimalText(text)) return Bad(table, column, value, "not a decimal");
      return Value::Decimal(text);
    }
    case ValueKind::kBit: {
      const auto width = static_cast<uint8_t>(column.length == 0 ? 1 : column.length);
      if (value.is_boolean()) return Value::Bit(value.get<bool>() ? 1 : 0, width);
      std::string bytes;
      if (!value.is_string() || !DecodeBase64(value.get<std::string>(), bytes) ||
          bytes.size() > 8) {
        return Bad(table, column, value, "not io.debezium.data.Bits bytes");
      }
      uint64_t bits = 0;
      for (size_t i = 0; i < bytes.size(); ++i) {
        bits |= uint64_t{static_cast<uint8_t>(bytes[i])} << (8 * i);
      }
      return Value::Bit(bits, width);
    }
    case ValueKind::kYear: {
      auto n = IntegerOf(value);
      if (!n || *n < 0 || *n > 2155) return Bad(table, column, value, "not a year");
      return Value::Year(static_cast<uint16_t>(*n == 1900 ? 0 : *n));
    }
    case ValueKind::kDate: {
      auto n = IntegerOf(value);
      if (!n) return Bad(table, column, value, "not a day number");
      return Value::Date(DateFromDays(*n));
    }
    case ValueKind::kTime: {
      auto n = IntegerOf(value);
      if (!n) return Bad(table, column, value, "not a time");
      const bool millis = name == "org.apache.kafka.connect.data.Time";
      return Value::Time(TimeFromMicros(millis ? *n * 1000 : *n), column.fsp);
    }
    case ValueKind::kDateTime: {
      auto n = IntegerOf(value);
      if (!n) return Bad(table, column, value, "not a timestamp");
      const bool micros = name == "io.debezium.time.MicroTimestamp";
      return Value::DateTime(DateTimeFromMicros(micros ? *n : *n * 1000), column.fsp);
    }
    case ValueKind::kTimestamp: {
      if (!value.is_string()) return Bad(table, column, value, "not an ISO-8601 timestamp");
      auto parsed = ParseZonedTimestamp(value.get<std::string>());
      if (!parsed) return Bad(table, column, value, "not an ISO-8601 UTC timestamp");
      return Value::Timestamp(*parsed, column.fsp);
    }
    case ValueKind::kString:
    case ValueKind::kEnum:
    case ValueKind::kSet: {
      std::string text;
      if (!value.is_string() || !TextFromUtf8(column, value.get<std::string>(), text)) {
        return Bad(table, column, value, "not text in the column's character set");
      }
      if (column.value_kind() == ValueKind::kString) {
        return Value::String(text, CollationIdByName(column.collation));
      }
      if (column.value_kind() == ValueKind::kEnum) {
        if (text.empty()) return Value::Enum(0, "");
        for (size_t i = 0; i < column.labels.size(); ++i) {
          if (column.labels[i] == text) return Value::Enum(static_cast<uint16_t>(i + 1), text);
        }
        return Bad(table, column, value, "not one of the ENUM's labels");
      }
      uint64_t members = 0;
      std::string_view rest = text;
      while (!rest.empty()) {
        const size_t comma = rest.find(',');
        const std::string_view label = rest.substr(0, comma);
        bool found = false;
        for (size_t i = 0; i < column.labels.size() && !found; ++i) {
          if (column.labels[i] == label) {
            members |= uint64_t{1} << i;
            found = true;
          }
        }
        if (!found) return Bad(table, column, value, "not a set of the SET's labels");
        rest = comma == std::string_view::npos ? std::string_view() : rest.substr(comma + 1);
      }
      return Value::Set(members, text);
    }
    case ValueKind::kBytes: {
      if (!value.is_string()) return Bad(table, column, value, "not bytes");
      const std::string text = value.get<std::string>();
      std::string bytes;
      if (options.binary_mode == DebeziumBinaryMode::kHex) {
        if (text.size() % 2 != 0) return Bad(table, column, value, "not hex");
        for (size_t i = 0; i < text.size(); i += 2) {
          uint8_t byte;
          auto [end, error] = std::from_chars(text.data() + i, text.data() + i + 2, byte, 16);
          if (error != std::errc() || end != text.data() + i + 2) {
            return Bad(table, column, value, "not hex");
          }
          bytes.push_back(static_cast<char>(byte));
        }
      } else if (!DecodeBase64(text, bytes)) {
        return Bad(table, column, value, "not base64");
      }
      return Value::Bytes(bytes);
    }
    case ValueKind::kJson:
      if (!value.is_string()) return Bad(table, column, value, "not JSON text");
      return Value::Json(value.get<std::string>());
    case ValueKind::kGeometry: {
      std::string wkb;
      if (!value.is_object() || !value.contains("wkb") || !value["wkb"].is_string() ||
          !DecodeBase64(value["wkb"].get<std::string>(), wkb)) {
        return Bad(table, column, value, "not a Geometry struct {wkb, srid}");
      }
      const Json& srid = value.contains("srid") ? value["srid"] : Json();
      return Value::Geometry(srid.is_number_integer() ? srid.get<uint32_t>() : 0, wkb);
    }
  }
  return Bad(table, column, value, "no decoding for this type");
}

Result<Row> DecodeRow(const TableSchema& table, const Json& fields, const Json& image,
                      const DebeziumOptions& options) {
  if (!image.is_object()) {
    return Status::InvalidArgument(
        fmt::format("debezium: a row image of {} is not an object", table.id().ToString()));
  }
  Row row;
  row.reserve(table.columns().size());
  for (const ColumnSchema& column : table.columns()) {
    const Json* field = nullptr;
    for (const Json& candidate : fields) {
      if (candidate.value("field", "") == column.name) field = &candidate;
    }
    auto value = image.find(column.name);
    if (field == nullptr || value == image.end()) {
      return Status::InvalidArgument(
          fmt::format("debezium: the message has no column {} of {}; the lookup's schema is "
                      "not the message's",
                      column.name, table.id().ToString()));
    }
    auto decoded = DecodeValue(table, column, *field, *value, options);
    if (!decoded.ok()) return decoded.status();
    row.push_back(std::move(decoded).value());
  }
  return row;
}

const Json* FieldSchema(const Json& schema, const char* name) {
  auto fields = schema.find("fields");
  if (fields == schema.end() || !fields->is_array()) return nullptr;
  for (const Json& field : *fields) {
    if (field.value("field", "") == name) return &field;
  }
  return nullptr;
}

}  // namespace

Result<DecodedChange> DebeziumDecoder::Decode(std::string_view /*key*/,
                                              std::string_view value) const {
  if (value.empty()) {
    return Status::InvalidArgument(
        "debezium: the message is a tombstone (null value after a delete), not a change; skip "
        "it (DebeziumDecoder::IsTombstone)");
  }
  Json message = Json::parse(value, nullptr, /*allow_exceptions=*/false);
  if (message.is_discarded() || !message.is_object()) {
    return Status::InvalidArgument(
        fmt::format("debezium: the message is not a JSON object: {}", value.substr(0, 80)));
  }
  auto schema = message.find("schema");
  auto payload = message.find("payload");
  if (schema == message.end() || payload == message.end() || !schema->is_object() ||
      !payload->is_object()) {
    return Status::InvalidArgument(
        "debezium: the message has no schema block (JsonConverter schemas.enable=false); DECIMAL "
        "and temporal values cannot be decoded exactly without it: write the messages with "
        "include_schema (schemas.enable=true)");
  }
  DecodedChange decoded;
  const Json& body = *payload;
  if (body.contains("ddl")) {  // the schema-change topic
    TableId id;
    id.database = body.value("databaseName", "");
    const Json& changes = body.contains("tableChanges") ? body["tableChanges"] : Json();
    if (changes.is_array() && !changes.empty()) {
      std::string quoted = changes[0].value("id", "");  // "db"."t"
      const size_t dot = quoted.find("\".\"");
      if (dot != std::string::npos && quoted.size() >= dot + 4) {
        id.table = quoted.substr(dot + 3, quoted.size() - dot - 4);
      }
    }
    decoded.table = lookup_(id);
    if (decoded.table == nullptr) {
      return Status::InvalidArgument(fmt::format(
          "debezium: a schema change of {}, which the lookup does not know", id.ToString()));
    }
    auto change = std::make_shared<SchemaChange>();
    const std::string type =
        changes.is_array() && !changes.empty() ? changes[0].value("type", "") : "";
    change->kind = type == "CREATE" ? SchemaChangeKind::kCreateTable
                   : type == "DROP" ? SchemaChangeKind::kDropTable
                                    : SchemaChangeKind::kAlterTable;
    change->statement = body.value("ddl", "");
    decoded.change.kind = ChangeKind::kSchemaChange;
    decoded.change.schema_change = std::move(change);
  } else {
    const Json& source = body.contains("source") ? body["source"] : Json();
    if (!source.is_object()) {
      return Status::InvalidArgument("debezium: the message has no source block");
    }
    TableId id{source.value("db", ""), source.value("table", "")};
    decoded.table = lookup_(id);
    if (decoded.table == nullptr) {
      return Status::InvalidArgument(
          fmt::format("debezium: a change of {}, which the lookup does not know", id.ToString()));
    }
    const std::string op = body.value("op", "");
    RowChange& change = decoded.change;
    if (op == "c" || op == "r") {
      change.kind = ChangeKind::kInsert;
    } else if (op == "u") {
      change.kind = ChangeKind::kUpdate;
    } else if (op == "d") {
      change.kind = ChangeKind::kDelete;
    } else if (op == "t") {
      change.kind = ChangeKind::kTruncate;
    } else {
      return Status::InvalidArgument(fmt::format(
          "debezium: op '{}' of a change of {} is not c, r, u, d or t", op, id.ToString()));
    }
    for (const char* image : {"before", "after"}) {
      const Json* field = FieldSchema(*schema, image);
      const Json& data = body.contains(image) ? body[image] : Json();
      if (data.is_null()) continue;
      if (field == nullptr || !field->contains("fields")) {
        return Status::InvalidArgument(fmt::format(
            "debezium: the schema block of a change of {} has no {} fields", id.ToString(), image));
      }
      auto row = DecodeRow(*decoded.table, (*field)["fields"], data, options_);
      if (!row.ok()) return row.status();
      (image[0] == 'b' ? change.before : change.after) = std::move(row).value();
    }
    change.position.file = SourceFileName(source.value("file", ""));
    change.position.offset = source.value("pos", uint64_t{0});
    const Json& gtid = source.contains("gtid") ? source["gtid"] : Json();
    if (gtid.is_string()) change.position.gtid = SourceGtid(gtid.get<std::string>());
    change.position.server_id = source.value("server_id", uint32_t{0});
    change.position.index = op == "r" ? 0 : source.value("row", uint32_t{0}) + 1;
    change.commit_time_us = source.value("ts_us", int64_t{0});
  }
  decoded.change.table = decoded.table.get();
  return decoded;
}

}  // namespace cdc
