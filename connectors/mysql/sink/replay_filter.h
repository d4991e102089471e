// ReplayFilter: when a job resumes from a checkpoint (MysqlSinkOptions::resuming), passes over
// the replayed changes of one target table that the target already has:
// - those that precede the last schema change applied to the table: its barrier wrote them
//   before the change, and the changed (or dropped) table would not take them;
// - for a table without a key, the stream changes up to the position its last flush recorded
//   in the same transaction (the progress table): applying them again would duplicate them.
// Both positions are read from the sink's state tables once, at the first batch; they only
// matter for the replay.
//
// Thread-bound: one per table writer.
#pragma once

#include <optional>
#include <vector>

#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/sink/mysql_sink_context.h"
#include "connectors/mysql/sink/mysql_sink_state.h"

namespace cdc {

class ReplayFilter {
 public:
  // `sink` outlives the filter.
  ReplayFilter(MysqlSinkContext& sink, TableId target) : sink_(sink), target_(std::move(target)) {}

  // Removes from `changes` (one source table's, in source order, not empty) those the target
  // already has. An error when the state tables cannot be read.
  [[nodiscard]] Status Skip(std::vector<RowChange>& changes);

 private:
  MysqlSinkContext& sink_;
  const TableId target_;
  std::optional<SchemaFloor> schema_floor_;
  GtidState floor_gtids_;                          // schema_floor_'s source_gtids, parsed
  std::optional<SourcePosition> applied_through_;  // keyless tables
};

}  // namespace cdc
