#include "connectors/mysql/source/binlog/mysql_json_binary.h"

#include <fmt/format.h>
#include <bit>
#include <charconv>
#include <cmath>
#include <cstdint>
#include <iterator>

#include "connectors/mysql/source/binlog/binary_decimal.h"
#include "connectors/mysql/source/binlog/binlog_value_decoder.h"
#include "runtime/json_string.h"

namespace cdc {
namespace {

// Type bytes (json_binary.cc).
constexpr uint8_t kSmallObject = 0x00;
constexpr uint8_t kLargeObject = 0x01;
constexpr uint8_t kSmallArray = 0x02;
constexpr uint8_t kLargeArray = 0x03;
constexpr uint8_t kLiteral = 0x04;
constexpr uint8_t kInt16 = 0x05;
constexpr uint8_t kUInt16 = 0x06;
constexpr uint8_t kInt32 = 0x07;
constexpr uint8_t kUInt32 = 0x08;
constexpr uint8_t kInt64 = 0x09;
constexpr uint8_t kUInt64 = 0x0A;
constexpr uint8_t kDouble = 0x0B;
constexpr uint8_t kString = 0x0C;
constexpr uint8_t kOpaque = 0x0F;

constexpr int kMaxDepth = 100;  // JSON_DOCUMENT_MAX_DEPTH (json_syntax_check.cc)
// Text bytes allowed per input byte. The densest value MySQL writes, a string of control
// characters, prints 6 per byte; more means entries share their values (a corrupt document
// whose text would grow exponentially with its depth).
constexpr size_t kMaxExpansion = 16;
constexpr size_t kExpansionSlack = 256;

bool IsKnownType(uint8_t type) {
  return type <= kString || type == kOpaque;
}

// Whether an entry of a container holds the value itself (json_binary::inlined_type).
bool IsInlined(uint8_t type, bool large) {
  return type == kLiteral || type == kInt16 || type == kUInt16 ||
         (large && (type == kInt32 || type == kUInt32));
}

// A finite double as MySQL prints it in JSON: my_gcvt(x, MY_GCVT_ARG_DOUBLE, 34) and ".0" when
// that has neither '.' nor 'e'. my_gcvt's dtoa (mode 4, 34 digits) yields the shortest digits
// that round-trip, as to_chars does; with those, my_gcvt picks plain notation exactly when the
// decimal point falls within 14 places before the first digit and 15 after it (or inside the
// digits), and otherwise prints d.ddde[-]x with no '+' and no exponent padding.
void AppendDouble(double value, std::string& out) {
  char buffer[64];
  auto [end, ec] =
      std::to_chars(buffer, buffer + sizeof buffer, value, std::chars_format::scientific);
  std::string_view scientific(buffer, static_cast<size_t>(end - buffer));  // -d.ddde-xx
  bool negative = scientific.front() == '-';
  if (negative) scientific.remove_prefix(1);
  size_t e = scientific.find('e');
  std::string digits;
  for (char c : scientific.substr(0, e)) {
    if (c != '.') digits.push_back(c);
  }
  int exponent = 0;
  std::string_view exponent_text = scientific.substr(e + 1);
  if (exponent_text.front() == '+') exponent_text.remove_prefix(1);
  std::from_chars(exponent_text.data(), exponent_text.data() + exponent_text.size(), exponent);

  int length = static_cast<int>(digits.size());
  int point = exponent + 1;  // digits before the decimal point (dtoa's decpt)
  if (negative) out.push_back('-');
  if (point >= -14 && (point <= 15 || length > point)) {
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else if (point < length) {
      out.append(digits, 0, static_cast<size_t>(point));
      out.push_back('.');
      out.append(digits, static_cast<size_t>(point));
    } else {
      out += digits;
      out.append(static_cast<size_t>(point - length), '0');
      out += ".0";
    }
    return;
  }
  out.push_back(digits[0]);
  if (length > 1) {
    out.push_back('.');
    out.append(digits, 1);
  }
  fmt::format_to(std::back_inserter(out), "e{}", exponent);
}

// MySQL's base64_encode (mysys/base64.cc): standard alphabet with padding, and a newline
// before every group of four that follows 76 characters on a line.
void AppendBase64(std::string_view bytes, std::string& out) {
  static constexpr char kAlphabet[] =
      "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  size_t line = 0;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    if (line == 76) {
      out.push_back('\n');
      line = 0;
    }
    size_t available = bytes.size() - i;
    uint32_t group = static_cast<uint32_t>(static_cast<uint8_t>(bytes[i])) << 16;
    if (available > 1) group |= static_cast<uint32_t>(static_cast<uint8_t>(bytes[i + 1])) << 8;
    if (available > 2) group |= static_cast<uint8_t>(bytes[i + 2]);
    out.push_back(kAlphabet[(group >> 18) & 0x3F]);
    out.push_back(kAlphabet[(group >> 12) & 0x3F]);
    out.push_back(available > 1 ? kAlphabet[(group >> 6) & 0x3F] : '=');
    out.push_back(available > 2 ? kAlphabet[group & 0x3F] : '=');
    line += 4;
  }
}

uint64_t LittleEndian(std::string_view bytes, size_t pos, size_t n) {
  uint64_t value = 0;
  for (size_t i = 0; i < n; ++i) {
    value |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[pos + i])) << (8 * i);
  }
  return value;
}

// Prints one document. Every position is an offset into the whole document, so error messages
// name the byte where the bad field starts; every read is checked against the end of the
// innermost container (or the document) first.
class BinaryJsonPrinter {
 public:
  explicit BinaryJsonPrinter(std::string_view doc)
      : doc_(doc), max_text_(kMaxExpansion * doc.size() + kExpansionSlack) {}

  Result<std::string> Print() {
    if (doc_.empty()) return std::string("null");
    auto type = static_cast<uint8_t>(doc_[0]);
    if (!IsKnownType(type)) return Malformed(0, fmt::format("unknown value type 0x{:02x}", type));
    CDC_RETURN_IF_ERROR(PrintValue(type, 1, doc_.size(), 0));
    return std::move(out_);
  }

 private:
  Status Malformed(size_t at, std::string_view what) const {
    return Status::InvalidArgument(fmt::format(
        "malformed MySQL binary JSON at byte {} of {}: {}; the binlog event or the stored "
        "column value is corrupt",
        at, doc_.size(), what));
  }

  Status Truncated(size_t at, std::string_view what, uint64_t needed, size_t end) const {
    return Malformed(at, fmt::format("{} needs {} bytes but only {} remain in its container", what,
                                     needed, end - at));
  }

  // A value of `type` starting at `pos`; its bytes end at or before `end`.
  Status PrintValue(uint8_t type, size_t pos, size_t end, int depth) {
    switch (type) {
      case kSmallObject: return PrintContainer(true, false, pos, end, depth);
      case kLargeObject: return PrintContainer(true, true, pos, end, depth);
      case kSmallArray: return PrintContainer(false, false, pos, end, depth);
      case kLargeArray: return PrintContainer(false, true, pos, end, depth);
      case kString: return PrintString(pos, end);
      case kOpaque: return PrintOpaque(pos, end);
      default: return PrintScalar(type, pos, end);
    }
  }

  // A literal, integer or double whose bytes start at `pos`.
  Status PrintScalar(uint8_t type, size_t pos, size_t end) {
    size_t size = type == kLiteral                    ? 1
                  : type == kInt16 || type == kUInt16 ? 2
                  : type == kInt32 || type == kUInt32 ? 4
                                                      : 8;
    if (size > end - pos) return Truncated(pos, "a number or literal", size, end);
    uint64_t raw = LittleEndian(doc_, pos, size);
    auto text = std::back_inserter(out_);
    switch (type) {
      case kLiteral:
        if (raw == 0)
          out_ += "null";
        else if (raw == 1)
          out_ += "true";
        else if (raw == 2)
          out_ += "false";
        else
          return Malformed(pos, fmt::format("literal 0x{:02x} is not null, true or false", raw));
        break;
      case kInt16: fmt::format_to(text, "{}", static_cast<int16_t>(raw)); break;
      case kUInt16:
      case kUInt32:
      case kUInt64: fmt::format_to(text, "{}", raw); break;
      case kInt32: fmt::format_to(text, "{}", static_cast<int32_t>(raw)); break;
      case kInt64: fmt::format_to(text, "{}", static_cast<int64_t>(raw)); break;
      case kDouble: {
        auto value = std::bit_cast<double>(raw);
        if (!std::isfinite(value)) return Malformed(pos, "a double is NaN or infinite");
        AppendDouble(value, out_);
        break;
      }
      default: return Malformed(pos, fmt::format("unknown value type 0x{:02x}", type));
    }
    return Status::Ok();
  }

  // json_binary's variable-length size: 7 bits a byte, low bits first, at most 5 bytes, at
  // most 2^32 - 1. Sets `length` and advances `pos` past it.
  Status ReadVariableLength(size_t& pos, size_t end, uint64_t& length) {
    size_t start = pos;
    length = 0;
    for (size_t i = 0; i < 5; ++i) {
      if (pos == end) return Truncated(start, "a length", i + 1, end);
      auto byte = static_cast<uint8_t>(doc_[pos++]);
      length |= static_cast<uint64_t>(byte & 0x7F) << (7 * i);
      if ((byte & 0x80) == 0) {
        if (length > UINT32_MAX) return Malformed(start, "a length exceeds 2^32 - 1");
        return Status::Ok();
      }
    }
    return Malformed(start, "a length runs over 5 bytes");
  }

  Status PrintString(size_t pos, size_t end) {
    uint64_t length;
    CDC_RETURN_IF_ERROR(ReadVariableLength(pos, end, length));
    if (length > end - pos) return Truncated(pos, "a string", length, end);
    AppendJsonString(doc_.substr(pos, length), out_);
    return Status::Ok();
  }

  Status PrintOpaque(size_t pos, size_t end) {
    size_t start = pos;
    if (pos == end) return Truncated(start, "an opaque value", 1, end);
    auto field_type = static_cast<uint8_t>(doc_[pos++]);
    uint64_t length;
    CDC_RETURN_IF_ERROR(ReadVariableLength(pos, end, length));
    if (length > end - pos) return Truncated(pos, "an opaque value", length, end);
    std::string_view data = doc_.substr(pos, length);
    switch (static_cast<BinlogType>(field_type)) {
      case BinlogType::kNewDecimal: return PrintDecimal(data, start);
      case BinlogType::kDate:
      case BinlogType::kTime:
      case BinlogType::kDateTime:
      case BinlogType::kTimestamp:
        return PrintTemporal(static_cast<BinlogType>(field_type), data, start);
      case BinlogType::kVarString:  // json_dom.cc: strings saved as opaque print as strings
        AppendJsonString(data, out_);
        return Status::Ok();
      default: {
        std::string text = fmt::format("base64:type{}:", field_type);
        AppendBase64(data, text);
        AppendJsonString(text, out_);
        return Status::Ok();
      }
    }
  }

  // Json_decimal's binary form: precision, scale, then the binary DECIMAL(precision, scale)
  // of the binlog and InnoDB; printed as decimal2string() does, with `scale` digits after the
  // point and a '-' whenever the sign bit says negative.
  Status PrintDecimal(std::string_view data, size_t at) {
    if (data.size() < 2) return Malformed(at, "a DECIMAL opaque lacks its precision and scale");
    auto precision = static_cast<uint8_t>(data[0]);
    auto scale = static_cast<uint8_t>(data[1]);
    std::optional<size_t> size = BinaryDecimalSize(precision, scale);
    if (!size) {
      return Malformed(
          at, fmt::format("DECIMAL({},{}) is not a valid precision and scale", precision, scale));
    }
    if (data.size() - 2 != *size) {
      return Malformed(at, fmt::format("a DECIMAL({},{}) has {} bytes, not {}", precision, scale,
                                       data.size() - 2, *size));
    }
    std::optional<DecimalDigits> digits = DecodeBinaryDecimal(data.substr(2), precision, scale);
    if (!digits) return Malformed(at, "a DECIMAL has a digit group out of range");
    if (digits->negative) out_.push_back('-');
    out_ += digits->integer;
    if (!digits->fraction.empty()) {
      out_.push_back('.');
      out_ += digits->fraction;
    }
    return Status::Ok();
  }

  // Json_datetime's packed form, 8 bytes little-endian (my_time.cc): microseconds in the low
  // 24 bits; above them TIME has hour:10 minute:6 second:6 and a negative sign as a negated
  // whole, DATE/DATETIME/TIMESTAMP have (year * 13 + month):17 day:5 hour:5 minute:6 second:6.
  // Printed as my_TIME_to_str(.., 6) prints them.
  Status PrintTemporal(BinlogType field_type, std::string_view data, size_t at) {
    const char* name = field_type == BinlogType::kDate       ? "DATE"
                       : field_type == BinlogType::kTime     ? "TIME"
                       : field_type == BinlogType::kDateTime ? "DATETIME"
                                                             : "TIMESTAMP";
    if (data.size() != 8) {
      return Malformed(at, fmt::format("a {} opaque has {} bytes, not 8", name, data.size()));
    }
    auto packed = static_cast<int64_t>(LittleEndian(data, 0, 8));
    bool negative = packed < 0;
    uint64_t magnitude =
        negative ? 0 - static_cast<uint64_t>(packed) : static_cast<uint64_t>(packed);
    uint64_t micros = magnitude & 0xFFFFFF;
    uint64_t whole = magnitude >> 24;
    uint64_t second = whole & 0x3F;
    uint64_t minute = (whole >> 6) & 0x3F;
    auto text = std::back_inserter(out_);
    if (field_type == BinlogType::kTime) {
      uint64_t hour = whole >> 12;
      if (hour > 838 || minute > 59 || second > 59 || micros > 999999) {
        return Malformed(at, "a TIME opaque is out of range");
      }
      fmt::format_to(text, "\"{}{:02}:{:02}:{:02}.{:06}\"", negative ? "-" : "", hour, minute,
                     second, micros);
      return Status::Ok();
    }
    uint64_t hour = (whole >> 12) & 0x1F;
    uint64_t day = (whole >> 17) & 0x1F;
    uint64_t year_month = whole >> 22;
    uint64_t year = year_month / 13;
    uint64_t month = year_month % 13;
    if (negative || year > 9999) {
      return Malformed(at, fmt::format("a {} opaque is out of range", name));
    }
    if (field_type == BinlogType::kDate) {
      fmt::format_to(text, "\"{:04}-{:02}-{:02}\"", year, month, day);
      return Status::Ok();
    }
    if (hour > 23 || minute > 59 || second > 59 || micros > 999999) {
      return Malformed(at, fmt::format("a {} opaque is out of range", name));
    }
    fmt::format_to(text, "\"{:04}-{:02}-{:02} {:02}:{:02}:{:02}.{:06}\"", year, month, day, hour,
                   minute, second, micros);
    return Status::Ok();
  }

  // An object or array whose count field starts at `pos` (json_binary's
  // parse_array_or_object, Value::key and Value::element, with their bounds checks).
  Status PrintContainer(bool is_object, bool large, size_t pos, size_t end, int depth) {
    const char* kind = is_object ? "an object" : "an array";
    if (++depth > kMaxDepth) {
      return Malformed(pos, fmt::format("{} is nested deeper than {} levels", kind, kMaxDepth));
    }
    size_t offset_size = large ? 4 : 2;
    if (2 * offset_size > end - pos) return Truncated(pos, kind, 2 * offset_size, end);
    uint64_t count = LittleEndian(doc_, pos, offset_size);
    uint64_t size = LittleEndian(doc_, pos + offset_size, offset_size);
    if (size > end - pos) return Truncated(pos, kind, size, end);
    size_t key_entry_size = offset_size + 2;
    size_t value_entry_size = 1 + offset_size;
    uint64_t header =
        2 * offset_size + count * (is_object ? key_entry_size : 0) + count * value_entry_size;
    if (header > size) {
      return Malformed(pos, fmt::format("{} of {} bytes cannot hold the entries of {} elements",
                                        kind, size, count));
    }
    size_t key_entries = pos + 2 * offset_size;
    size_t value_entries = key_entries + (is_object ? count * key_entry_size : 0);
    out_.push_back(is_object ? '{' : '[');
    for (uint64_t i = 0; i < count; ++i) {
      if (i > 0) out_ += ", ";
      if (is_object) {
        size_t entry = key_entries + i * key_entry_size;
        uint64_t key_offset = LittleEndian(doc_, entry, offset_size);
        uint64_t key_length = LittleEndian(doc_, entry + offset_size, 2);
        if (key_offset < header || key_offset > size || key_length > size - key_offset) {
          return Malformed(entry, fmt::format("key {} lies outside its object", i));
        }
        AppendJsonString(doc_.substr(pos + key_offset, key_length), out_);
        out_ += ": ";
      }
      size_t entry = value_entries + i * value_entry_size;
      auto type = static_cast<uint8_t>(doc_[entry]);
      if (!IsKnownType(type)) {
        return Malformed(entry, fmt::format("unknown value type 0x{:02x}", type));
      }
      if (IsInlined(type, large)) {
        CDC_RETURN_IF_ERROR(PrintScalar(type, entry + 1, entry + value_entry_size));
      } else {
        uint64_t offset = LittleEndian(doc_, entry + 1, offset_size);
        if (offset < header || offset >= size) {
          return Malformed(entry, fmt::format("value {} lies outside its {}", i,
                                              is_object ? "object" : "array"));
        }
        CDC_RETURN_IF_ERROR(PrintValue(type, pos + offset, pos + size, depth));
      }
      if (out_.size() > max_text_) {
        return Malformed(entry,
                         fmt::format("values overlap: the text would exceed {} bytes", max_text_));
      }
    }
    out_.push_back(is_object ? '}' : ']');
    return Status::Ok();
  }

  std::string_view doc_;
  size_t max_text_;
  std::string out_;
};

}  // namespace

Result<std::string> MysqlBinaryJsonToText(std::string_view bytes) {
  return BinaryJsonPrinter(bytes).Print();
}

}  // namespace cdc
