#include "connectors/mysql/source/capture_list_change.h"

#include <fmt/format.h>

#include "runtime/logger.h"

namespace cdc {

CaptureListChange CaptureListChange::Plan(const MysqlSourceState& saved,
                                          const SchemaCatalog& saved_catalog,
                                          const std::map<TableId, TableSchemaPtr>& server,
                                          TableFilter& filter) {
  CaptureListChange change;
  // What the list held then. A state from before capture lists were kept: its catalog.
  std::set<TableId> captured = saved.captured;
  if (!saved.has_capture_list) {
    for (const auto& [id, schema] : saved_catalog.tables()) captured.insert(id);
  }
  change.released = saved.released;
  for (const TableId& id : captured) {
    if (!filter.Accepts(id)) change.released.insert(id);
  }
  for (const auto& [id, reload] : saved.backfill) {
    if (!filter.Accepts(id)) {
      change.released.insert(
          id);  // left out before its snapshot ended: reloaded when it comes back
      change.forgotten.insert(id);
    } else {
      change.backfill[id] = reload;
    }
  }
  const bool streaming = !saved.binlog.empty();
  for (const auto& [id, schema] : server) {
    if (captured.count(id) != 0 || change.backfill.count(id) != 0) continue;
    // Joined the list: its schema as the server has it now, the one its snapshot reads.
    change.joined.push_back(schema);
    change.forgotten.insert(id);
    bool reload = change.released.erase(id) != 0;
    if (streaming)
      change.backfill[id] = reload;  // mid-snapshot: the snapshot reads it with the others
    Log(LogLevel::kInfo, "mysql source",
        fmt::format("{} joined the capture list{}: its rows are read by a snapshot of its own",
                    id.ToString(), reload ? " again (its target is emptied first)" : ""));
  }
  for (const TableId& id : change.released) {
    if (captured.count(id) != 0) {
      Log(LogLevel::kInfo, "mysql source",
          fmt::format("{} left the capture list: no longer captured, its target stays as it is",
                      id.ToString()));
    }
  }
  return change;
}

}  // namespace cdc
