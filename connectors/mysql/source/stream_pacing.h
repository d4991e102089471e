// StreamPacing: when a MysqlCdcSource's binlog poll ends early so that rows already read reach
// the target without waiting for more. Two signals, each at most every 20 ms:
// - caught up: the stream is at the binlog's head (its newest event is at most 2 s older than
//   the wall clock, not a replay of history) with rows decoded since the last such signal, so
//   the sinks may write what they hold now instead of at their flush interval. Within 20 ms of
//   the last signal the poll first waits out the rest for the server (reading on if it sends),
//   so a trickle of small transactions does not become as many target transactions;
// - hand-off: after a heartbeat (the server had nothing to send) or a commit, the poll returns
//   so partial batches move downstream: the next read may block until the next heartbeat.
//
// A value type; thread-bound like the source that holds it. Times come from the caller.
#pragma once

#include <cstdint>

#include "runtime/clock.h"

namespace cdc {

class StreamPacing {
 public:
  static constexpr Micros kInterval{20'000};

  // Whether a caught-up signal is due: `rows` (the decoder's count) grew since the last one and
  // the newest event is recent against `wall_now_s` (Unix seconds).
  bool CaughtUpDue(uint64_t rows, int64_t wall_now_s) const {
    return rows != rows_at_caught_up_ && last_event_time_s_ + 2 >= wall_now_s;
  }
  // Milliseconds (0-20) to wait for the server before signalling: what is left of the 20 ms
  // since the last signal at `now`.
  int CaughtUpWaitMs(Micros now) const;
  // The caught-up signal was given at `now`, with the decoder at `rows`.
  void CaughtUp(uint64_t rows, Micros now) {
    rows_at_caught_up_ = rows;
    last_caught_up_ = now;
  }
  // An event with binlog timestamp `timestamp_s` (Unix seconds; 0 for none) was decoded.
  void OnEvent(uint32_t timestamp_s) {
    if (timestamp_s != 0) last_event_time_s_ = timestamp_s;
  }
  // Whether the poll ends at `now` to hand partial batches on after this event: a heartbeat
  // always, a commit when the last hand-off is 20 ms old. Records the hand-off.
  bool HandOff(bool heartbeat, bool committed, Micros now);

 private:
  Micros last_handoff_{0};          // when the last poll ended to hand partial batches on
  Micros last_caught_up_{0};        // when the last caught-up signal was given
  uint64_t rows_at_caught_up_ = 0;  // the decoder's rows then
  int64_t last_event_time_s_ = 0;   // the newest event's binlog timestamp (Unix seconds)
};

}  // namespace cdc
