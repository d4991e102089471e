#include "operators/key_split_operator.h"

#include "schema/row_key.h"

namespace cdc {

Status KeySplitOperator::Process(RowChange&& change, Output& out) {
  if (!KeyChanged(change)) return out.Emit(std::move(change));
  RowChange insert;
  insert.kind = ChangeKind::kInsert;
  insert.table = change.table;
  insert.after = std::move(change.after);
  insert.position = change.position;
  insert.commit_time_us = change.commit_time_us;
  insert.transaction_id = change.transaction_id;
  change.kind = ChangeKind::kDelete;
  change.after.clear();
  CDC_RETURN_IF_ERROR(out.Emit(std::move(change)));
  return out.Emit(std::move(insert));
}

}  // namespace cdc
