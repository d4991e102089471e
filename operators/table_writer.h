// TableWriter: the interface a sink implements to receive flushed batches of one table, one
// batch at a time, in source order. The per-table buffer calls Write() on the thread pool and
// does not call it again for that table until `done` has been called, so a writer never sees
// two batches of its table at once; writers of other tables (and of the same table in other
// subtasks) run concurrently.
//
// `done` must be called exactly once, from any thread, with OK when every change of the batch
// is durably applied, or with an error naming the table, the key and the cause. A writer may
// finish synchronously inside Write (calling `done` before returning) or later. Calling `done`
// must be the writer's last access to the batch's state: the job may end as soon as it returns.
//
// Thread-bound per instance (one table of one subtask); the factory is thread-safe.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <vector>

#include "runtime/clock.h"
#include "runtime/first_error.h"
#include "runtime/status.h"
#include "schema/row_change.h"

namespace cdc {

struct FlushBatch {
  TableId table;
  size_t subtask = 0;
  std::vector<RowChange> changes;  // source order; each carries its own schema
};

class TableWriter {
 public:
  virtual ~TableWriter() = default;
  virtual void Write(FlushBatch batch, std::function<void(Status)> done) = 0;
};

struct TableWriterContext {
  TableId table;
  TableSchemaPtr schema;  // the schema of the table's first change
  size_t subtask = 0;
  size_t parallelism = 1;
  // The job's clock, for waits (retry backoff) that must not hold a pool thread; and its first
  // error, so a writer stops retrying once the job is failing. Both outlive the writer.
  Clock* clock = nullptr;
  const FirstError* job_errors = nullptr;
};

class TableWriterFactory {
 public:
  virtual ~TableWriterFactory() = default;
  // A writer for one table of one sink subtask; called the first time a subtask sees the table.
  virtual Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) = 0;
};

}  // namespace cdc
