#include "connectors/mq/dispatch_rules.h"

#include "runtime/ascii.h"

namespace cdc {

const char* PartitionDispatchName(PartitionDispatch dispatch) {
  switch (dispatch) {
    case PartitionDispatch::kDefault: return "default";
    case PartitionDispatch::kTable: return "table";
    case PartitionDispatch::kIndexValue: return "index-value";
    case PartitionDispatch::kColumns: return "columns";
    case PartitionDispatch::kTs: return "ts";
  }
  return "default";
}

std::optional<PartitionDispatch> ParsePartitionDispatch(std::string_view name) {
  std::string lower = AsciiLower(AsciiTrim(name));
  // TiCDC's older names: "rowid" for index-value.
  if (lower == "rowid") return PartitionDispatch::kIndexValue;
  for (auto dispatch :
       {PartitionDispatch::kDefault, PartitionDispatch::kTable, PartitionDispatch::kIndexValue,
        PartitionDispatch::kColumns, PartitionDispatch::kTs}) {
    if (lower == PartitionDispatchName(dispatch)) return dispatch;
  }
  return std::nullopt;
}

}  // namespace cdc
