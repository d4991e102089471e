// StreamReconnect: the backoff between attempts doubles up to 5 s, and the source gives up
// after the allowed failures in a row, saying how to let it wait longer.
#include "connectors/mysql/source/stream_reconnect.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("reconnect attempts back off, doubling up to 5 s, until too many fail in a row") {
  StreamReconnect reconnect("db1:3306", 3, 200);
  CHECK(reconnect.retry_at() == Micros(0));
  const Micros now(1'000'000);
  REQUIRE(reconnect.Failed(Status::IoError("lost")).ok());
  CHECK(reconnect.BackOff(now) == now + Micros(400'000));
  CHECK(reconnect.retry_at() == now + Micros(400'000));
  REQUIRE(reconnect.Failed(Status::IoError("lost")).ok());
  CHECK(reconnect.BackOff(now) == now + Micros(800'000));
  REQUIRE(reconnect.Failed(Status::IoError("lost")).ok());
  CHECK(reconnect.failures() == 3);
  Status gave_up = reconnect.Failed(Status::IoError("connection refused"));
  REQUIRE_FALSE(gave_up.ok());
  CHECK(gave_up.code() == StatusCode::kIoError);
  CHECK(
      gave_up.message().find("the binlog stream of db1:3306 failed 4 times in a row and the source "
                             "stops (raise connect.max-retries") == 0);
  CHECK(gave_up.message().find("connection refused") != std::string::npos);
}

TEST_CASE("a working stream starts the count of failures again") {
  StreamReconnect reconnect("db1:3306", 1, 3000);
  REQUIRE(reconnect.Failed(Status::IoError("lost")).ok());
  CHECK(reconnect.BackOff(Micros(0)) == Micros(5'000'000));  // 6 s, capped
  reconnect.Succeeded();
  CHECK(reconnect.failures() == 0);
  REQUIRE(reconnect.Failed(Status::IoError("lost")).ok());
  CHECK_FALSE(reconnect.Failed(Status::IoError("lost")).ok());
}

}  // namespace cdc
