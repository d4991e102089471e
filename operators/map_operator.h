// MapOperator: the stateless one-in, one-out operator that DataStream::Map builds from a
// function. Thread-bound like every Operator; the function must be safe to copy into each
// parallel subtask.
#pragma once

#include <functional>
#include <utility>

#include "operators/operator.h"

namespace cdc {

// Rewrites each change in place (project columns, rename, convert values).
using MapFunction = std::function<Status(RowChange&)>;

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

}  // namespace cdc
