#include "connectors/mysql/source/binlog/binlog_value_decoder.h"

#include <fmt/format.h>
#include <bit>

#include "connectors/mysql/source/binlog/binary_decimal.h"
#include "connectors/mysql/source/binlog/mysql_json_binary.h"

namespace cdc {
namespace {

Status Malformed(const char* what) {
  return Status::InvalidArgument(fmt::format(
      "malformed binlog row image: a {} value is truncated or out of range; the binlog may be "
      "corrupt or the table map does not match the rows",
      what));
}

// Fraction of a TIME2 / DATETIME2 / TIMESTAMP2 in microseconds: fsp 1-2 one byte of
// hundredths, 3-4 two bytes of ten-thousandths, 5-6 three bytes of millionths, big-endian.
uint32_t Fraction(ByteReader& in, unsigned fsp) {
  switch (fsp) {
    case 1:
    case 2: return static_cast<uint32_t>(in.BigEndian(1)) * 10000;
    case 3:
    case 4: return static_cast<uint32_t>(in.BigEndian(2)) * 100;
    case 5:
    case 6: return static_cast<uint32_t>(in.BigEndian(3));
    default: return 0;
  }
}

Result<Value> DecodeTime2(ByteReader& in, unsigned fsp) {
  // The packed value is (hms << 24) + microseconds, stored with an offset so it sorts as
  // unsigned; a negative time with a fraction borrows one second from the integer part.
  int64_t packed;
  if (fsp >= 5) {
    packed = static_cast<int64_t>(in.BigEndian(6)) - 0x800000000000LL;
  } else {
    int64_t intpart = static_cast<int64_t>(in.BigEndian(3)) - 0x800000;
    int64_t frac = 0;
    int64_t scale = 1;
    if (fsp == 1 || fsp == 2) {
      frac = static_cast<int64_t>(in.BigEndian(1));
      if (intpart < 0 && frac != 0) {
        ++intpart;
        frac -= 0x100;
      }
      scale = 10000;
    } else if (fsp == 3 || fsp == 4) {
      frac = static_cast<int64_t>(in.BigEndian(2));
      if (intpart < 0 && frac != 0) {
        ++intpart;
        frac -= 0x10000;
      }
      scale = 100;
    }
    packed = intpart * (int64_t{1} << 24) + frac * scale;
  }
  TimeValue time;
  time.negative = packed < 0;
  uint64_t magnitude = static_cast<uint64_t>(packed < 0 ? -packed : packed);
  uint64_t hms = magnitude >> 24;
  time.micros = static_cast<uint32_t>(magnitude & 0xFFFFFF);
  time.hours = static_cast<uint16_t>((hms >> 12) & 0x3FF);
  time.minutes = static_cast<uint8_t>((hms >> 6) & 0x3F);
  time.seconds = static_cast<uint8_t>(hms & 0x3F);
  if (time.micros > 999999 || time.minutes > 59 || time.seconds > 59) return Malformed("TIME");
  return Value::Time(time, static_cast<uint8_t>(fsp));
}

Result<Value> DecodeDateTime2(ByteReader& in, unsigned fsp) {
  uint64_t packed = in.BigEndian(5) - 0x8000000000ULL;
  uint64_t ymd = packed >> 17;
  uint64_t ym = ymd >> 5;
  uint64_t hms = packed & ((uint64_t{1} << 17) - 1);
  DateTimeValue at;
  at.date.year = static_cast<uint16_t>(ym / 13);
  at.date.month = static_cast<uint8_t>(ym % 13);
  at.date.day = static_cast<uint8_t>(ymd & 31);
  at.hour = static_cast<uint8_t>(hms >> 12);
  at.minute = static_cast<uint8_t>((hms >> 6) & 63);
  at.second = static_cast<uint8_t>(hms & 63);
  at.micros = Fraction(in, fsp);
  if (at.date.year > 9999 || at.hour > 23 || at.minute > 59 || at.second > 59 ||
      at.micros > 999999) {
    return Malformed("DATETIME");
  }
  return Value::DateTime(at, static_cast<uint8_t>(fsp));
}

// NEWDECIMAL: MySQL's binary DECIMAL (binary_decimal.h); a negative zero prints as "0".
Result<Value> DecodeDecimal(ByteReader& in, unsigned precision, unsigned scale) {
  std::optional<size_t> size = BinaryDecimalSize(precision, scale);
  if (!size) return Malformed("DECIMAL");
  std::string_view raw = in.Bytes(*size);
  std::optional<DecimalDigits> digits = DecodeBinaryDecimal(raw, precision, scale);
  if (!digits) return Malformed("DECIMAL");
  bool zero =
      digits->integer == "0" && digits->fraction.find_first_not_of('0') == std::string::npos;
  std::string text = (digits->negative && !zero ? "-" : "") + digits->integer;
  if (!digits->fraction.empty()) text += "." + digits->fraction;
  return Value::Decimal(text);
}

Value TextOrBytes(const BinlogColumn& column, std::string_view bytes) {
  if (column.declared == ColumnType::kJson) return Value::Json(bytes);
  if (column.collation_id == 63) return Value::Bytes(bytes);
  return Value::String(bytes, column.collation_id);
}

Result<Value> DecodeLabels(const BinlogColumn& column, BinlogType type, uint32_t pack_length,
                           ByteReader& in) {
  if (pack_length == 0 || pack_length > 8)
    return Malformed(type == BinlogType::kEnum ? "ENUM" : "SET");
  uint64_t raw = in.LittleEndian(pack_length);
  const std::vector<std::string> empty;
  const std::vector<std::string>& labels = column.labels != nullptr ? *column.labels : empty;
  if (type == BinlogType::kEnum) {
    std::string_view label =
        raw >= 1 && raw <= labels.size() ? labels[raw - 1] : std::string_view();
    return Value::Enum(static_cast<uint16_t>(raw), label);
  }
  std::string joined;
  for (size_t i = 0; i < labels.size() && i < 64; ++i) {
    if ((raw >> i) & 1) {
      if (!joined.empty()) joined += ',';
      joined += labels[i];
    }
  }
  return Value::Set(raw, joined);
}

}  // namespace

void UnpackString(uint16_t meta, BinlogType& real_type, uint32_t& length) {
  auto b0 = static_cast<uint8_t>(meta >> 8);
  auto b1 = static_cast<uint8_t>(meta & 0xFF);
  if ((b0 & 0x30) != 0x30) {
    real_type = static_cast<BinlogType>(b0 | 0x30);
    length = b1 | (static_cast<uint32_t>((b0 & 0x30) ^ 0x30) << 4);
  } else {
    real_type = static_cast<BinlogType>(b0);
    length = b1;
  }
}

Status DecodeBinlogValue(const BinlogColumn& column, ByteReader& in, Value& out) {
  // Helpers for the rarer types return Result<Value>; this takes their value or error.
  auto take = [&out](Result<Value> decoded) {
    if (!decoded.ok()) return decoded.status();
    out = std::move(decoded).value();
    return Status::Ok();
  };
  auto integer = [&](size_t bytes) {
    uint64_t raw = in.LittleEndian(bytes);
    if (column.is_unsigned) return Value::UInt(raw);
    unsigned shift = static_cast<unsigned>(64 - 8 * bytes);
    return Value::Int(static_cast<int64_t>(raw << shift) >> shift);  // sign-extend
  };
  switch (column.type) {
    case BinlogType::kTiny: out = integer(1); break;
    case BinlogType::kShort: out = integer(2); break;
    case BinlogType::kInt24: out = integer(3); break;
    case BinlogType::kLong: out = integer(4); break;
    case BinlogType::kLongLong: out = integer(8); break;
    case BinlogType::kFloat:
      out = Value::Float(std::bit_cast<float>(static_cast<uint32_t>(in.LittleEndian(4))));
      break;
    case BinlogType::kDouble: out = Value::Double(std::bit_cast<double>(in.LittleEndian(8))); break;
    case BinlogType::kYear: {
      auto year = static_cast<uint16_t>(in.LittleEndian(1));
      out = Value::Year(year == 0 ? 0 : static_cast<uint16_t>(1900 + year));
      break;
    }
    case BinlogType::kDate:
    case BinlogType::kNewDate: {
      uint64_t raw = in.LittleEndian(3);
      out = Value::Date(DateValue{static_cast<uint16_t>(raw >> 9),
                                  static_cast<uint8_t>((raw >> 5) & 15),
                                  static_cast<uint8_t>(raw & 31)});
      break;
    }
    case BinlogType::kTime2: CDC_RETURN_IF_ERROR(take(DecodeTime2(in, column.meta))); break;
    case BinlogType::kDateTime2: CDC_RETURN_IF_ERROR(take(DecodeDateTime2(in, column.meta))); break;
    case BinlogType::kTimestamp2: {
      auto seconds = static_cast<int64_t>(in.BigEndian(4));
      uint32_t micros = Fraction(in, column.meta);
      out = Value::Timestamp(TimestampValue{seconds, micros}, static_cast<uint8_t>(column.meta));
      break;
    }
    case BinlogType::kTimestamp:  // before MySQL 5.6: seconds, no fraction
      out = Value::Timestamp(TimestampValue{static_cast<int64_t>(in.LittleEndian(4)), 0});
      break;
    case BinlogType::kDateTime: {  // before MySQL 5.6: YYYYMMDDhhmmss as a number
      uint64_t raw = in.LittleEndian(8);
      DateTimeValue at{DateValue{static_cast<uint16_t>(raw / 10000000000ULL),
                                 static_cast<uint8_t>(raw / 100000000 % 100),
                                 static_cast<uint8_t>(raw / 1000000 % 100)},
                       static_cast<uint8_t>(raw / 10000 % 100),
                       static_cast<uint8_t>(raw / 100 % 100), static_cast<uint8_t>(raw % 100), 0};
      out = Value::DateTime(at);
      break;
    }
    case BinlogType::kTime: {  // before MySQL 5.6: [-]HHMMSS as a signed 3-byte number
      uint64_t raw = in.LittleEndian(3);
      int64_t number = static_cast<int64_t>(raw << 40) >> 40;
      uint64_t magnitude = static_cast<uint64_t>(number < 0 ? -number : number);
      out = Value::Time(TimeValue{number < 0, static_cast<uint16_t>(magnitude / 10000),
                                  static_cast<uint8_t>(magnitude / 100 % 100),
                                  static_cast<uint8_t>(magnitude % 100), 0});
      break;
    }
    case BinlogType::kNewDecimal:
      CDC_RETURN_IF_ERROR(take(DecodeDecimal(in, column.meta >> 8, column.meta & 0xFF)));
      break;
    case BinlogType::kBit: {
      unsigned bits = column.meta;
      if (bits == 0 || bits > 64) return Malformed("BIT");
      out = Value::Bit(in.BigEndian((bits + 7) / 8) & (bits == 64 ? ~0ULL : ((1ULL << bits) - 1)),
                       static_cast<uint8_t>(bits));
      break;
    }
    case BinlogType::kVarchar:
    case BinlogType::kVarString: {
      size_t length = in.LittleEndian(column.meta < 256 ? 1 : 2);
      out = TextOrBytes(column, in.Bytes(length));
      break;
    }
    case BinlogType::kString: {
      BinlogType real_type;
      uint32_t length;
      UnpackString(column.meta, real_type, length);
      if (real_type == BinlogType::kEnum || real_type == BinlogType::kSet) {
        CDC_RETURN_IF_ERROR(take(DecodeLabels(column, real_type, length, in)));
        break;
      }
      size_t size = in.LittleEndian(length < 256 ? 1 : 2);
      std::string_view bytes = in.Bytes(size);
      // The binlog drops BINARY(n)'s trailing zero bytes; the column holds them.
      if (column.collation_id == 63 && bytes.size() < length) {
        std::string padded(bytes);
        padded.resize(length, '\0');
        out = TextOrBytes(column, padded);
      } else {
        out = TextOrBytes(column, bytes);
      }
      break;
    }
    case BinlogType::kTinyBlob:
    case BinlogType::kMediumBlob:
    case BinlogType::kLongBlob:
    case BinlogType::kBlob: {
      size_t length = in.LittleEndian(column.meta);
      out = TextOrBytes(column, in.Bytes(length));
      break;
    }
    case BinlogType::kGeometry: {
      size_t length = in.LittleEndian(column.meta);
      if (length < 4) return Malformed("GEOMETRY");
      auto srid = static_cast<uint32_t>(in.LittleEndian(4));
      out = Value::Geometry(srid, in.Bytes(length - 4));
      break;
    }
    case BinlogType::kJson: {  // MySQL's binary JSON (MariaDB logs JSON as LONGTEXT)
      size_t length = in.LittleEndian(column.meta);
      auto text = MysqlBinaryJsonToText(in.Bytes(length));
      if (in.overrun()) return Malformed("JSON");
      if (!text.ok()) return text.status();
      out = Value::Json(text.value());
      break;
    }
    case BinlogType::kDecimal:
    case BinlogType::kNull:
    case BinlogType::kEnum:
    case BinlogType::kSet:
      return Status::InvalidArgument(fmt::format(
          "binlog column type {} does not occur in row images of MySQL 5.6+ / MariaDB 10+",
          static_cast<int>(column.type)));
  }
  if (in.overrun()) return Malformed("column");
  return Status::Ok();
}

}  // namespace cdc
