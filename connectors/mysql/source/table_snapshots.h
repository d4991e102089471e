// TableSnapshots: the snapshots of a MysqlCdcSource's tables, read by a SnapshotReader and
// turned into changes. Each chunk becomes inserts at the position where its table's snapshot
// stood; a table's first chunk comes after a truncate that empties its target when the target
// cannot be upserted into exactly (a table without a key, read again from its start) or may
// hold rows the source no longer has (a table captured again: reload). It keeps each table's
// snapshot progress (TableSnapshotState), which a checkpoint saves and a restart resumes from,
// and the counts a person or a test reads (SnapshotProgress).
//
// Thread-bound, like the source that holds it; the reader reads on its own threads.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <vector>

#include "connectors/mysql/client/mysql_options.h"
#include "connectors/mysql/source/snapshot/snapshot_reader.h"
#include "operators/operator.h"
#include "runtime/clock.h"

namespace cdc {

// Snapshot progress, for logs and tests.
struct SnapshotProgress {
  size_t tables_total = 0;
  size_t tables_done = 0;
  uint64_t chunks = 0;
  uint64_t rows = 0;
  // How often, and at most how long, opening table snapshots blocked the source's commits.
  uint64_t commit_blocks = 0;
  std::chrono::microseconds longest_commit_block{0};
};

class TableSnapshots {
 public:
  // Each table's snapshot progress: where it stood, how far it read, whether it is done.
  const std::map<TableId, TableSnapshotState>& states() const { return states_; }
  // The progress saved by a checkpoint.
  void Restore(std::map<TableId, TableSnapshotState> states) { states_ = std::move(states); }
  // Forgets `table`'s progress: its snapshot, if read again, starts over.
  void Forget(const TableId& table) { states_.erase(table); }

  const SnapshotProgress& progress() const { return progress_; }

  // Whether a reader is running.
  bool reading() const { return reader_ != nullptr; }
  // Starts reading `tables` (on the reader's threads) from their progress; the counts start
  // over at them, those done already counted done. `now` times the snapshot for the log.
  void Start(const MysqlOptions& connection, const SnapshotOptions& options,
             std::vector<TableSchemaPtr> tables, Micros now);
  // The next chunk, waiting up to `wait`; nullopt when none is ready. Requires reading().
  Result<std::optional<SnapshotChunk>> Next(std::chrono::milliseconds wait) {
    return reader_->Next(wait);
  }
  // Whether every table is read and handed out. Requires reading().
  bool finished() { return reader_->finished(); }
  // The snapshot is read whole: stops the reader, takes its commit-block counts and logs the
  // totals (`now`: the end, for the rate).
  void Finish(Micros now);
  // Stops the reader, if any.
  void Stop();

  // Emits `chunk`: its table's truncate first when due (`reload`: the table was captured
  // before, so its target is emptied with this, its first chunk), then its rows as inserts.
  // Records the table's progress.
  [[nodiscard]] Status Emit(SnapshotChunk& chunk, bool reload, Output& out);

 private:
  std::unique_ptr<SnapshotReader> reader_;
  std::map<TableId, TableSnapshotState> states_;
  SnapshotProgress progress_;
  Micros started_{0};
  std::set<TableId>
      reloaded_;  // tables whose snapshot emptied the target (keyless, or captured again)
};

}  // namespace cdc
