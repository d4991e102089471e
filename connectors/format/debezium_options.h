// DebeziumOptions: how DebeziumEncoder writes Debezium's change events: the topic prefix (the
// connector's `topic.prefix`, written as source.name and in the schema names), the connector
// it writes as, whether the `schema` block is included, tombstones after deletes, and
// Debezium's handling modes with their names and defaults (Debezium's MySQL/MariaDB connector
// documentation, "Connector properties"). A plain value type.
#pragma once

#include <cstdint>
#include <functional>
#include <string>

#include "runtime/status.h"

namespace cdc {

// decimal.handling.mode: DECIMAL as Kafka Connect's Decimal (the unscaled value's big-endian
// two's complement bytes, base64, with the scale in the schema: exact), as its text (exact), or
// as a JSON double (rounded to 17 significant digits).
enum class DebeziumDecimalMode : uint8_t { kPrecise, kString, kDouble };
// time.precision.mode: adaptive_time_microseconds (TIME in microseconds, DATETIME in milliseconds
// for fsp 0..3 and microseconds for 4..6) or connect (Kafka Connect's Date, Time and Timestamp:
// milliseconds, so microseconds are cut).
enum class DebeziumTimeMode : uint8_t { kAdaptiveTimeMicroseconds, kConnect };
// binary.handling.mode: binary columns as bytes (the JSON converter writes them as base64), as
// a base64 string, or as a hex string.
enum class DebeziumBinaryMode : uint8_t { kBytes, kBase64, kHex };
// bigint.unsigned.handling.mode: BIGINT UNSIGNED as a signed 64-bit number (values above
// 2^63-1 wrap to negative numbers, as Debezium writes them; the decoder unwraps them by the
// column's signedness) or as a Decimal of scale 0.
enum class DebeziumBigIntUnsignedMode : uint8_t { kLong, kPrecise };

struct DebeziumOptions {
  // topic.prefix: the logical server name, source.name and the first part of the schema names
  // ("{prefix}.{db}.{table}.Value"). Letters, digits, '.', '_' and '-'.
  std::string topic_prefix = "cdc";
  // The connector the messages say they come from: "mariadb" (source.connector "mariadb",
  // schema io.debezium.connector.mariadb.Source) or "mysql".
  std::string connector = "mariadb";
  // source.version. Debezium writes its own version; ours says which engine wrote the message.
  std::string version = "cdc-engine";
  // The JSON converter's schemas.enable, for key and value: {"schema": ..., "payload": ...}
  // when true (Debezium's default), the payload alone when false. DebeziumDecoder needs it.
  bool include_schema = true;
  // tombstones.on.delete: the sink sends EncodeTombstone(delete) after each delete's message.
  bool tombstones_on_delete = true;
  DebeziumDecimalMode decimal_mode = DebeziumDecimalMode::kPrecise;
  DebeziumTimeMode time_mode = DebeziumTimeMode::kAdaptiveTimeMicroseconds;
  DebeziumBinaryMode binary_mode = DebeziumBinaryMode::kBytes;
  DebeziumBigIntUnsignedMode bigint_unsigned_mode = DebeziumBigIntUnsignedMode::kLong;
  // The envelope's ts_ms / ts_us / ts_ns: when the change was processed, microseconds since the
  // epoch. Null means the system clock; tests set a fixed one.
  std::function<int64_t()> now_us;

  // InvalidArgument naming the field and the fix: an empty or ill-formed topic_prefix, a
  // connector other than "mariadb" and "mysql".
  Status Validate() const;
};

// Debezium's names of the modes: "precise", "string", "double"; "adaptive_time_microseconds",
// "connect"; "bytes", "base64", "hex"; "long", "precise". Parse* return InvalidArgument naming
// the property and the accepted names.
const char* DebeziumDecimalModeName(DebeziumDecimalMode mode);
const char* DebeziumTimeModeName(DebeziumTimeMode mode);
const char* DebeziumBinaryModeName(DebeziumBinaryMode mode);
const char* DebeziumBigIntUnsignedModeName(DebeziumBigIntUnsignedMode mode);
Result<DebeziumDecimalMode> ParseDebeziumDecimalMode(std::string_view name);
Result<DebeziumTimeMode> ParseDebeziumTimeMode(std::string_view name);
Result<DebeziumBinaryMode> ParseDebeziumBinaryMode(std::string_view name);
Result<DebeziumBigIntUnsignedMode> ParseDebeziumBigIntUnsignedMode(std::string_view name);

}  // namespace cdc
