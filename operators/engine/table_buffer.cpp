#include "operators/engine/table_buffer.h"

#include "runtime/assertions.h"

#include <fmt/format.h>
#include <algorithm>

namespace cdc {

// One table's queue within a sink subtask: a run of chunks, each exactly one flush batch, so a
// row is moved once on its way in and a flush takes a whole chunk without copying rows.
class TableBuffer::TableQueue {
 public:
  struct Chunk {
    std::vector<RowChange> rows;
    size_t bytes = 0;
    uint64_t barrier = 0;  // the table barrier's sequence when the chunk is one (a truncate)
  };

  TableQueue(TableId id, std::unique_ptr<TableWriter> writer)
      : id(std::move(id)), writer(std::move(writer)) {}

  const TableId id;
  const std::unique_ptr<TableWriter> writer;  // called by one flush at a time

  std::mutex mu;             // guards every field below except `written`
  std::deque<Chunk> chunks;  // the back one is filling; every other one is full
  size_t queued_rows = 0;
  size_t last_chunk_rows = 0;  // rows of the last chunk flushed: the next chunk's reservation
  uint64_t barriers = 0;       // table barriers appended
  size_t pending_rows = 0;     // queued plus in flight: what counts against capacity
  size_t pending_bytes = 0;
  uint64_t appended = 0;             // rows ever appended; row n has sequence n
  uint64_t taken = 0;                // rows ever handed to the writer
  uint64_t flush_through = 0;        // flush regardless of thresholds until taken reaches this
  bool in_flight = false;            // the table's flush lock: a batch is with the writer
  bool full = false;                 // counted in full_tables_
  std::atomic<uint64_t> written{0};  // rows whose flush completed OK
  std::atomic<uint64_t> barriers_written{0};  // of them, table barriers (not rows: not in stats)
};

struct TableBuffer::FlushWaiter {
  std::function<void(Status)> done;
  std::vector<std::pair<TableQueue*, uint64_t>> targets;  // written must reach the sequence
};

Status FlushPolicy::Validate() const {
  if (flush_rows == 0) return Status::InvalidArgument("flush_rows must be at least 1");
  if (flush_bytes == 0) return Status::InvalidArgument("flush_bytes must be at least 1");
  if (flush_interval.count() <= 0) {
    return Status::InvalidArgument("flush_interval must be positive");
  }
  if (capacity_rows < flush_rows) {
    return Status::InvalidArgument(
        fmt::format("capacity_rows ({}) is below flush_rows ({}): raise capacity_rows to at least "
                    "flush_rows, ideally twice it so a batch can fill while another is written",
                    capacity_rows, flush_rows));
  }
  if (capacity_bytes < flush_bytes) {
    return Status::InvalidArgument(fmt::format(
        "capacity_bytes ({}) is below flush_bytes ({}): raise capacity_bytes to at least "
        "flush_bytes",
        capacity_bytes, flush_bytes));
  }
  return Status::Ok();
}

TableBuffer::TableBuffer(FlushPolicy policy, TableWriterFactory& writers, size_t subtask,
                         size_t parallelism, Executor& executor, FirstError& errors, Clock* clock,
                         std::shared_ptr<TableBarriers> barriers)
    : policy_(policy),
      writers_(writers),
      subtask_(subtask),
      parallelism_(parallelism),
      executor_(executor),
      errors_(errors),
      clock_(clock),
      barriers_(std::move(barriers)) {
  if (!barriers_) barriers_ = std::make_shared<TableBarriers>(1);  // applies barriers alone
}

TableBuffer::~TableBuffer() = default;

TableBuffer::TableQueue* TableBuffer::QueueFor(const RowChange& change, Status& status) {
  const TableSchema* schema = change.table;
  if (schema == last_schema_ && last_queue_ != nullptr) return last_queue_;
  auto cached = queue_by_schema_.find(schema);
  if (cached != queue_by_schema_.end()) {
    last_schema_ = schema;
    last_queue_ = cached->second.queue;
    return last_queue_;
  }
  if (!change.table) {
    status = Status::Internal("a row change without a table schema reached the sink");
    return nullptr;
  }
  const TableId& id = change.table->id();
  TableQueue* queue = nullptr;
  {
    std::lock_guard tables_lock(tables_mu_);
    auto it = tables_.find(id);
    if (it != tables_.end()) queue = it->second.get();
  }
  if (queue == nullptr) {
    // Only this subtask adds tables, so creating the writer outside the lock is race-free and
    // keeps a slow writer start-up (a connection) from holding up timer ticks.
    auto writer = writers_.CreateWriter(TableWriterContext{
        id, change.table->shared_from_this(), subtask_, parallelism_, clock_, &errors_});
    if (!writer.ok()) {
      status = writer.status().WithContext(
          fmt::format("creating the writer for {} in sink subtask {}", id.ToString(), subtask_));
      return nullptr;
    }
    auto owned = std::make_unique<TableQueue>(id, std::move(writer).value());
    queue = owned.get();
    std::lock_guard tables_lock(tables_mu_);
    tables_.emplace(id, std::move(owned));
  }
  queue_by_schema_.emplace(schema, CachedQueue{change.table->shared_from_this(), queue});
  last_schema_ = schema;
  last_queue_ = queue;
  return queue;
}

bool TableBuffer::ChunkFull(size_t rows, size_t bytes) const {
  return rows >= policy_.flush_rows || bytes >= policy_.flush_bytes;
}

void TableBuffer::AppendLocked(TableQueue& queue, RowChange&& change, size_t bytes) {
  if (IsTableBarrier(change.kind)) {
    queue.chunks.emplace_back();
    queue.chunks.back().barrier = ++queue.barriers;
  }
  // A new chunk when the last is full or a barrier, or would pass flush_bytes with this row,
  // or holds another schema version of the table (a writer builds a batch's statements from
  // one schema).
  else if (queue.chunks.empty() || queue.chunks.back().barrier != 0 ||
           (!queue.chunks.back().rows.empty() &&
            queue.chunks.back().rows.back().table != change.table) ||
           ChunkFull(queue.chunks.back().rows.size(), queue.chunks.back().bytes) ||
           (!queue.chunks.back().rows.empty() &&
            queue.chunks.back().bytes + bytes > policy_.flush_bytes)) {
    queue.chunks.emplace_back();
    // Reserve what the previous chunk reached: a busy table fills its chunks without
    // reallocating, a quiet one does not hold flush_rows of empty space.
    queue.chunks.back().rows.reserve(std::max<size_t>(queue.last_chunk_rows, 16));
  }
  TableQueue::Chunk& chunk = queue.chunks.back();
  chunk.rows.push_back(std::move(change));
  chunk.bytes += bytes;
  queue.queued_rows += 1;
  queue.pending_rows += 1;
  queue.pending_bytes += bytes;
  queue.appended += 1;
}

void TableBuffer::AfterAppendLocked(TableQueue& queue) {
  if (!queue.full && (queue.pending_rows >= policy_.capacity_rows ||
                      queue.pending_bytes >= policy_.capacity_bytes)) {
    queue.full = true;
    full_tables_.fetch_add(1, std::memory_order_seq_cst);
  }
  ScheduleIfDue(queue);
}

Status TableBuffer::Append(RowChange&& change) {
  Status status;
  TableQueue* queue = QueueFor(change, status);
  if (queue == nullptr) return status;
  size_t bytes = change.ByteSize();
  std::lock_guard queue_lock(queue->mu);
  AppendLocked(*queue, std::move(change), bytes);
  AfterAppendLocked(*queue);
  return Status::Ok();
}

Status TableBuffer::AppendAll(std::vector<RowChange>& changes, const std::vector<uint32_t>& bytes) {
  batch_queues_.resize(changes.size());
  for (size_t i = 0; i < changes.size(); ++i) {
    Status status;
    batch_queues_[i] = QueueFor(changes[i], status);
    if (batch_queues_[i] == nullptr) return status;
  }
  // One pass per distinct table, in row order within it: source order per table is kept and
  // each table's lock is taken once.
  for (size_t first = 0; first < changes.size(); ++first) {
    TableQueue* queue = batch_queues_[first];
    if (queue == nullptr) continue;
    std::lock_guard queue_lock(queue->mu);
    for (size_t i = first; i < changes.size(); ++i) {
      if (batch_queues_[i] != queue) continue;
      AppendLocked(*queue, std::move(changes[i]), bytes[i]);
      batch_queues_[i] = nullptr;
    }
    AfterAppendLocked(*queue);
  }
  return Status::Ok();
}

void TableBuffer::ScheduleIfDue(TableQueue& queue) {
  if (queue.in_flight || queue.chunks.empty() || errors_.failed()) return;
  const TableQueue::Chunk& front = queue.chunks.front();
  bool due = queue.chunks.size() > 1 || front.barrier != 0 ||
             ChunkFull(front.rows.size(), front.bytes) || queue.taken < queue.flush_through;
  if (!due) return;
  queue.in_flight = true;
  {
    std::lock_guard quiet_lock(quiet_mu_);
    ++flushes_in_flight_;
  }
  executor_.Post([this, &queue] { Flush(queue); });
}

void TableBuffer::Flush(TableQueue& queue) {
  FlushBatch batch;
  batch.table = queue.id;
  batch.subtask = subtask_;
  size_t bytes = 0;
  uint64_t barrier = 0;
  {
    std::lock_guard queue_lock(queue.mu);
    TableQueue::Chunk& front = queue.chunks.front();
    batch.changes = std::move(front.rows);
    bytes = front.bytes;
    barrier = front.barrier;
    if (barrier == 0) queue.last_chunk_rows = batch.changes.size();
    queue.chunks.pop_front();
    queue.taken += batch.changes.size();
    queue.queued_rows -= batch.changes.size();
  }
  flushes_.fetch_add(1, std::memory_order_relaxed);
  size_t rows = batch.changes.size();
  if (barrier != 0) {
    // Meet the other subtasks; this subtask's flush lock stays held until the release. A
    // schema change that names several tables (a rename) is one barrier across all of them.
    BarrierKey key{queue.id, barrier, nullptr};
    size_t expected = 1;
    const RowChange& change = batch.changes.front();
    size_t tables = change.kind == ChangeKind::kSchemaChange && change.schema_change != nullptr
                        ? change.schema_change->Tables().size()
                        : 1;
    if (tables > 1) {
      key = BarrierKey{TableId{}, 0, change.schema_change.get()};
      expected = tables;
    }
    bool last = barriers_->Arrive(key, expected, [this, &queue, rows, bytes](const Status& status) {
      if (status.ok()) queue.barriers_written.fetch_add(1, std::memory_order_relaxed);
      OnFlushDone(queue, rows, bytes, status);
    });
    if (!last) return;
    // The barriers object is kept alive by the callback: releasing the last subtask may let
    // the job tear this buffer down while Complete is still returning.
    queue.writer->Write(std::move(batch), [barriers = barriers_, key](const Status& status) {
      barriers->Complete(key, status);
    });
    return;
  }
  queue.writer->Write(std::move(batch), [this, &queue, rows, bytes](const Status& status) {
    OnFlushDone(queue, rows, bytes, status);
  });
}

void TableBuffer::OnFlushDone(TableQueue& queue, size_t rows, size_t bytes, const Status& status) {
  if (!status.ok()) {
    errors_.Report(status.WithContext(fmt::format("flushing {} rows of {} in sink subtask {}", rows,
                                                  queue.id.ToString(), subtask_)));
  }
  bool room_again = false;
  {
    std::lock_guard queue_lock(queue.mu);
    queue.in_flight = false;
    if (status.ok()) queue.written.fetch_add(rows, std::memory_order_release);
    queue.pending_rows -= rows;
    queue.pending_bytes -= bytes;
    if (queue.full && queue.pending_rows < policy_.capacity_rows &&
        queue.pending_bytes < policy_.capacity_bytes) {
      queue.full = false;
      room_again = full_tables_.fetch_sub(1, std::memory_order_seq_cst) == 1;
    }
    ScheduleIfDue(queue);
  }
  // After a failure the producer must wake to see it and stop.
  if (room_again || errors_.failed()) ResumeProducer();
  CheckWaiters();
  // Last, and notified under the lock: once it is released the job may destroy this buffer.
  std::lock_guard quiet_lock(quiet_mu_);
  if (--flushes_in_flight_ == 0) quiet_cv_.notify_all();
}

void TableBuffer::WaitUntilQuiet() {
  std::unique_lock quiet_lock(quiet_mu_);
  quiet_cv_.wait(quiet_lock, [this] { return flushes_in_flight_ == 0; });
}

bool TableBuffer::HasRoom(std::function<void()> resume) {
  if (full_tables_.load(std::memory_order_seq_cst) == 0 || errors_.failed()) return true;
  std::lock_guard resume_lock(resume_mu_);
  resume_ = std::move(resume);
  // Re-check after registering: a flush may have made room (or failed) before resume_ was
  // visible to it.
  if (full_tables_.load(std::memory_order_seq_cst) == 0 || errors_.failed()) {
    resume_ = nullptr;
    return true;
  }
  return false;
}

void TableBuffer::ResumeProducer() {
  std::function<void()> resume;
  {
    std::lock_guard resume_lock(resume_mu_);
    resume.swap(resume_);
  }
  if (resume) resume();
}

void TableBuffer::FlushHeld() {
  std::lock_guard tables_lock(tables_mu_);
  for (auto& [id, queue] : tables_) {
    std::lock_guard queue_lock(queue->mu);
    if (queue->chunks.empty()) continue;
    queue->flush_through = std::max(queue->flush_through, queue->appended);
    ScheduleIfDue(*queue);
  }
}

void TableBuffer::FlushAll(std::function<void(Status)> done) {
  auto waiter = std::make_shared<FlushWaiter>();
  waiter->done = std::move(done);
  {
    std::lock_guard tables_lock(tables_mu_);
    for (auto& [id, queue] : tables_) {
      std::lock_guard queue_lock(queue->mu);
      if (queue->written.load(std::memory_order_acquire) >= queue->appended) continue;
      waiter->targets.emplace_back(queue.get(), queue->appended);
      queue->flush_through = std::max(queue->flush_through, queue->appended);
      ScheduleIfDue(*queue);
    }
  }
  {
    std::lock_guard waiters_lock(waiters_mu_);
    waiters_.push_back(std::move(waiter));
  }
  CheckWaiters();  // nothing to wait for, or the flushes finished already
}

void TableBuffer::CheckWaiters() {
  std::vector<std::shared_ptr<FlushWaiter>> ready;
  {
    std::lock_guard waiters_lock(waiters_mu_);
    bool failed = errors_.failed();
    auto is_ready = [failed](const std::shared_ptr<FlushWaiter>& waiter) {
      if (failed) return true;
      return std::all_of(waiter->targets.begin(), waiter->targets.end(), [](const auto& target) {
        return target.first->written.load(std::memory_order_acquire) >= target.second;
      });
    };
    auto split = std::stable_partition(waiters_.begin(), waiters_.end(),
                                       [&](const auto& waiter) { return !is_ready(waiter); });
    ready.assign(std::make_move_iterator(split), std::make_move_iterator(waiters_.end()));
    waiters_.erase(split, waiters_.end());
  }
  // Waiters ready together are called in registration order; concurrent completions may
  // interleave them, which the checkpoint coordinator tolerates (it completes in id order).
  Status status = errors_.status();
  for (auto& waiter : ready) waiter->done(status);
}

TableBufferStats TableBuffer::stats() const {
  TableBufferStats stats;
  std::lock_guard tables_lock(tables_mu_);
  stats.tables = tables_.size();
  for (const auto& [id, queue] : tables_) {
    std::lock_guard queue_lock(queue->mu);
    // Barriers (truncates, schema changes) reach every subtask: counting them would make a
    // sink of parallelism P report P - 1 extra rows per barrier.
    stats.rows_appended += queue->appended - queue->barriers;
    stats.rows_written += queue->written.load(std::memory_order_acquire) -
                          queue->barriers_written.load(std::memory_order_relaxed);
  }
  stats.flushes = flushes_.load(std::memory_order_relaxed);
  return stats;
}

}  // namespace cdc
