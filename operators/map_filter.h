// MapOperator and FilterOperator: the stateless one-in, at-most-one-out operators that
// DataStream::Map and DataStream::Filter build from a function. Thread-bound like every
// Operator; the function must be safe to copy into each parallel subtask.
#pragma once

#include <functional>
#include <utility>

#include "operators/operator.h"

namespace cdc {

// Rewrites each change in place (project columns, rename, convert values).
using MapFunction = std::function<Status(RowChange&)>;
// Keeps the changes for which it returns true.
using FilterPredicate = std::function<bool(const RowChange&)>;

class MapOperator final : public Operator {
 public:
  explicit MapOperator(MapFunction fn) : fn_(std::move(fn)) {}
  Status Process(RowChange&& change, Output& out) override {
    CDC_RETURN_IF_ERROR(fn_(change));
    return out.Emit(std::move(change));
  }

 private:
  MapFunction fn_;
};

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
