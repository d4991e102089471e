#include "connectors/mysql/source/stream_reconnect.h"

#include <fmt/format.h>

#include <algorithm>

namespace cdc {

Status StreamReconnect::Failed(const Status& last) {
  if (++failures_ <= attempts_) return Status::Ok();
  return last.WithContext(fmt::format(
      "the binlog stream of {} failed {} times in a row and the source stops (raise "
      "connect.max-retries, reconnect_attempts in C++, to wait longer for a server that comes "
      "back); the last failure",
      server_, failures_));
}

Micros StreamReconnect::BackOff(Micros now) {
  uint64_t backoff_ms = std::min<uint64_t>(5000, uint64_t{backoff_ms_} << std::min(failures_, 10u));
  retry_at_ = now + Micros(backoff_ms * 1000);
  return retry_at_;
}

}  // namespace cdc
