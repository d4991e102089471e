#include "connectors/mysql/sink/mysql_table_writer.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>

#include "connectors/mysql/sink/flush_statements.h"
#include "runtime/logger.h"

namespace cdc {

MysqlTableWriter::MysqlTableWriter(MysqlSinkContext& sink, const TableWriterContext& context)
    : sink_(sink),
      schema_(context.schema),
      target_(sink.TargetOf(schema_->id())),
      subtask_(context.subtask),
      clock_(context.clock),
      job_errors_(context.job_errors),
      logical_(LogicalDeleteColumnsFor(sink.options().logical_delete, schema_->id())),
      rng_(std::random_device{}()),
      replayed_(sink, target_) {}

void MysqlTableWriter::Write(FlushBatch batch, std::function<void(Status)> done) {
  auto flush = std::make_shared<Flush>();
  flush->batch = std::move(batch);
  flush->done = std::move(done);
  if (std::optional<Status> verdict = Admit(*flush)) return Finish(*flush, *verdict);
  Attempt(std::move(flush));
}

std::optional<Status> MysqlTableWriter::Admit(Flush& flush) {
  std::vector<RowChange>& changes = flush.batch.changes;
  if (changes.empty()) return Status::Ok();
  const RowChange& first = changes.front();
  if (IsTableBarrier(first.kind)) {
    std::optional<Status> verdict = BarrierVerdict(first);
    if (verdict) return verdict;
  }
  if (first.kind == ChangeKind::kSchemaChange) return std::nullopt;
  if (sink_.options().resuming) {
    Status skipped = replayed_.Skip(changes);
    if (!skipped.ok()) return skipped;
    if (changes.empty()) return Status::Ok();
  }
  if (sink_.ProjectsRows()) {
    Status projected = ProjectToTarget(changes);
    if (!projected.ok()) return projected;
  }
  const TableSchema& schema = *changes.front().table;
  if (schema.has_key()) flush.compacted = CompactByKey(schema, changes);
  return std::nullopt;
}

std::optional<Status> MysqlTableWriter::BarrierVerdict(const RowChange& barrier) const {
  // A snapshot reloading a keyless table empties its target first, or the rows a stopped
  // snapshot wrote would be there twice: part of the snapshot, not a change to admit.
  if (barrier.snapshot_reload) return std::nullopt;
  SchemaChangeBehavior behavior = sink_.options().schema_change;
  bool create = barrier.kind == ChangeKind::kSchemaChange &&
                barrier.schema_change->kind == SchemaChangeKind::kCreateTable;
  std::string what = barrier.kind == ChangeKind::kTruncate
                         ? "TRUNCATE of " + barrier.table->id().ToString()
                         : barrier.schema_change->ToString();
  if (behavior == SchemaChangeBehavior::kException && !create) {
    return Status::InvalidArgument(fmt::format(
        "schema change at source position {} ({}), and schema.change.behavior is exception: "
        "every change before it is written to {}; apply it to the target by hand and restart "
        "from the last checkpoint with another behaviour, or restart with evolve",
        barrier.position.ToString(), what, target_.ToString()));
  }
  if (barrier.kind == ChangeKind::kTruncate &&
      (behavior == SchemaChangeBehavior::kLenient || behavior == SchemaChangeBehavior::kIgnore)) {
    Log(LogLevel::kInfo, "mysql sink",
        fmt::format("{}: {} is not applied (schema.change.behavior {})", target_.ToString(), what,
                    SchemaChangeBehaviorName(behavior)));
    return Status::Ok();
  }
  return std::nullopt;
}

Status MysqlTableWriter::ProjectToTarget(std::vector<RowChange>& changes) {
  auto columns = sink_.TargetColumnsOf(target_);
  if (!columns.ok()) return columns.status();
  return projection_.Apply(*columns, target_, changes);
}

void MysqlTableWriter::Attempt(std::shared_ptr<Flush> flush) {
  ++flush->attempts;
  Status status;
  Outcome outcome = TryOnce(*flush, status);
  if (outcome == Outcome::kAsText) outcome = TryOnce(*flush, status);
  if (outcome == Outcome::kDone) return Finish(*flush, status);
  const MysqlRetryPolicy& retry = sink_.options().retry;
  if (job_errors_ != nullptr && job_errors_->failed()) {
    return Finish(*flush, Status::Cancelled("the job is stopping: " + flush->last_error));
  }
  if (flush->attempts >= retry.max_attempts) {
    return Finish(*flush, Status::IoError(fmt::format(
                              "writing {} failed {} times with transient errors, the last: {}; "
                              "check the target server",
                              target_.ToString(), flush->attempts, flush->last_error)));
  }
  sink_.counters().AddRetry();
  auto wait = Backoff(flush->attempts);
  Log(LogLevel::kWarning, "mysql sink",
      fmt::format("{} subtask {}: transient failure ({}); retry {} of {} in {} ms",
                  target_.ToString(), subtask_, flush->last_error, flush->attempts,
                  retry.max_attempts - 1, wait.count()));
  clock_->After(std::chrono::duration_cast<Micros>(wait),
                [this, flush = std::move(flush)]() mutable { Attempt(std::move(flush)); });
}

MysqlTableWriter::Outcome MysqlTableWriter::TryOnce(Flush& flush, Status& status) {
  if (flush.batch.changes.front().kind == ChangeKind::kSchemaChange) {
    return TrySchemaChange(flush, status);
  }
  // Build before taking a connection when the server's dialect is known, so connections
  // are held only for round trips and other flushes' building overlaps them.
  if (!flush.built) {
    std::optional<StatementDialect> dialect = sink_.KnownDialect();
    if (dialect && !(status = BuildStatements(flush, *dialect)).ok()) return Outcome::kDone;
  }
  auto connection = sink_.pool().Acquire();
  if (!connection.ok()) {  // unreachable or restarting: a connection error is transient
    flush.last_error = connection.status().message();
    return Outcome::kTransient;
  }
  if (!flush.built && !(status = BuildStatements(flush, sink_.DialectOf(**connection))).ok()) {
    return Outcome::kDone;
  }
  bool not_retried = false;
  status = PrepareTarget(*flush.batch.changes.front().table, **connection, not_retried);
  if (not_retried) return Outcome::kDone;
  if (status.ok()) {
    status = ApplyInOneTransaction(**connection, flush.statements,
                                   flush.array_upsert ? &*flush.array_upsert : nullptr);
  }
  if (!status.ok()) return AfterFailure(flush, **connection, status);
  CountApplied(flush);
  return Outcome::kDone;
}

MysqlTableWriter::Outcome MysqlTableWriter::TrySchemaChange(Flush& flush, Status& status) {
  auto connection = sink_.pool().Acquire();
  if (!connection.ok()) {
    flush.last_error = connection.status().message();
    return Outcome::kTransient;
  }
  bool transient = false;
  status = sink_.ApplySchemaChange(flush.batch.changes.front(), **connection, transient);
  if (transient) {
    flush.last_error = status.message();
    status = Status::Ok();
    (*connection)->Close();
    return Outcome::kTransient;
  }
  return Outcome::kDone;
}

Status MysqlTableWriter::BuildStatements(Flush& flush, const StatementDialect& dialect) {
  const TableSchema& schema = *flush.batch.changes.front().table;
  const CompactedBatch* compacted = CompactedOf(flush);
  FlushTarget target{target_, logical_};
  if (compacted != nullptr && dialect.array_binding && !array_binding_off_) {
    flush.array_upsert = ArrayUpsert::Build(schema, target_, *compacted, logical_, dialect);
  }
  auto statements =
      BuildFlushStatements(flush.batch.changes, compacted, target, dialect, sink_.state(),
                           /*with_upserts=*/!flush.array_upsert.has_value());
  if (!statements.ok()) {
    return statements.status().WithContext(
        fmt::format("writing {} (from {})", target_.ToString(), schema.id().ToString()));
  }
  flush.statements = std::move(statements).value();
  flush.built = true;
  return Status::Ok();
}

Status MysqlTableWriter::PrepareTarget(const TableSchema& schema, MysqlConnection& connection,
                                       bool& not_retried) {
  Status status = sink_.EnsureTable(schema, target_, connection);
  if (status.ok() && logical_.enabled) {
    status = sink_.CheckUniqueKeys(schema, target_, connection);
    // The target's keys: not retried.
    if (status.code() == StatusCode::kInvalidArgument) not_retried = true;
  }
  if (status.ok() && !schema.has_key()) status = sink_.state().Ensure(connection);  // progress
  return status;
}

MysqlTableWriter::Outcome MysqlTableWriter::AfterFailure(Flush& flush, MysqlConnection& connection,
                                                         Status& status) {
  MysqlError error = connection.last_error();
  flush.last_error = status.message();
  if (IsTransientMysqlError(error.number)) {
    connection.Close();  // the server rolls back; the next attempt reconnects
    return Outcome::kTransient;
  }
  (void)connection.Execute("ROLLBACK");
  if (flush.array_upsert) {
    // Failures only the array path has (a statement the server will not prepare, such as
    // error 1461 at its prepared-statement limit, or has dropped; a client-side binding
    // error) would stop a job the SQL text can write, and may repeat: this table's batches
    // go as text from now on, starting with this one, which also names a row the target
    // truly rejects.
    Log(LogLevel::kWarning, "mysql sink",
        fmt::format("{} subtask {}: array binding failed ({}); this table's "
                    "batches go as SQL text from now on",
                    target_.ToString(), subtask_, status.message()));
    array_binding_off_ = true;
    flush.array_upsert.reset();
    flush.built = false;
    return Outcome::kAsText;
  }
  StatementDialect text = sink_.DialectOf(connection);
  text.array_binding = false;
  std::string culprit = FindRejectedRow(connection, flush.batch.changes, CompactedOf(flush),
                                        FlushTarget{target_, logical_}, text, sink_.state());
  const TableSchema& schema = *flush.batch.changes.front().table;
  status = Status::InvalidArgument(fmt::format(
      "the target rejected {} of {} (source table {}): server error {} ({}): {}; fix the "
      "target table or the value, then restart from the last checkpoint",
      culprit, target_.ToString(), schema.id().ToString(), error.number, error.sql_state,
      error.message));
  return Outcome::kDone;
}

void MysqlTableWriter::CountApplied(const Flush& flush) {
  const CompactedBatch* compacted = CompactedOf(flush);
  sink_.counters().AddApplied(
      compacted != nullptr ? compacted->keys : flush.batch.changes.size(),
      flush.array_upsert ? flush.array_upsert->rows() : 0,
      flush.batch.changes.back().commit_time_us);  // source order: the newest
}

std::chrono::milliseconds MysqlTableWriter::Backoff(uint32_t attempt) {
  const MysqlRetryPolicy& retry = sink_.options().retry;
  double base = retry.initial_backoff_ms * std::pow(2.0, std::min<uint32_t>(attempt - 1, 20));
  base = std::min<double>(base, retry.max_backoff_ms);
  std::uniform_real_distribution<double> jitter(0.75, 1.25);
  return std::chrono::milliseconds(static_cast<int64_t>(base * jitter(rng_)));
}

void MysqlTableWriter::Finish(Flush& flush, const Status& status) {
  if (!status.ok()) sink_.counters().AddFailure();
  auto done = std::move(flush.done);
  done(status);  // last: the job may end once it returns
}

const CompactedBatch* MysqlTableWriter::CompactedOf(const Flush& flush) const {
  return flush.batch.changes.front().table->has_key() ? &flush.compacted : nullptr;
}

}  // namespace cdc
