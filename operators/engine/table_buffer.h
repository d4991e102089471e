// TableBuffer: a sink subtask's per-table buffering, the heart of the flush path.
//
// Each table gets its own bounded queue. A flush of a table is posted to the thread pool when
// the table reaches its size threshold, and for every non-empty table on each timer tick. The
// table's flush lock (at most one flush in flight per table, held from taking the batch until
// the writer's completion callback) keeps that table's flushes serial and in source order,
// while other tables flush concurrently and a slow writer delays only its own table. When a
// table's queue (in-flight rows included) reaches its capacity, HasRoom() turns false and the
// subtask stops taking input until a flush frees room: backpressure to the source.
//
// A truncate is a table barrier: it gets a chunk of its own; when a flush reaches it the
// subtask meets the sink's other subtasks there (TableBarriers), the last applies it once, and
// only then do the table's later rows flush.
//
// FlushAll() is the checkpoint and end-of-input path: it asks every table to write everything
// appended so far, however few rows, and reports when that is done, while new rows keep
// arriving behind it.
//
// Thread-safety: Append and HasRoom come from the owning subtask (one thread at a time);
// FlushHeld, FlushAll and writer completions may come from any thread.
#pragma once

#include <atomic>
#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

#include "operators/engine/table_barriers.h"
#include "operators/flush_policy.h"
#include "operators/table_writer.h"
#include "runtime/executor.h"
#include "runtime/first_error.h"

namespace cdc {

struct TableBufferStats {
  uint64_t rows_appended = 0;
  uint64_t rows_written = 0;
  uint64_t flushes = 0;
  size_t tables = 0;
};

class TableBuffer {
 public:
  // `clock` is handed to the table writers (for retry waits); it may be null for writers
  // that do not wait. `barriers` is shared by the sink's subtasks (see TableBarriers); when it
  // is null this buffer applies table barriers alone (right for a sink of parallelism 1).
  TableBuffer(FlushPolicy policy, TableWriterFactory& writers, size_t subtask, size_t parallelism,
              Executor& executor, FirstError& errors, Clock* clock = nullptr,
              std::shared_ptr<TableBarriers> barriers = nullptr);
  ~TableBuffer();  // Requires no flush in flight: see WaitUntilQuiet.

  TableBuffer(const TableBuffer&) = delete;
  TableBuffer& operator=(const TableBuffer&) = delete;

  // Queues `change` behind its table's earlier changes, creating the table's writer on first
  // use, and posts a flush when the table reaches a threshold. Never blocks; check HasRoom().
  Status Append(RowChange&& change);

  // Appends every change of `changes` (moved from), as Append does one by one, taking each
  // table's lock once per call rather than once per row. `bytes[i]` is changes[i].ByteSize().
  Status AppendAll(std::vector<RowChange>& changes, const std::vector<uint32_t>& bytes);

  // True when no table is at capacity. Otherwise registers `resume` to be called once, from
  // some thread, when every table has room again, and returns false.
  bool HasRoom(std::function<void()> resume);

  // Flushes every table that holds rows, below its thresholds too: on each tick of the sink's
  // flush timer, and when the source has caught up.
  void FlushHeld();

  // Calls `done` once every change appended before this call is written (OK), or with the
  // job's first error if a flush failed. `done` may run on this thread before returning.
  void FlushAll(std::function<void(Status)> done);

  // Waits until no flush is in flight, wherever its writer completes. The job calls it before
  // tearing down, so no completion runs into a destroyed buffer.
  void WaitUntilQuiet();

  TableBufferStats stats() const;

 private:
  class TableQueue;
  struct FlushWaiter;

  TableQueue* QueueFor(const RowChange& change, Status& status);
  bool ChunkFull(size_t rows, size_t bytes) const;
  // Requires the queue's lock.
  void AppendLocked(TableQueue& queue, RowChange&& change, size_t bytes);
  void AfterAppendLocked(TableQueue& queue);
  // Requires the queue's lock. Posts a flush when one is due and none is in flight.
  void ScheduleIfDue(TableQueue& queue);
  void Flush(TableQueue& queue);
  void OnFlushDone(TableQueue& queue, size_t rows, size_t bytes, const Status& status);
  void CheckWaiters();
  void ResumeProducer();

  const FlushPolicy policy_;
  TableWriterFactory& writers_;
  const size_t subtask_;
  const size_t parallelism_;
  Executor& executor_;
  FirstError& errors_;
  Clock* clock_;
  std::shared_ptr<TableBarriers> barriers_;

  mutable std::mutex tables_mu_;  // guards tables_ (the map, not the queues)
  std::unordered_map<TableId, std::unique_ptr<TableQueue>, TableIdHash> tables_;
  // Owning subtask only: each schema seen and its table's queue, so a row finds its queue by
  // pointer instead of hashing names. Holding the schemas keeps their addresses from being
  // reused by other schemas.
  struct CachedQueue {
    TableSchemaPtr schema;
    TableQueue* queue;
  };
  std::unordered_map<const TableSchema*, CachedQueue> queue_by_schema_;
  const TableSchema* last_schema_ = nullptr;
  TableQueue* last_queue_ = nullptr;

  std::atomic<int> full_tables_{0};  // tables at capacity
  std::mutex resume_mu_;             // guards resume_
  std::function<void()> resume_;

  std::mutex waiters_mu_;  // guards waiters_
  std::vector<std::shared_ptr<FlushWaiter>> waiters_;

  std::atomic<uint64_t> flushes_{0};
  std::mutex quiet_mu_;  // guards flushes_in_flight_, pairs with quiet_cv_; a leaf lock
  std::condition_variable quiet_cv_;
  size_t flushes_in_flight_ = 0;
  std::vector<TableQueue*> batch_queues_;  // owning subtask only: AppendAll's scratch
};

}  // namespace cdc
