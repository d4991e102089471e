// SnapshotReader: reads the current rows of a set of tables, in chunks, on parallel
// connections, each table consistent with a binlog position, so that streaming the binlog
// after that position (per table) continues exactly where the snapshot ended.
//
// Each table is read inside one START TRANSACTION WITH CONSISTENT SNAPSHOT (REPEATABLE READ),
// opened by SnapshotOpener at the exact binlog position it stands at (commits are blocked for
// that instant: see snapshot_opener.h). Chunks follow the row key (primary key, else a NOT NULL
// unique key) by keyset pagination: WHERE key > last ORDER BY key LIMIT chunk_rows, so a chunk
// never exceeds chunk_rows rows, however many rows writers keep inserting. A table without a key is
// streamed in one query, cut into chunks as it arrives.
//
// Resuming at chunk granularity: a table's progress (its first snapshot position and the last
// key read) is enough to continue in a new snapshot after the last key. Its binlog gate stays
// at the first position, so the binlog replays everything since then; per key the last change
// wins, so the result converges to the source.
//
// Worker threads produce chunks into a bounded queue; one consumer thread calls Next.
#pragma once

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <deque>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/mysql_options.h"
#include "connectors/mysql/source/snapshot/snapshot_opener.h"
#include "schema/row_change.h"

namespace cdc {

struct SnapshotOptions {
  size_t chunk_rows = 8192;  // rows per chunk query
  size_t parallelism = 2;    // connections reading tables at once
  // How each table's snapshot position is made exact (snapshot_opener.h).
  SnapshotLocking locking = SnapshotLocking::kMinimal;
};

// One table's snapshot progress, as a checkpoint keeps it.
struct TableSnapshotState {
  BinlogPosition position;  // where the table's (first) snapshot stood in the binlog
  // MariaDB: the GTID state there (BINLOG_GTID_POS), which names the same point on every server
  // holding the history, so the stream can pass over what the snapshot holds after a failover.
  std::string gtids;
  std::vector<std::string> last_key;  // SQL literals of the last key read; empty: none yet
  uint64_t rows = 0;                  // rows read so far
  bool done = false;
};

struct SnapshotChunk {
  TableSchemaPtr table;
  std::vector<Row> rows;
  TableSnapshotState state;  // the table's progress including this chunk
};

class SnapshotReader {
 public:
  // `progress` holds the state of tables a previous run began; done tables are skipped.
  SnapshotReader(MysqlOptions connection, SnapshotOptions options,
                 std::vector<TableSchemaPtr> tables,
                 std::map<TableId, TableSnapshotState> progress);
  ~SnapshotReader();
  SnapshotReader(const SnapshotReader&) = delete;
  SnapshotReader& operator=(const SnapshotReader&) = delete;

  void Start();
  // The next chunk, waiting up to `wait` for one; nullopt if none is ready. An error of any
  // worker is returned here. finished() tells when every table is read and handed out.
  Result<std::optional<SnapshotChunk>> Next(std::chrono::milliseconds wait);
  bool finished();
  // How long the snapshots opened so far blocked the source's commits.
  CommitBlockStats commit_blocks() const { return opener_.stats(); }
  // Stops the workers (at the next chunk) and joins them.
  void Stop();

 private:
  void Work();
  Status ReadTable(class MysqlConnection& connection, const TableSchemaPtr& table,
                   TableSnapshotState state);
  // False when stopping.
  bool Push(SnapshotChunk chunk);
  void Fail(Status status);

  MysqlOptions connection_;
  SnapshotOptions options_;
  std::vector<TableSchemaPtr> tables_;
  std::map<TableId, TableSnapshotState> progress_;
  SnapshotOpener opener_;

  std::atomic<size_t> next_table_{0};
  std::vector<std::thread> workers_;
  std::mutex mutex_;
  std::condition_variable changed_;
  std::deque<SnapshotChunk> ready_;
  size_t workers_running_ = 0;
  bool stopping_ = false;
  Status error_;
};

}  // namespace cdc
