#include "runtime/partitioning.h"

namespace cdc {

const char* PartitioningName(Partitioning partitioning) {
  switch (partitioning) {
    case Partitioning::kForward: return "forward";
    case Partitioning::kHash: return "hash";
    case Partitioning::kBroadcast: return "broadcast";
    case Partitioning::kRebalance: return "rebalance";
  }
  return "unknown";
}

}  // namespace cdc
