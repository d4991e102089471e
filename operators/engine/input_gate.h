// InputGate: counts the control events a subtask receives from its upstream producers. A
// barrier is complete once every producer has delivered it; the input has ended once every
// producer has said so. Each producer delivers each barrier once, in order, before its end.
//
// Thread-bound: owned by one subtask.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>

namespace cdc {

class InputGate {
 public:
  explicit InputGate(size_t producers) : producers_(producers) {}

  // True when this is the last producer's copy of barrier `checkpoint_id`.
  bool OnBarrier(uint64_t checkpoint_id) {
    size_t& seen = barriers_[checkpoint_id];
    if (++seen < producers_) return false;
    barriers_.erase(checkpoint_id);
    return true;
  }

  // True when this is the last producer's end of input.
  bool OnEndOfInput() { return ++ended_ == producers_; }

 private:
  const size_t producers_;
  size_t ended_ = 0;
  std::map<uint64_t, size_t> barriers_;  // barriers seen from some producers, by id
};

}  // namespace cdc
