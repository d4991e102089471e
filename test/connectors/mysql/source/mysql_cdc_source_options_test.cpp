#include "connectors/mysql/source/mysql_cdc_source_options.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("startup modes parse by name") {
  CHECK(*ParseStartupMode("initial") == StartupMode::kInitial);
  CHECK(*ParseStartupMode("timestamp") == StartupMode::kTimestamp);
  auto bad = ParseStartupMode("latest-offset");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("initial, snapshot, latest") != std::string::npos);
}

}  // namespace cdc
