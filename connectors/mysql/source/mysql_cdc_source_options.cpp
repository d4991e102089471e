#include "connectors/mysql/source/mysql_cdc_source_options.h"

#include <fmt/format.h>

#include <utility>

namespace cdc {

Result<StartupMode> ParseStartupMode(std::string_view text) {
  static const std::pair<const char*, StartupMode> kModes[] = {
      {"initial", StartupMode::kInitial},   {"snapshot", StartupMode::kSnapshot},
      {"latest", StartupMode::kLatest},     {"earliest", StartupMode::kEarliest},
      {"specific", StartupMode::kSpecific}, {"timestamp", StartupMode::kTimestamp},
  };
  for (const auto& [name, mode] : kModes) {
    if (text == name) return mode;
  }
  return Status::InvalidArgument(fmt::format(
      "unknown startup mode '{}': use initial, snapshot, latest, earliest, specific or timestamp",
      text));
}

}  // namespace cdc
