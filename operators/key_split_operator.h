// KeySplitOperator: runs just before a key-by edge. An update that changes the row's key
// becomes a delete of the old key and an insert of the new one, each then routed by its own key
// (KeyRouter), so both subtasks concerned see the change. Thread-bound like every Operator.
#pragma once

#include "operators/operator.h"

namespace cdc {

class KeySplitOperator final : public Operator {
 public:
  Status Process(RowChange&& change, Output& out) override;
};

}  // namespace cdc
