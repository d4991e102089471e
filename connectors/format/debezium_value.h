// One column of a Debezium change event: its field schema (the Kafka Connect schema Debezium's
// MySQL/MariaDB connector gives the column, by type and handling mode) and its value in the
// JSON converter's form, both ways. DebeziumEncoder and DebeziumDecoder are built on these; the
// type rules, with their sources, are in debezium_encoder.h.
//
// Pure functions; thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "connectors/format/debezium_options.h"
#include "runtime/status.h"
#include "schema/column_schema.h"
#include "schema/value.h"

namespace cdc {

// Appends `column`'s field schema: {"type":"int64","optional":false,"field":"id"}, with the
// semantic "name", "version" and "parameters" where Debezium writes them. `optional` is false
// for key fields and for NOT NULL columns.
void AppendDebeziumFieldSchema(const ColumnSchema& column, bool optional,
                               const DebeziumOptions& options, std::string& out);

// Appends `value` of `column` as Debezium's JSON converter writes it (null for NULL).
// InvalidArgument when the value's kind is not the column's, or the text's character set has no
// conversion to UTF-8 here (only utf8mb4, utf8mb3, ascii and latin1 are converted).
Status AppendDebeziumValue(const ColumnSchema& column, const Value& value,
                           const DebeziumOptions& options, std::string& out);

// RFC 4648 base64 with padding, as Kafka Connect's JSON converter writes bytes.
void AppendBase64(std::string_view bytes, std::string& out);
// The bytes of base64 text, or nullopt-like error: false when `text` is not base64.
bool DecodeBase64(std::string_view text, std::string& out);

// Text of a column's character set to UTF-8 and back: latin1 (MySQL's cp1252) is converted,
// utf8mb4 / utf8mb3 / ascii pass as they are. False for other character sets, and for UTF-8
// with a character latin1 cannot hold.
bool TextToUtf8(const ColumnSchema& column, std::string_view text, std::string& out);
bool TextFromUtf8(const ColumnSchema& column, std::string_view utf8, std::string& out);

// The canonical decimal text of an unscaled big-endian two's complement integer with `scale`
// digits after the point (Kafka Connect's Decimal), or false when it has over 65 digits.
bool DecimalTextFromUnscaled(std::string_view bytes, int scale, std::string& out);

}  // namespace cdc
