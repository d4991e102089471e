#include "schema/row_change.h"

#include <algorithm>

#include <fmt/format.h>

namespace cdc {

const char* ChangeKindName(ChangeKind kind) {
  switch (kind) {
    case ChangeKind::kInsert: return "insert";
    case ChangeKind::kUpdate: return "update";
    case ChangeKind::kDelete: return "delete";
    case ChangeKind::kTruncate: return "truncate";
    case ChangeKind::kSchemaChange: return "schema change";
  }
  return "unknown";
}

std::string SourcePosition::ToString() const {
  std::string out =
      file.empty() ? fmt::format("{}", offset) : fmt::format("{}:{}", file.str(), offset);
  if (!gtid.empty()) out += fmt::format(" (gtid {})", gtid.str());
  return out;
}

size_t RowChange::ByteSize() const {
  size_t size = sizeof(RowChange);  // the position's file name and GTID prefix are shared
  for (const Value& value : before) size += value.ByteSize();
  for (const Value& value : after) size += value.ByteSize();
  return size;
}

std::string RowChange::ToString() const {
  if (kind == ChangeKind::kSchemaChange && schema_change != nullptr) {
    return fmt::format("schema change {} ({}) @{}", table ? table->id().ToString() : "(no schema)",
                       schema_change->ToString(), position.ToString());
  }
  std::string out = ChangeKindName(kind);
  out.push_back(' ');
  out += table ? table->id().ToString() : "(no schema)";

  // Without a schema (or with an image wider than it) columns are named by 1-based position,
  // as the binlog does.
  auto column_name = [this](size_t i) {
    if (table && i < table->columns().size()) return table->columns()[i].name;
    return fmt::format("#{}", i + 1);
  };
  if (kind == ChangeKind::kUpdate) {
    const size_t width = std::max(before.size(), after.size());
    for (size_t i = 0; i < width; ++i) {
      out += fmt::format(" {}=", column_name(i));
      const bool has_before = i < before.size();
      const bool has_after = i < after.size();
      if (has_before && has_after && before[i] == after[i]) {
        out += after[i].ToString();
      } else {
        out += has_before ? before[i].ToString() : "?";
        out += "->";
        out += has_after ? after[i].ToString() : "?";
      }
    }
  } else {
    const Row& row = image();
    for (size_t i = 0; i < row.size(); ++i) {
      out += fmt::format(" {}={}", column_name(i), row[i].ToString());
    }
  }
  out += " @";
  out += position.ToString();
  return out;
}

std::vector<RowChange> SchemaChangeBarriers(const SchemaChangePtr& change,
                                            const SourcePosition& position, int64_t commit_time_us,
                                            uint64_t transaction_id) {
  std::vector<RowChange> barriers;
  for (const TableId& id : change->Tables()) {
    RowChange barrier;
    barrier.kind = ChangeKind::kSchemaChange;
    barrier.table = change->SchemaOf(id).get();  // kept alive by `change`
    barrier.schema_change = change;
    barrier.position = position;
    barrier.commit_time_us = commit_time_us;
    barrier.transaction_id = transaction_id;
    barriers.push_back(std::move(barrier));
  }
  return barriers;
}

}  // namespace cdc
