// Partitioning: how an edge of the job graph spreads records over the downstream subtasks.
// Pure functions; thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

namespace cdc {

enum class Partitioning : uint8_t {
  kForward,    // subtask i feeds subtask i (equal parallelism)
  kHash,       // by a 64-bit key hash: equal keys always reach the same subtask
  kTableHash,  // by the table alone: every change of one table reaches the same subtask
  kBroadcast,  // every record to every subtask
  kRebalance,  // round-robin, for stateless work
};

// The subtask (of `parallelism`) that owns `hash`. Uses the high bits of hash * parallelism,
// so it is uniform for any parallelism, not only powers of two.
inline size_t SubtaskForHash(uint64_t hash, size_t parallelism) {
  return static_cast<size_t>((static_cast<unsigned __int128>(hash) * parallelism) >> 64);
}

}  // namespace cdc
