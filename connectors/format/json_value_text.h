// JsonValueText: the text forms the JSON change formats (canal-json, maxwell) give MySQL values,
// both ways: appenders that write into one std::string without allocating per field (the encode
// path), and readers that take the text back to exact values (the decode path).
//
// What is shared: temporal text (MySQL's own forms, TIMESTAMP in UTC), shortest round-trip
// floats (plain digits as Go's strconv 'f' -1 writes them, or Java's Float/Double.toString
// form), latin1 text as UTF-8, bytes as ISO-8859-1 characters or base64, DECIMAL as Java's
// BigDecimal.toString. Each format's header says which form it uses for which type.
//
// Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "schema/column_schema.h"
#include "schema/row_change.h"
#include "schema/value.h"

namespace cdc::json_text {

// --- writing ---

void AppendInt(int64_t v, std::string& out);
void AppendUInt(uint64_t v, std::string& out);
// The shortest text that reads back as the same float, in plain digits, never an exponent
// ("340282350000000000000000000000000000000", "0.30000000000000004"), as Go's
// strconv.FormatFloat(v, 'f', -1, bits) writes it.
void AppendPlainFloat(float v, std::string& out);
void AppendPlainDouble(double v, std::string& out);
// Java's Float.toString / Double.toString (JDK 19+, shortest digits): plain with at least one
// fraction digit for 1e-3 <= |v| < 1e7 ("4.2341", "1.0"), else "d.dddE[-]n" ("3.4028235E38",
// "-1.0E-300").
void AppendJavaFloat(float v, std::string& out);
void AppendJavaDouble(double v, std::string& out);
// Java's BigDecimal.toString of DECIMAL text: plain unless the adjusted exponent is below -6
// ("1E-30", "0E-30", "1.5E-7").
void AppendBigDecimal(std::string_view decimal, std::string& out);

// "YYYY-MM-DD", "[-]H:MM:SS[.f]", "YYYY-MM-DD HH:MM:SS[.f]" with exactly `fsp` fraction digits
// (the column's), TIMESTAMP as UTC wall-clock time and the zero timestamp as
// "0000-00-00 00:00:00[.0...]".
void AppendDate(const DateValue& d, std::string& out);
void AppendTime(const TimeValue& t, uint8_t fsp, std::string& out);
void AppendDateTime(const DateTimeValue& dt, uint8_t fsp, std::string& out);
void AppendTimestampUtc(const TimestampValue& ts, uint8_t fsp, std::string& out);

// Each byte as the character U+0000..U+00FF, in UTF-8 (ISO-8859-1 decoding): latin1 text and
// canal-json's binary values.
void AppendLatin1AsUtf8(std::string_view bytes, std::string& out);
// RFC 4648 base64 with padding, no line breaks.
void AppendBase64(std::string_view bytes, std::string& out);

// A JSON string literal as Go's encoding/json and easyjson write it (TiCDC's writers): '"' and
// '\\' escaped, \n \r \t short, other control bytes and '<', '>', '&' as \u00XX (lower-case hex);
// other bytes as they are.
void AppendGoJsonString(std::string_view text, std::string& out);

// A JSON string literal as Jackson (Maxwell's writer) writes it: '"' and '\\' escaped,
// \b \f \n \r \t short, other control bytes as \u00XX (upper-case hex); other bytes as they are.
void AppendJacksonString(std::string_view text, std::string& out);

// True when `column` holds latin1 text (its collation's character set is latin1): such values
// are written as UTF-8 and read back to latin1 bytes.
bool IsLatin1Column(const ColumnSchema& column);

// --- reading ---

std::optional<int64_t> ReadInt(std::string_view text);
std::optional<uint64_t> ReadUInt(std::string_view text);
// Either form above (plain or with an exponent).
std::optional<float> ReadFloat(std::string_view text);
std::optional<double> ReadDouble(std::string_view text);
// A number in plain or exponent form ("1E-30", "-12.5") as canonical DECIMAL text of `scale`
// fraction digits (a scale of 0 for a column without one keeps the digits given); nullopt when
// it has more fraction digits than the scale or more than 65 digits.
std::optional<std::string> ReadDecimal(std::string_view text, const ColumnSchema& column);

std::optional<DateValue> ReadDate(std::string_view text);
std::optional<TimeValue> ReadTime(std::string_view text);
std::optional<DateTimeValue> ReadDateTime(std::string_view text);
std::optional<TimestampValue> ReadTimestampUtc(std::string_view text);

// UTF-8 text of characters U+0000..U+00FF back to one byte each; nullopt for a character above
// U+00FF or malformed UTF-8.
std::optional<std::string> ReadUtf8AsLatin1(std::string_view text);
std::optional<std::string> ReadBase64(std::string_view text);

// Integer columns: whether `v` lies in the column type's range (TINYINT -128..127, ...).
bool IntFits(const ColumnSchema& column, int64_t v);
bool UIntFits(const ColumnSchema& column, uint64_t v);

// The ENUM value of a 1-based `index` (0: the '' error value), or of a label; the SET value of
// a member bitmask, or of member labels. nullopt when the index, bits or labels are not the
// column's.
std::optional<Value> EnumByIndex(const ColumnSchema& column, uint64_t index);
std::optional<Value> EnumByLabel(const ColumnSchema& column, std::string_view label);
std::optional<Value> SetByMembers(const ColumnSchema& column, uint64_t members);
// `labels` one by one (SET labels hold no commas).
template <typename Labels>
std::optional<Value> SetByLabels(const ColumnSchema& column, const Labels& labels);

// "file:offset" or "offset" (a source without files) into `position`'s file and offset;
// false when the offset is not a number.
bool ReadFilePosition(std::string_view text, SourcePosition& position);

// The column's BIT width (1 for a column without a length, as BIT means BIT(1)).
uint8_t BitWidth(const ColumnSchema& column);

}  // namespace cdc::json_text

namespace cdc::json_text {

template <typename Labels>
std::optional<Value> SetByLabels(const ColumnSchema& column, const Labels& labels) {
  uint64_t members = 0;
  for (const auto& label : labels) {
    size_t i = 0;
    while (i < column.labels.size() && i < 64 && column.labels[i] != label) ++i;
    if (i == column.labels.size() || i == 64) return std::nullopt;
    members |= uint64_t{1} << i;
  }
  return SetByMembers(column, members);
}

}  // namespace cdc::json_text
