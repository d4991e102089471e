#include "connectors/mysql/source/table_snapshots.h"

#include <fmt/format.h>

#include <algorithm>

#include "runtime/logger.h"

namespace cdc {

void TableSnapshots::Start(const MysqlOptions& connection, const SnapshotOptions& options,
                           std::vector<TableSchemaPtr> tables, Micros now) {
  progress_ = SnapshotProgress();
  progress_.tables_total = tables.size();
  for (const TableSchemaPtr& table : tables) {
    auto state = states_.find(table->id());
    progress_.tables_done += state != states_.end() && state->second.done ? 1 : 0;
  }
  reader_ = std::make_unique<SnapshotReader>(connection, options, std::move(tables), states_);
  reader_->Start();
  started_ = now;
}

void TableSnapshots::Finish(Micros now) {
  reader_->Stop();
  CommitBlockStats blocks = reader_->commit_blocks();
  progress_.commit_blocks = blocks.blocks;
  progress_.longest_commit_block = blocks.longest;
  reader_.reset();
  double seconds = std::max<double>(1e-6, static_cast<double>((now - started_).count()) / 1e6);
  Log(LogLevel::kInfo, "mysql source",
      fmt::format("snapshot done: {} tables, {} chunks, {} rows in {:.1f} s ({:.0f} "
                  "rows/s); commits blocked {} times to open snapshots, longest {:.3f} ms, total "
                  "{:.3f} ms",
                  progress_.tables_total, progress_.chunks, progress_.rows, seconds,
                  static_cast<double>(progress_.rows) / seconds, blocks.blocks,
                  static_cast<double>(blocks.longest.count()) / 1e3,
                  static_cast<double>(blocks.total.count()) / 1e3));
}

void TableSnapshots::Stop() {
  if (reader_) reader_->Stop();
  reader_.reset();
}

Status TableSnapshots::Emit(SnapshotChunk& ready, bool reload, Output& out) {
  const TableId& id = ready.table->id();
  const SourcePosition at{ready.state.position.file, ready.state.position.offset, std::string()};
  if ((reload || !ready.table->has_key()) && reloaded_.count(id) == 0) {
    // A table without a key cannot be read from where a snapshot stopped, nor its rows
    // upserted; a table captured again may hold rows the source no longer has: its target is
    // emptied first and filled again, so it ends exact.
    reloaded_.insert(id);
    RowChange truncate;
    truncate.kind = ChangeKind::kTruncate;
    truncate.snapshot_reload = true;
    truncate.table = ready.table.get();
    truncate.position = at;
    truncate.commit_time_us = std::chrono::duration_cast<std::chrono::microseconds>(
                                  std::chrono::system_clock::now().time_since_epoch())
                                  .count();
    CDC_RETURN_IF_ERROR(out.Emit(std::move(truncate)));
  }
  for (Row& row : ready.rows) {
    RowChange change;
    change.kind = ChangeKind::kInsert;
    change.table = ready.table.get();
    change.after = std::move(row);
    change.position = at;
    CDC_RETURN_IF_ERROR(out.Emit(std::move(change)));
  }
  ++progress_.chunks;
  progress_.rows += ready.rows.size();
  if (ready.state.done) {
    ++progress_.tables_done;
    Log(LogLevel::kInfo, "mysql source",
        fmt::format("snapshot of {} done: {} rows; {} of {} tables done", id.ToString(),
                    ready.state.rows, progress_.tables_done, progress_.tables_total));
  }
  states_[id] = ready.state;
  return Status::Ok();
}

}  // namespace cdc
