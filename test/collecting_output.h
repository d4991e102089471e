// Test helper: an operator Output that keeps every change emitted to it, in order.
#pragma once

#include <vector>

#include "operators/operator.h"

namespace cdc::testing {

class CollectingOutput final : public Output {
 public:
  Status Emit(RowChange&& change) override {
    changes.push_back(std::move(change));
    return Status::Ok();
  }
  std::vector<RowChange> changes;
};

}  // namespace cdc::testing
