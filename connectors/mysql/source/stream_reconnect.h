// StreamReconnect: how a MysqlCdcSource's binlog stream comes back after a transient failure
// (the server unreachable, the connection lost). It counts the failures in a row, spaces the
// attempts by a backoff that doubles per failure (reconnect_backoff_ms, at most 5 s), and once
// more than reconnect_attempts failed in a row says why the source stops, naming the server
// and the option to raise. A success resets the count.
//
// A value type; thread-bound like the source that holds it. Time comes from the caller.
#pragma once

#include <cstdint>
#include <string>

#include "runtime/clock.h"
#include "runtime/status.h"

namespace cdc {

class StreamReconnect {
 public:
  StreamReconnect() = default;
  // `server` names the binlog's server in messages (MysqlOptions::Describe()).
  StreamReconnect(std::string server, uint32_t attempts, uint32_t backoff_ms)
      : server_(std::move(server)), attempts_(attempts), backoff_ms_(backoff_ms) {}

  // Records a failure of the stream (`last`). OK while another attempt is allowed; else `last`
  // with the context that the source stops and how to let it wait longer.
  [[nodiscard]] Status Failed(const Status& last);
  // The stream works again: the next failure is the first in a row.
  void Succeeded() { failures_ = 0; }

  // After a failure: the next attempt waits until now + the backoff; returns that time.
  Micros BackOff(Micros now);
  // When the next attempt may start (0 before any failure).
  Micros retry_at() const { return retry_at_; }

  uint32_t failures() const { return failures_; }
  uint32_t attempts() const { return attempts_; }

 private:
  std::string server_;
  uint32_t attempts_ = 0;
  uint32_t backoff_ms_ = 0;
  uint32_t failures_ = 0;
  Micros retry_at_{0};
};

}  // namespace cdc
