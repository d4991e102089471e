// StartupPosition: the startup modes that need no server resolve to the position they name;
// the server checks themselves run against a real server (test/integration).
#include "connectors/mysql/source/startup_position.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

MysqlCdcSourceOptions Options(StartupMode mode, std::string start_position = "") {
  MysqlCdcSourceOptions options;
  options.startup = mode;
  options.start_position = std::move(start_position);
  options.server_id = 7;
  return options;
}

BinlogEnd End() {
  BinlogEnd end;
  end.position = BinlogPosition{"mysql-bin.000004", 1200};
  auto gtids = GtidState::Parse("0-1-12");
  REQUIRE(gtids.ok());
  end.gtids = *gtids;
  return end;
}

}  // namespace

TEST_CASE("a streaming source needs a server id; a snapshot-only one does not") {
  MysqlCdcSourceOptions options = Options(StartupMode::kLatest);
  options.server_id = 0;
  Status status = CheckServerId(options);
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("mysql source: no server id") == 0);
  options.startup = StartupMode::kSnapshot;
  CHECK(CheckServerId(options).ok());
}

TEST_CASE("startup mode latest streams from the binlog's end at startup") {
  MysqlConnection unused;
  auto start = ResolveStartupPosition(unused, Options(StartupMode::kLatest), End());
  REQUIRE(start.ok());
  CHECK(start->binlog.ToString() == "mysql-bin.000004:1200");
  CHECK(start->gtids.empty());
  CHECK(start->skip_before_s == 0);
}

TEST_CASE("startup mode specific streams from a file position or after MariaDB GTIDs") {
  MysqlConnection unused;
  auto position =
      ResolveStartupPosition(unused, Options(StartupMode::kSpecific, "mysql-bin.000003:4"), End());
  REQUIRE(position.ok());
  CHECK(position->binlog.ToString() == "mysql-bin.000003:4");
  CHECK(position->gtids.empty());

  auto gtids =
      ResolveStartupPosition(unused, Options(StartupMode::kSpecific, "0-1-42,1-2-7"), End());
  REQUIRE(gtids.ok());
  CHECK(gtids->binlog.empty());
  CHECK(gtids->gtids == "0-1-42,1-2-7");
  CHECK(gtids->gtid_state.ToString() == "0-1-42,1-2-7");

  auto bad = ResolveStartupPosition(unused, Options(StartupMode::kSpecific, "yesterday"), End());
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "start position 'yesterday' is neither file:offset (mysql-bin.000003:4) nor MariaDB GTIDs "
        "(0-1-42)");
}

TEST_CASE("startup modes that begin with a snapshot name no stream position") {
  MysqlConnection unused;
  for (StartupMode mode : {StartupMode::kInitial, StartupMode::kSnapshot}) {
    auto start = ResolveStartupPosition(unused, Options(mode), End());
    REQUIRE(start.ok());
    CHECK(start->binlog.empty());
    CHECK(start->gtids.empty());
  }
}

}  // namespace cdc
