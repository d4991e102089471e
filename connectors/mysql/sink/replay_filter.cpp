#include "connectors/mysql/sink/replay_filter.h"

#include <algorithm>

#include "connectors/mysql/client/source_order.h"

namespace cdc {

Status ReplayFilter::Skip(std::vector<RowChange>& changes) {
  if (!schema_floor_) {
    auto read = sink_.LastSchemaChange(target_);
    if (!read.ok()) return read.status();
    schema_floor_ = *read;
    auto gtids = GtidState::Parse(read->source_gtids);
    floor_gtids_ = gtids.ok() ? *gtids : GtidState();
  }
  const TableId source = changes.front().table->id();
  bool keyless = !changes.front().table->has_key();
  if (keyless && !applied_through_) {
    auto read = sink_.AppliedThrough(target_, source);
    if (!read.ok()) return read.status();
    applied_through_ = *read;
  }
  // Before the floor when the source's GTID state after it holds the change's transaction
  // (on any server of the history), else by CompareInSource; what cannot be ordered is applied.
  // Rows of the schema change's own transaction (CREATE TABLE ... SELECT) follow it.
  const SourcePosition& floor = schema_floor_->position;
  std::erase_if(changes, [&](const RowChange& change) {
    const SourcePosition& at = change.position;
    if (floor_gtids_.has_mariadb() && !(at.gtid == floor.gtid) && floor_gtids_.Contains(at.gtid))
      return true;
    if (!floor.file.empty() && CompareInSource(at, floor) < 0) return true;
    if (!keyless || applied_through_->file.empty() || at.index == 0) return false;
    return CompareInSource(at, *applied_through_) <= 0;
  });
  return Status::Ok();
}

}  // namespace cdc
