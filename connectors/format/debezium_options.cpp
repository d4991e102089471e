#include "connectors/format/debezium_options.h"

#include <string_view>

#include <fmt/format.h>

namespace cdc {
namespace {

template <typename Mode, size_t N>
Result<Mode> ParseMode(std::string_view name, const char* property,
                       const std::pair<const char*, Mode> (&names)[N]) {
  std::string accepted;
  for (const auto& [text, mode] : names) {
    if (name == text) return mode;
    accepted += accepted.empty() ? text : fmt::format(", {}", text);
  }
  return Status::InvalidArgument(
      fmt::format("debezium: {} '{}' is not a mode; use one of {}", property, name, accepted));
}

constexpr std::pair<const char*, DebeziumDecimalMode> kDecimalModes[] = {
    {"precise", DebeziumDecimalMode::kPrecise},
    {"string", DebeziumDecimalMode::kString},
    {"double", DebeziumDecimalMode::kDouble}};
constexpr std::pair<const char*, DebeziumTimeMode> kTimeModes[] = {
    {"adaptive_time_microseconds", DebeziumTimeMode::kAdaptiveTimeMicroseconds},
    {"connect", DebeziumTimeMode::kConnect}};
constexpr std::pair<const char*, DebeziumBinaryMode> kBinaryModes[] = {
    {"bytes", DebeziumBinaryMode::kBytes},
    {"base64", DebeziumBinaryMode::kBase64},
    {"hex", DebeziumBinaryMode::kHex}};
constexpr std::pair<const char*, DebeziumBigIntUnsignedMode> kBigIntModes[] = {
    {"long", DebeziumBigIntUnsignedMode::kLong}, {"precise", DebeziumBigIntUnsignedMode::kPrecise}};

template <typename Mode, size_t N>
const char* ModeName(Mode mode, const std::pair<const char*, Mode> (&names)[N]) {
  for (const auto& [text, candidate] : names) {
    if (candidate == mode) return text;
  }
  return "?";
}

}  // namespace

const char* DebeziumDecimalModeName(DebeziumDecimalMode mode) {
  return ModeName(mode, kDecimalModes);
}
const char* DebeziumTimeModeName(DebeziumTimeMode mode) {
  return ModeName(mode, kTimeModes);
}
const char* DebeziumBinaryModeName(DebeziumBinaryMode mode) {
  return ModeName(mode, kBinaryModes);
}
const char* DebeziumBigIntUnsignedModeName(DebeziumBigIntUnsignedMode mode) {
  return ModeName(mode, kBigIntModes);
}

Result<DebeziumDecimalMode> ParseDebeziumDecimalMode(std::string_view name) {
  return ParseMode(name, "decimal.handling.mode", kDecimalModes);
}
Result<DebeziumTimeMode> ParseDebeziumTimeMode(std::string_view name) {
  return ParseMode(name, "time.precision.mode", kTimeModes);
}
Result<DebeziumBinaryMode> ParseDebeziumBinaryMode(std::string_view name) {
  return ParseMode(name, "binary.handling.mode", kBinaryModes);
}
Result<DebeziumBigIntUnsignedMode> ParseDebeziumBigIntUnsignedMode(std::string_view name) {
  return ParseMode(name, "bigint.unsigned.handling.mode", kBigIntModes);
}

Status DebeziumOptions::Validate() const {
  if (topic_prefix.empty()) {
    return Status::InvalidArgument(
        "debezium: topic_prefix is empty; set it to the logical server name (e.g. 'shop')");
  }
  for (char c : topic_prefix) {
    const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                    c == '.' || c == '_' || c == '-';
    if (!ok) {
      return Status::InvalidArgument(fmt::format(
          "debezium: topic_prefix '{}' holds '{}'; use only letters, digits, '.', '_' and '-'",
          topic_prefix, c));
    }
  }
  if (connector != "mariadb" && connector != "mysql") {
    return Status::InvalidArgument(
        fmt::format("debezium: connector '{}' is not known; use 'mariadb' or 'mysql'", connector));
  }
  return Status::Ok();
}

}  // namespace cdc
