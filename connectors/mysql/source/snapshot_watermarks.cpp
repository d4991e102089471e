#include "connectors/mysql/source/snapshot_watermarks.h"

#include <fmt/format.h>

#include <algorithm>

namespace cdc {

void SnapshotWatermarks::Add(const TableId& table, const TableSnapshotState& state) {
  Watermark& mark = marks_[table];
  mark.position = state.position;
  auto gtids = GtidState::Parse(state.gtids);
  mark.has_gtids = !state.gtids.empty() && gtids.ok();
  if (mark.has_gtids) mark.gtids = *gtids;
  if (latest_.empty() || latest_ < state.position) latest_ = state.position;
}

void SnapshotWatermarks::Reset() {
  marks_.clear();
  latest_ = BinlogPosition();
}

void SnapshotWatermarks::Clear() {
  marks_.clear();
}

bool SnapshotWatermarks::After(const TableId& table, const BinlogPosition& position,
                               const SourceGtid& gtid) const {
  auto mark = marks_.find(table);
  if (mark == marks_.end()) return true;
  // Other history: the transaction is in the snapshot if the snapshot's GTIDs hold it.
  if (by_gtids_) return !mark->second.gtids.Contains(gtid);
  return mark->second.position < position;
}

bool SnapshotWatermarks::PositionPastAll(const BinlogPosition& position) const {
  return !marks_.empty() && !by_gtids_ && latest_ < position;
}

bool SnapshotWatermarks::PassedBy(const BinlogPosition& position, const GtidState& gtids) const {
  if (marks_.empty()) return false;
  if (!by_gtids_) return latest_ < position;
  return std::all_of(marks_.begin(), marks_.end(),
                     [&](const auto& mark) { return gtids.Covers(mark.second.gtids); });
}

bool SnapshotWatermarks::SnapshotHolds(const TableId& table, const BinlogPosition& position) const {
  auto mark = marks_.find(table);
  return mark != marks_.end() && !by_gtids_ && !(mark->second.position < position);
}

void SnapshotWatermarks::StreamStart(const BinlogPosition& snapshot_start,
                                     const GtidState& snapshot_start_gtids,
                                     BinlogPosition& position, GtidState& gtids) const {
  position = snapshot_start;
  gtids = GtidState();
  for (const auto& [table, mark] : marks_) {
    if (mark.position < position) position = mark.position;
  }
  if (position == snapshot_start) gtids = snapshot_start_gtids;
  for (const auto& [table, mark] : marks_) {
    if (mark.position == position && mark.has_gtids) gtids = mark.gtids;
  }
}

Status SnapshotWatermarks::MoveToGtids(const std::string& moved_to,
                                       const std::string& server_state) {
  bool all_have_gtids = std::all_of(marks_.begin(), marks_.end(),
                                    [](const auto& mark) { return mark.second.has_gtids; });
  if (!all_have_gtids) {
    return Status::InvalidArgument(fmt::format(
        "the source server's binlog changed during the catch-up after the snapshot ({}): "
        "the snapshot's positions do not hold on it and it recorded no GTIDs; remove the "
        "checkpoints and start again with startup mode initial",
        moved_to));
  }
  for (const auto& [table, mark] : marks_) {
    if (!mark.gtids.HeldBy(server_state)) {
      return Status::InvalidArgument(fmt::format(
          "the snapshot of {} holds GTIDs {} that the source server now serving the binlog "
          "never logged (its state: {}): a failover lost transactions the target already "
          "has; remove the checkpoints and start again with startup mode initial",
          table.ToString(), mark.gtids.ToString(), server_state));
    }
  }
  by_gtids_ = by_gtids_ || !marks_.empty();
  return Status::Ok();
}

}  // namespace cdc
