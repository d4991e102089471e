#include "connectors/mysql/source/stream_pacing.h"

#include <algorithm>

namespace cdc {

int StreamPacing::CaughtUpWaitMs(Micros now) const {
  int64_t left_us = (last_caught_up_ + kInterval - now).count();
  return static_cast<int>(std::clamp<int64_t>((left_us + 999) / 1000, 0, 20));
}

bool StreamPacing::HandOff(bool heartbeat, bool committed, Micros now) {
  if (!heartbeat && !(committed && now - last_handoff_ >= kInterval)) return false;
  last_handoff_ = now;
  return true;
}

}  // namespace cdc
