#include "connectors/mysql/client/binlog_position.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("binlog positions parse, print and order by file sequence then offset") {
  auto position = BinlogPosition::Parse("mysql-bin.000003:4711");
  REQUIRE(position.ok());
  CHECK(position->file == "mysql-bin.000003");
  CHECK(position->offset == 4711);
  CHECK(position->ToString() == "mysql-bin.000003:4711");
  CHECK(BinlogPosition{"mysql-bin.000003", 9000} < BinlogPosition{"mysql-bin.000004", 4});
  CHECK(BinlogPosition{"mysql-bin.999999", 9000} < BinlogPosition{"mysql-bin.1000000", 4});
  CHECK(BinlogPosition{"mysql-bin.000003", 4} < BinlogPosition{"mysql-bin.000003", 5});
  CHECK_FALSE(BinlogPosition{"mysql-bin.000003", 5} < BinlogPosition{"mysql-bin.000003", 5});
  for (const char* bad : {"mysql-bin.000003", "mysql-bin.000003:", ":4", "x:4a"}) {
    CAPTURE(bad);
    auto parsed = BinlogPosition::Parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message().find("mysql-bin.000003:4") != std::string::npos);
  }
}

}  // namespace cdc
