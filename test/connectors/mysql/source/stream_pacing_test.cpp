#include "connectors/mysql/source/stream_pacing.h"

#include <doctest/doctest.h>

namespace cdc {

constexpr int64_t kWallNow = 1'800'000'000;  // Unix seconds of "now" in these tests

TEST_CASE("caught up is due only at the binlog's head with rows since the last signal") {
  StreamPacing pacing;
  CHECK_FALSE(pacing.CaughtUpDue(0, kWallNow));  // no rows yet
  pacing.OnEvent(kWallNow - 10);                 // replaying history: events 10 s old
  CHECK_FALSE(pacing.CaughtUpDue(5, kWallNow));
  pacing.OnEvent(kWallNow - 2);
  CHECK(pacing.CaughtUpDue(5, kWallNow));
  pacing.OnEvent(0);  // an event without a timestamp (an artificial one) changes nothing
  CHECK(pacing.CaughtUpDue(5, kWallNow));
  pacing.CaughtUp(5, Micros(1'000'000));
  CHECK_FALSE(pacing.CaughtUpDue(5, kWallNow));  // nothing new since the signal
  CHECK(pacing.CaughtUpDue(6, kWallNow));
}

TEST_CASE("a caught-up signal waits for the server what is left of 20 ms since the last") {
  StreamPacing pacing;
  CHECK(pacing.CaughtUpWaitMs(Micros(1'000'000)) == 0);  // never signalled: at once
  pacing.CaughtUp(1, Micros(1'000'000));
  CHECK(pacing.CaughtUpWaitMs(Micros(1'000'000)) == 20);
  CHECK(pacing.CaughtUpWaitMs(Micros(1'005'000)) == 15);
  CHECK(pacing.CaughtUpWaitMs(Micros(1'005'001)) == 15);  // rounded up to whole milliseconds
  CHECK(pacing.CaughtUpWaitMs(Micros(1'019'999)) == 1);
  CHECK(pacing.CaughtUpWaitMs(Micros(1'020'000)) == 0);
  CHECK(pacing.CaughtUpWaitMs(Micros(2'000'000)) == 0);
}

TEST_CASE("a heartbeat always hands batches on; a commit at most every 20 ms") {
  StreamPacing pacing;
  CHECK_FALSE(pacing.HandOff(false, false, Micros(1'000'000)));  // mid-transaction
  CHECK(pacing.HandOff(false, true, Micros(1'000'000)));
  CHECK_FALSE(pacing.HandOff(false, true, Micros(1'010'000)));  // 10 ms after the last
  CHECK(pacing.HandOff(true, false, Micros(1'010'000)));        // a heartbeat: at once
  CHECK_FALSE(pacing.HandOff(false, true, Micros(1'029'999)));
  CHECK(pacing.HandOff(false, true, Micros(1'030'000)));
}

}  // namespace cdc
