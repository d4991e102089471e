#include "connectors/mysql/source/mysql_cdc_source.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("a source state is described by its binlog position, else its snapshot progress") {
  CHECK(MysqlCdcSource::DescribeState("binlog\tmysql-bin.000003:4711\ngtids\t0-1-5\n") ==
        "mysql-bin.000003:4711");
  CHECK(MysqlCdcSource::DescribeState("\nstart\tmysql-bin.000001:4\n"
                                      "table\tdb\ta\tdone\tmysql-bin.000001:9\t10\n"
                                      "table\tdb\tb\tpartial\tmysql-bin.000001:9\t3\t01\n") ==
        "snapshot, 1 of 2 tables done");
  CHECK(MysqlCdcSource::DescribeState("") == "the start");
}

TEST_CASE("startup modes parse by name") {
  CHECK(*ParseStartupMode("initial") == StartupMode::kInitial);
  CHECK(*ParseStartupMode("timestamp") == StartupMode::kTimestamp);
  auto bad = ParseStartupMode("latest-offset");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("initial, snapshot, latest") != std::string::npos);
}

}  // namespace cdc
