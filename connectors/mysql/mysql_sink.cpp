#include "connectors/mysql/mysql_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "connectors/mysql/mysql_statements.h"
#include "connectors/mysql/mysql_table_ddl.h"
#include "operators/change_compactor.h"
#include "schema/row_key.h"

namespace cdc {

class MysqlSink::Writer final : public TableWriter {
 public:
  Writer(MysqlSink& sink, const TableWriterContext& context)
      : sink_(sink),
        schema_(context.schema),
        target_(sink.TargetOf(schema_->id())),
        subtask_(context.subtask),
        clock_(context.clock),
        job_errors_(context.job_errors),
        rng_(std::random_device{}()) {
    const LogicalDeleteOptions& options = sink.options_.logical_delete;
    logical_.enabled = options.EnabledFor(schema_->id());
    logical_.flag_column = options.flag_column;
    logical_.time_column = options.time_column;
  }

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    auto flush = std::make_shared<Flush>();
    flush->batch = std::move(batch);
    flush->done = std::move(done);
    if (flush->batch.changes.empty()) return Finish(*flush, Status::Ok());
    const TableSchema& schema = *flush->batch.changes.front().table;
    if (schema.has_key()) flush->compacted = CompactByKey(schema, flush->batch.changes);
    Attempt(std::move(flush));
  }

 private:
  Result<std::vector<std::string>> Statements(const std::vector<RowChange>& changes,
                                              const CompactedBatch* compacted,
                                              const StatementDialect& dialect) const {
    const TableSchema& schema = *changes.front().table;
    if (!schema.has_key()) return BuildKeylessStatements(schema, target_, changes, logical_);
    return BuildKeyedStatements(schema, target_, *compacted, logical_, dialect);
  }

  static Status Apply(MysqlConnection& connection, const std::vector<std::string>& statements) {
    // One statement is already atomic under autocommit: save the two extra round trips.
    if (statements.size() == 1) return connection.Execute(statements.front());
    CDC_RETURN_IF_ERROR(connection.Execute("START TRANSACTION"));
    for (const std::string& statement : statements) CDC_RETURN_IF_ERROR(connection.Execute(statement));
    return connection.Execute("COMMIT");
  }

  // After a permanent failure of the batch, replays its rows one by one (rolled back) to name
  // the row the target rejects.
  std::string FindRejectedRow(MysqlConnection& connection, const std::vector<RowChange>& changes,
                              const CompactedBatch* compacted) const {
    const TableSchema& schema = *changes.front().table;
    if (connection.Execute("START TRANSACTION").ok()) {
      auto try_one = [&](const RowChange& change, const CompactedBatch& one) -> std::string {
        auto statements = schema.has_key()
                              ? Statements(changes, &one, sink_.DialectOf(connection))
                              : BuildKeylessStatements(schema, target_, {change}, logical_);
        if (!statements.ok()) return statements.status().message();
        for (const std::string& statement : *statements) {
          if (!connection.Execute(statement).ok()) {
            return fmt::format("key {} at source position {}",
                               KeyToString(schema, change.image()), change.position.ToString());
          }
        }
        return "";
      };
      std::string found;
      if (compacted != nullptr) {
        for (const CompactedRow& row : compacted->deletes) {
          if (!(found = try_one(*row.change, CompactedBatch{{row}, {}, 1})).empty()) break;
        }
        for (const CompactedRow& row : compacted->upserts) {
          if (!found.empty()) break;
          found = try_one(*row.change, CompactedBatch{{}, {row}, 1});
        }
      } else {
        for (const RowChange& change : changes) {
          if (!(found = try_one(change, CompactedBatch{})).empty()) break;
        }
      }
      (void)connection.Execute("ROLLBACK");
      if (!found.empty()) return found;
    }
    const RowChange& first = changes.front();
    return fmt::format("a batch of {} changes from source position {}", changes.size(),
                       first.position.ToString());
  }

  std::chrono::milliseconds Backoff(uint32_t attempt) {
    const MysqlRetryPolicy& retry = sink_.options_.retry;
    double base = retry.initial_backoff_ms * std::pow(2.0, std::min<uint32_t>(attempt - 1, 20));
    base = std::min<double>(base, retry.max_backoff_ms);
    std::uniform_real_distribution<double> jitter(0.75, 1.25);
    return std::chrono::milliseconds(static_cast<int64_t>(base * jitter(rng_)));
  }

  // One flush across its attempts; kept alive by the retry timer between them.
  struct Flush {
    FlushBatch batch;
    CompactedBatch compacted;  // points into batch.changes
    std::vector<std::string> statements;
    bool built = false;        // statements are built (kept across retries)
    std::function<void(Status)> done;
    uint32_t attempts = 0;
    std::string last_error;
  };

  enum class Outcome { kDone, kTransient };

  // One try: a transaction on a pooled connection. kTransient when it may succeed if retried.
  Outcome TryOnce(Flush& flush, Status& status) {
    const TableSchema& schema = *flush.batch.changes.front().table;
    const CompactedBatch* compacted = schema.has_key() ? &flush.compacted : nullptr;
    auto build = [&](const StatementDialect& dialect) {
      auto statements = Statements(flush.batch.changes, compacted, dialect);
      if (!statements.ok()) {
        status = statements.status().WithContext(
            fmt::format("writing {} (from {})", target_.ToString(), schema.id().ToString()));
        return false;
      }
      flush.statements = std::move(statements).value();
      flush.built = true;
      return true;
    };
    // Build before taking a connection when the server's dialect is known, so connections
    // are held only for round trips and other flushes' building overlaps them.
    if (!flush.built) {
      std::optional<StatementDialect> dialect = sink_.KnownDialect();
      if (dialect && !build(*dialect)) return Outcome::kDone;
    }
    auto acquired = sink_.pool_.Acquire();
    if (!acquired.ok()) {  // unreachable or restarting: a connection error is transient
      flush.last_error = acquired.status().message();
      return Outcome::kTransient;
    }
    MysqlConnection& connection = **acquired;
    if (!flush.built && !build(sink_.DialectOf(connection))) {
      sink_.pool_.Release(&connection);
      return Outcome::kDone;
    }
    status = sink_.EnsureTable(schema, target_, connection);
    if (status.ok()) status = Apply(connection, flush.statements);
    if (status.ok()) {
      sink_.pool_.Release(&connection);
      sink_.transactions_.fetch_add(1, std::memory_order_relaxed);
      sink_.rows_written_.fetch_add(
          compacted != nullptr ? compacted->keys : flush.batch.changes.size(),
          std::memory_order_relaxed);
      return Outcome::kDone;
    }
    MysqlError error = connection.last_error();
    flush.last_error = status.message();
    if (IsTransientMysqlError(error.number)) {
      connection.Close();  // the server rolls back; the next attempt reconnects
      sink_.pool_.Release(&connection);
      return Outcome::kTransient;
    }
    (void)connection.Execute("ROLLBACK");
    std::string culprit = FindRejectedRow(connection, flush.batch.changes, compacted);
    sink_.pool_.Release(&connection);
    status = Status::InvalidArgument(fmt::format(
        "the target rejected {} of {} (source table {}): server error {} ({}): {}; fix the "
        "target table or the value, then restart from the last checkpoint",
        culprit, target_.ToString(), schema.id().ToString(), error.number, error.sql_state,
        error.message));
    return Outcome::kDone;
  }

  // Tries the flush; after a transient failure waits on the job's clock (holding no thread)
  // and tries again, up to the retry policy's attempts.
  void Attempt(std::shared_ptr<Flush> flush) {
    ++flush->attempts;
    Status status;
    if (TryOnce(*flush, status) == Outcome::kDone) return Finish(*flush, status);
    const MysqlRetryPolicy& retry = sink_.options_.retry;
    if (job_errors_ != nullptr && job_errors_->failed()) {
      return Finish(*flush, Status::Cancelled("the job is stopping: " + flush->last_error));
    }
    if (flush->attempts >= retry.max_attempts) {
      return Finish(*flush, Status::IoError(fmt::format(
                                "writing {} failed {} times with transient errors, the last: {}; "
                                "check the target server",
                                target_.ToString(), flush->attempts, flush->last_error)));
    }
    sink_.retries_.fetch_add(1, std::memory_order_relaxed);
    auto wait = Backoff(flush->attempts);
    fmt::print(stderr, "[mysql sink] {} subtask {}: transient failure ({}); retry {} of {} in {} ms\n",
               target_.ToString(), subtask_, flush->last_error, flush->attempts,
               retry.max_attempts - 1, wait.count());
    clock_->After(std::chrono::duration_cast<Micros>(wait),
                  [this, flush = std::move(flush)]() mutable { Attempt(std::move(flush)); });
  }

  void Finish(Flush& flush, const Status& status) {
    if (!status.ok()) sink_.failures_.fetch_add(1, std::memory_order_relaxed);
    auto done = std::move(flush.done);
    done(status);  // last: the job may end once it returns
  }

  MysqlSink& sink_;
  TableSchemaPtr schema_;
  TableId target_;
  size_t subtask_;
  Clock* clock_;
  const FirstError* job_errors_;
  LogicalDeleteColumns logical_;
  std::mt19937 rng_;
};

MysqlSink::MysqlSink(MysqlSinkOptions options)
    : options_(std::move(options)), pool_(options_.connection, options_.max_connections) {}

Status MysqlSink::Check() {
  auto connection = pool_.Acquire();
  if (!connection.ok()) return connection.status().WithContext("mysql sink");
  pool_.Release(*connection);
  return Status::Ok();
}

StatementDialect MysqlSink::DialectOf(const MysqlConnection& connection) {
  StatementDialect dialect;
  dialect.row_alias = connection.supports_row_alias();
  dialect.max_statement_bytes = options_.max_statement_bytes != 0
                                    ? options_.max_statement_bytes
                                    : connection.max_allowed_packet() - 1024;
  std::lock_guard lock(dialect_mu_);
  dialect_ = dialect;
  return dialect;
}

std::optional<StatementDialect> MysqlSink::KnownDialect() const {
  std::lock_guard lock(dialect_mu_);
  return dialect_;
}

TableId MysqlSink::TargetOf(const TableId& source) const {
  return TableId{options_.target_database.empty() ? source.database : options_.target_database,
                 source.table};
}

Status MysqlSink::EnsureTable(const TableSchema& schema, const TableId& target,
                              MysqlConnection& connection) {
  if (!options_.auto_create) return Status::Ok();
  {
    std::lock_guard lock(created_mu_);
    if (created_.count(target) != 0) return Status::Ok();
  }
  LogicalDeleteColumns logical;
  logical.enabled = options_.logical_delete.EnabledFor(schema.id());
  logical.flag_column = options_.logical_delete.flag_column;
  logical.time_column = options_.logical_delete.time_column;
  CDC_RETURN_IF_ERROR(connection.Execute(CreateDatabaseSql(target.database)));
  CDC_RETURN_IF_ERROR(connection.Execute(CreateTableSql(schema, target, logical)));
  std::lock_guard lock(created_mu_);
  created_.insert(target);
  return Status::Ok();
}

Result<std::unique_ptr<TableWriter>> MysqlSink::CreateWriter(const TableWriterContext& context) {
  if (context.clock == nullptr) {
    return Status::InvalidArgument(
        "the MySQL sink needs the job's clock to wait between retries: use it as a job's sink "
        "(or pass a clock in TableWriterContext)");
  }
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context));
}

MysqlSinkStats MysqlSink::stats() const {
  return MysqlSinkStats{rows_written_.load(), transactions_.load(), retries_.load(),
                        failures_.load()};
}

}  // namespace cdc
