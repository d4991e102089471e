// MysqlTableWriter: writes the flushes of one table of one MySQL sink subtask (mysql_sink.h
// says what a flush does on the target). A flush goes:
//   1. admission: what the batch admits (a barrier's verdict under the schema-change
//      behaviour, the replayed changes passed over, rows cut to the target's columns,
//      compaction by key);
//   2. tries, each on one pooled connection: the statements are built (once, kept across
//      tries), the target table is made ready, and the statements are applied in one
//      transaction (a schema-change barrier is applied by the sink instead);
//   3. after a failure: a transient one is retried on the job's clock with capped exponential
//      backoff and jitter; a failure of the array path sends the table's batches as SQL text
//      from then on; any other names the row the target rejects.
//
// Thread-bound: the table buffer never gives it two batches at once; `done` may be called from
// the clock's thread after a retry.
#pragma once

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "connectors/mysql/sink/change_compactor.h"
#include "connectors/mysql/sink/mysql_array_upsert.h"
#include "connectors/mysql/sink/mysql_sink_context.h"
#include "connectors/mysql/sink/replay_filter.h"
#include "connectors/mysql/sink/target_projection.h"
#include "operators/table_writer.h"

namespace cdc {

class MysqlTableWriter final : public TableWriter {
 public:
  // `sink` and the context's clock and job errors outlive the writer.
  MysqlTableWriter(MysqlSinkContext& sink, const TableWriterContext& context);

  void Write(FlushBatch batch, std::function<void(Status)> done) override;

 private:
  // One flush across its tries; kept alive by the retry timer between them.
  struct Flush {
    FlushBatch batch;
    CompactedBatch compacted;  // points into batch.changes
    std::vector<std::string> statements;
    std::optional<ArrayUpsert> array_upsert;  // the upserts, when they go by array binding
    bool built = false;                       // statements are built (kept across retries)
    std::function<void(Status)> done;
    uint32_t attempts = 0;
    std::string last_error;
  };
  // How one try ended. kAsText: the array path failed; the same flush is tried again at once
  // as SQL text.
  enum class Outcome { kDone, kTransient, kAsText };

  // What the batch admits: a status to finish with at once, or nothing (the flush goes on).
  std::optional<Status> Admit(Flush& flush);
  // Under the schema-change behaviour, a schema change's or truncate's verdict before it is
  // tried: an error under exception, OK when passed over, or nothing.
  std::optional<Status> BarrierVerdict(const RowChange& barrier) const;
  Status ProjectToTarget(std::vector<RowChange>& changes);

  // Tries the flush; after a transient failure waits on the job's clock (holding no thread)
  // and tries again, up to the retry policy's attempts.
  void Attempt(std::shared_ptr<Flush> flush);
  // One try on a pooled connection; `status` is what a kDone try finishes with.
  Outcome TryOnce(Flush& flush, Status& status);
  Outcome TrySchemaChange(Flush& flush, Status& status);
  // Builds the flush's statements (and its array upserts when `dialect` allows).
  Status BuildStatements(Flush& flush, const StatementDialect& dialect);
  // Creates the target table once and checks it; `not_retried` when its error is final.
  Status PrepareTarget(const TableSchema& schema, MysqlConnection& connection, bool& not_retried);
  // After the statements failed on `connection`: a transient failure closes it (kTransient);
  // a failure of the array path sends this table's batches as SQL text from now on (kAsText);
  // any other rolls back and sets `status` to the error naming the rejected row (kDone).
  Outcome AfterFailure(Flush& flush, MysqlConnection& connection, Status& status);
  // Adds an applied flush to the sink's counters.
  void CountApplied(const Flush& flush);
  // The wait before the try after `attempt`: capped exponential, with +-25% jitter.
  std::chrono::milliseconds Backoff(uint32_t attempt);
  // Calls the flush's `done` with `status` (counting a failure); the flush's last access.
  void Finish(Flush& flush, const Status& status);

  // The flush's compacted batch when its table has a key, else null.
  const CompactedBatch* CompactedOf(const Flush& flush) const;

  MysqlSinkContext& sink_;
  TableSchemaPtr schema_;
  TableId target_;
  size_t subtask_;
  Clock* clock_;
  const FirstError* job_errors_;
  LogicalDeleteColumns logical_;
  std::mt19937 rng_;
  ReplayFilter replayed_;
  TargetProjection projection_;
  bool array_binding_off_ = false;  // the array path failed once for this table
};

}  // namespace cdc
