// FilterOperator: the stateless one-in, at-most-one-out operator that DataStream::Filter builds
// from a predicate. Thread-bound like every Operator; the predicate must be safe to copy into
// each parallel subtask.
#pragma once

#include <functional>
#include <utility>

#include "operators/operator.h"

namespace cdc {

// Keeps the changes for which it returns true.
using FilterPredicate = std::function<bool(const RowChange&)>;

class FilterOperator final : public Operator {
 public:
  explicit FilterOperator(FilterPredicate keep) : keep_(std::move(keep)) {}
  Status Process(RowChange&& change, Output& out) override {
    if (!keep_(change)) return Status::Ok();
    return out.Emit(std::move(change));
  }

 private:
  FilterPredicate keep_;
};

}  // namespace cdc
