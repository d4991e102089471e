// Decoding one column value of a binlog row image (ROW format) from its bytes, for every MySQL
// and MariaDB column type, exactly: integers with their signedness, FLOAT/DOUBLE, NEWDECIMAL's
// binary format to canonical text, BIT, YEAR, DATE, TIME2/DATETIME2/TIMESTAMP2 with fractions
// (negative TIME included), the pre-5.6 TIME/DATETIME/TIMESTAMP, VARCHAR/CHAR by charset,
// BINARY re-padded, ENUM/SET by label, BLOB/TEXT, MariaDB JSON (LONGTEXT), GEOMETRY (SRID +
// WKB). The column's type and metadata come from the TABLE_MAP event; signedness, charset
// and labels from its optional metadata or the schema catalog. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "connectors/mysql/source/binlog/byte_reader.h"
#include "runtime/status.h"
#include "schema/column_schema.h"
#include "schema/value.h"

namespace cdc {

// MySQL's enum_field_types, as TABLE_MAP events name column types.
enum class BinlogType : uint8_t {
  kDecimal = 0,
  kTiny = 1,
  kShort = 2,
  kLong = 3,
  kFloat = 4,
  kDouble = 5,
  kNull = 6,
  kTimestamp = 7,
  kLongLong = 8,
  kInt24 = 9,
  kDate = 10,
  kTime = 11,
  kDateTime = 12,
  kYear = 13,
  kNewDate = 14,
  kVarchar = 15,
  kBit = 16,
  kTimestamp2 = 17,
  kDateTime2 = 18,
  kTime2 = 19,
  kJson = 245,
  kNewDecimal = 246,
  kEnum = 247,
  kSet = 248,
  kTinyBlob = 249,
  kMediumBlob = 250,
  kLongBlob = 251,
  kBlob = 252,
  kVarString = 253,
  kString = 254,
  kGeometry = 255,
};

// What decoding a column needs. `meta` is the TABLE_MAP metadata as one number:
//   FLOAT/DOUBLE: byte size; VARCHAR/VAR_STRING: max length in bytes; NEWDECIMAL:
//   precision << 8 | scale; BIT: total bits; TIME2/DATETIME2/TIMESTAMP2: fsp;
//   BLOB/GEOMETRY/JSON: bytes of the length prefix; STRING: the two bytes b0 << 8 | b1 as
//   stored (UnpackString resolves the real type ENUM/SET/CHAR and the length).
struct BinlogColumn {
  BinlogType type = BinlogType::kNull;
  uint16_t meta = 0;
  bool is_unsigned = false;
  uint16_t collation_id = 45;              // 63 (binary) makes character types bytes
  ColumnType declared = ColumnType::kInt;  // from the catalog: JSON vs TEXT, BINARY vs CHAR
  const std::vector<std::string>* labels = nullptr;  // ENUM / SET members
};

// A STRING column's real type (STRING, ENUM or SET) and length (max bytes, or for ENUM/SET
// the pack length), from its two metadata bytes.
void UnpackString(uint16_t meta, BinlogType& real_type, uint32_t& length);

// Decodes the non-NULL value of `column` at the reader's position into `out` and advances past
// it. InvalidArgument naming the type when the bytes are malformed or truncated (`out` is then
// unspecified).
Status DecodeBinlogValue(const BinlogColumn& column, ByteReader& in, Value& out);

}  // namespace cdc
