#include "connectors/mysql/sink/mysql_sink.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>

#include "runtime/logger.h"
#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/client/source_order.h"
#include "connectors/mysql/sink/mysql_array_upsert.h"
#include "connectors/mysql/sink/mysql_schema_change_sql.h"
#include "connectors/mysql/sink/mysql_statements.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/change_compactor.h"
#include "runtime/ascii.h"
#include "schema/row_key.h"
#include "schema/schema_projection.h"

namespace cdc {

class MysqlSink::Writer final : public TableWriter {
  using TargetColumns = MysqlSink::TargetColumns;

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
    const RowChange& first = flush->batch.changes.front();
    if (IsTableBarrier(first.kind)) {
      std::optional<Status> verdict = Admit(first);
      if (verdict) return Finish(*flush, *verdict);
    }
    if (first.kind != ChangeKind::kSchemaChange) {
      if (sink_.options_.resuming) {
        Status skipped = SkipReplayed(flush->batch.changes);
        if (!skipped.ok()) return Finish(*flush, skipped);
        if (flush->batch.changes.empty()) return Finish(*flush, Status::Ok());
      }
      if (sink_.ProjectsRows()) {
        Status projected = ProjectToTarget(flush->batch.changes);
        if (!projected.ok()) return Finish(*flush, projected);
      }
      const TableSchema& schema = *flush->batch.changes.front().table;
      if (schema.has_key()) flush->compacted = CompactByKey(schema, flush->batch.changes);
    }
    Attempt(std::move(flush));
  }

 private:
  // What the behaviour says about a schema change or truncate before it is tried: a status
  // to finish with at once (an error under exception, OK when passed over), or nothing.
  std::optional<Status> Admit(const RowChange& barrier) const {
    // A snapshot reloading a keyless table empties its target first, or the rows a stopped
    // snapshot wrote would be there twice: part of the snapshot, not a change to admit.
    if (barrier.snapshot_reload) return std::nullopt;
    SchemaChangeBehavior behavior = sink_.options_.schema_change;
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
      Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: {} is not applied (schema.change.behavior {})",
                 target_.ToString(), what, SchemaChangeBehaviorName(behavior)));
      return Status::Ok();
    }
    return std::nullopt;
  }

  // After a restart, two kinds of replayed changes are already on the target and are passed
  // over (both positions are read once per writer; they only matter for the replay):
  // - those of this table that precede the last schema change applied to it: its barrier
  //   wrote them before the change, and the changed (or dropped) table would not take them;
  // - for a table without a key, the stream changes up to the position its last flush
  //   recorded in the same transaction: applying them again would duplicate them.
  Status SkipReplayed(std::vector<RowChange>& changes) {
    if (!schema_floor_) {
      auto read = sink_.ReadState<SchemaFloor>("reading the schema history", [&](MysqlConnection& connection) {
        return sink_.state_.LastSchemaChange(connection, target_);
      });
      if (!read.ok()) return read.status();
      schema_floor_ = *read;
      auto gtids = GtidState::Parse(read->source_gtids);
      floor_gtids_ = gtids.ok() ? *gtids : GtidState();
    }
    const TableId source = changes.front().table->id();
    bool keyless = !changes.front().table->has_key();
    if (keyless && !applied_through_) {
      auto read = sink_.ReadState<SourcePosition>("reading the progress table", [&](MysqlConnection& connection) {
        return sink_.state_.AppliedThrough(connection, target_, source);
      });
      if (!read.ok()) return read.status();
      applied_through_ = *read;
    }
    // Before the floor when the source's GTID state after it holds the change's transaction
    // (on any server of the history), else by CompareInSource; what cannot be ordered is applied.
    // Rows of the schema change's own transaction (CREATE TABLE ... SELECT) follow it.
    const SourcePosition& floor = schema_floor_->position;
    std::erase_if(changes, [&](const RowChange& change) {
      const SourcePosition& at = change.position;
      if (floor_gtids_.has_mariadb() && !(at.gtid == floor.gtid) && floor_gtids_.Contains(at.gtid)) return true;
      if (!floor.file.empty() && CompareInSource(at, floor) < 0) return true;
      if (!keyless || applied_through_->file.empty() || at.index == 0) return false;
      return CompareInSource(at, *applied_through_) <= 0;
    });
    return Status::Ok();
  }

  // Under ignore / try_evolve: cuts each change to the columns the target table has.
  Status ProjectToTarget(std::vector<RowChange>& changes) {
    auto columns = sink_.TargetColumnsOf(target_);
    if (!columns.ok()) return columns.status();
    if (*columns == nullptr) return Status::Ok();  // no table yet: it is created from the rows
    for (RowChange& change : changes) {
      if (change.kind == ChangeKind::kTruncate) continue;
      Projection& projection = projections_[change.table];
      if (projection.columns != *columns || projection.source.get() != change.table) {
        projection = Projection{change.table->shared_from_this(), nullptr, {}, *columns};
        const auto& all = change.table->columns();
        for (size_t i = 0; i < all.size(); ++i) {
          if ((*columns)->count(AsciiLower(all[i].name)) != 0) projection.positions.push_back(i);
        }
        if (projection.positions.size() != all.size()) {
          auto projected = ProjectSchema(
              *change.table, projection.positions,
              fmt::format("writing {} to the columns target {} has", change.table->id().ToString(),
                          target_.ToString()));
          if (!projected.ok()) return projected.status();
          projection.projected = *projected;
        }
      }
      if (projection.projected == nullptr) continue;
      for (Row* image : {&change.before, &change.after}) {
        if (!image->empty()) *image = Project(std::move(*image), projection.positions);
      }
      change.table = projection.projected.get();
    }
    return Status::Ok();
  }

  // The batch's statements; without `with_upserts` (a keyed table whose upserts go by array
  // binding), the truncate and deletes only.
  Result<std::vector<std::string>> Statements(const std::vector<RowChange>& changes,
                                              const CompactedBatch* compacted,
                                              const StatementDialect& dialect,
                                              bool with_upserts = true) const {
    const TableSchema& schema = *changes.front().table;
    if (!schema.has_key()) {
      auto statements = BuildKeylessStatements(schema, target_, changes, logical_);
      // The last stream position applied, in the same transaction (mysql_sink_options.h).
      auto last = std::find_if(changes.rbegin(), changes.rend(),
                               [](const RowChange& change) { return change.position.index > 0; });
      if (statements.ok() && last != changes.rend()) {
        statements->push_back(sink_.state_.ProgressStatement(target_, schema.id(), last->position));
      }
      return statements;
    }
    return BuildKeyedStatements(schema, target_, *compacted, logical_, dialect, with_upserts);
  }

  // The statements, then the array upserts, in one transaction.
  static Status Apply(MysqlConnection& connection, const std::vector<std::string>& statements,
                      ArrayUpsert* array_upsert) {
    size_t arrays = array_upsert != nullptr ? array_upsert->arrays() : 0;
    // One statement is already atomic under autocommit: save the two extra round trips.
    if (statements.size() + arrays == 1) {
      return arrays == 1 ? array_upsert->Execute(connection) : connection.Execute(statements.front());
    }
    if (statements.size() + arrays == 0) return Status::Ok();
    CDC_RETURN_IF_ERROR(connection.Execute("START TRANSACTION"));
    for (const std::string& statement : statements) CDC_RETURN_IF_ERROR(connection.Execute(statement));
    if (arrays > 0) CDC_RETURN_IF_ERROR(array_upsert->Execute(connection));
    return connection.Execute("COMMIT");
  }

  // After a permanent failure of the batch, replays its rows one by one (rolled back) to name
  // the row the target rejects.
  std::string FindRejectedRow(MysqlConnection& connection, const std::vector<RowChange>& changes,
                              const CompactedBatch* compacted) const {
    const TableSchema& schema = *changes.front().table;
    StatementDialect text = sink_.DialectOf(connection);
    text.array_binding = false;
    if (connection.Execute("START TRANSACTION").ok()) {
      auto try_one = [&](const RowChange& change, const CompactedBatch& one) -> std::string {
        auto statements = schema.has_key()
                              ? Statements(changes, &one, text)
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
    std::optional<ArrayUpsert> array_upsert;  // the upserts, when they go by array binding
    bool built = false;        // statements are built (kept across retries)
    std::function<void(Status)> done;
    uint32_t attempts = 0;
    std::string last_error;
  };

  // kAsText: the array path failed; the same flush is tried again at once as SQL text.
  enum class Outcome { kDone, kTransient, kAsText };

  Outcome TrySchemaChange(Flush& flush, Status& status) {
    auto acquired = sink_.pool_.Acquire();
    if (!acquired.ok()) {
      flush.last_error = acquired.status().message();
      return Outcome::kTransient;
    }
    MysqlConnection& connection = **acquired;
    bool transient = false;
    status = sink_.ApplySchemaChange(flush.batch.changes.front(), connection, transient);
    if (transient) {
      flush.last_error = status.message();
      status = Status::Ok();
      connection.Close();
      return Outcome::kTransient;
    }
    return Outcome::kDone;
  }

  // One try: a transaction on a pooled connection. kTransient when it may succeed if retried.
  Outcome TryOnce(Flush& flush, Status& status) {
    if (flush.batch.changes.front().kind == ChangeKind::kSchemaChange) {
      return TrySchemaChange(flush, status);
    }
    const TableSchema& schema = *flush.batch.changes.front().table;
    const CompactedBatch* compacted = schema.has_key() ? &flush.compacted : nullptr;
    auto build = [&](const StatementDialect& dialect) {
      if (compacted != nullptr && dialect.array_binding && !array_binding_off_) {
        flush.array_upsert = ArrayUpsert::Build(schema, target_, *compacted, logical_, dialect);
      }
      auto statements = Statements(flush.batch.changes, compacted, dialect,
                                   /*with_upserts=*/!flush.array_upsert.has_value());
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
      return Outcome::kDone;
    }
    status = sink_.EnsureTable(schema, target_, connection);
    if (status.ok() && logical_.enabled) {
      status = sink_.CheckUniqueKeys(schema, target_, connection);
      if (status.code() == StatusCode::kInvalidArgument) {  // the target's keys: not retried
        return Outcome::kDone;
      }
    }
    if (status.ok() && !schema.has_key()) status = sink_.state_.Ensure(connection);  // progress
    if (status.ok()) {
      status = Apply(connection, flush.statements,
                     flush.array_upsert ? &*flush.array_upsert : nullptr);
    }
    if (status.ok()) {
      sink_.transactions_.fetch_add(1, std::memory_order_relaxed);
      sink_.rows_written_.fetch_add(
          compacted != nullptr ? compacted->keys : flush.batch.changes.size(),
          std::memory_order_relaxed);
      if (flush.array_upsert) {
        sink_.array_rows_.fetch_add(flush.array_upsert->rows(), std::memory_order_relaxed);
      }
      int64_t newest = flush.batch.changes.back().commit_time_us;  // source order
      int64_t seen = sink_.applied_commit_time_us_.load(std::memory_order_relaxed);
      while (newest > seen &&
             !sink_.applied_commit_time_us_.compare_exchange_weak(seen, newest, std::memory_order_relaxed)) {
      }
      return Outcome::kDone;
    }
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
      Log(LogLevel::kWarning, "mysql sink", fmt::format("{} subtask {}: array binding failed ({}); this table's "
                 "batches go as SQL text from now on", target_.ToString(), subtask_,
                 status.message()));
      array_binding_off_ = true;
      flush.array_upsert.reset();
      flush.built = false;
      return Outcome::kAsText;
    }
    std::string culprit = FindRejectedRow(connection, flush.batch.changes, compacted);
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
    Outcome outcome = TryOnce(*flush, status);
    if (outcome == Outcome::kAsText) outcome = TryOnce(*flush, status);
    if (outcome == Outcome::kDone) return Finish(*flush, status);
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
    Log(LogLevel::kWarning, "mysql sink", fmt::format("{} subtask {}: transient failure ({}); retry {} of {} in {} ms",
               target_.ToString(), subtask_, flush->last_error, flush->attempts,
               retry.max_attempts - 1, wait.count()));
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

  struct Projection {
    TableSchemaPtr source;     // held so its address is not reused while cached
    TableSchemaPtr projected;  // null when the target has every column
    std::vector<size_t> positions;
    TargetColumns columns;     // what it was built for
  };
  std::map<const TableSchema*, Projection> projections_;
  std::optional<SchemaFloor> schema_floor_;        // when resuming; see SkipReplayed
  GtidState floor_gtids_;                          // schema_floor_'s source_gtids, parsed
  std::optional<SourcePosition> applied_through_;  // keyless tables, when resuming
  bool array_binding_off_ = false;  // the array path failed once for this table
};

namespace {

// Runs on every new sink session: with write_binlog off, the target does not binlog the
// session's writes.
MysqlConnectionPool::SessionSetup SessionSetupFor(const MysqlSinkOptions& options) {
  if (options.write_binlog) return {};
  return [](MysqlConnection& connection) -> Status {
    // Nothing to turn off on a server without a binlog (where the privilege may be missing).
    auto log_bin = connection.Query("SELECT @@log_bin");
    if (!log_bin.ok()) return log_bin.status();
    if (!log_bin->empty() && (*log_bin)[0][0] == "0") return Status::Ok();
    Status status = connection.Execute("SET SESSION sql_log_bin = 0");
    if (status.ok()) return status;
    return Status::InvalidArgument(fmt::format(
        "{}; the mysql sink has sql-log-bin: false, which needs the BINLOG ADMIN privilege "
        "(MariaDB 10.5.2 and later) or SUPER: grant it to the sink's user, or set "
        "sql-log-bin: true to let the target binlog the pipeline's writes",
        status.message()));
  };
}

}  // namespace

MysqlSink::MysqlSink(MysqlSinkOptions options)
    : options_(std::move(options)),
      pool_(options_.connection, options_.max_connections, SessionSetupFor(options_)),
      state_(options_.schema_history_table, options_.progress_table, options_.pipeline_name) {}

Status MysqlSink::Check() {
  auto connection = pool_.Acquire();
  if (!connection.ok()) return connection.status().WithContext("mysql sink");
  return Status::Ok();
}

StatementDialect MysqlSink::DialectOf(const MysqlConnection& connection) {
  StatementDialect dialect;
  dialect.row_alias = connection.supports_row_alias();
  dialect.array_binding = options_.array_binding && connection.supports_array_binding();
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
  auto database = state_.CreateDatabase(connection, target.database);
  if (!database.ok()) return database.status();
  CDC_RETURN_IF_ERROR(connection.Execute(
      CreateTableSql(schema, target, LogicalFor(schema.id()), connection.is_mariadb())));
  std::lock_guard lock(created_mu_);
  created_.insert(target);
  return Status::Ok();
}

Status MysqlSink::CheckUniqueKeys(const TableSchema& schema, const TableId& target,
                                  MysqlConnection& connection) {
  {
    std::lock_guard lock(created_mu_);
    if (unique_checked_.count(target) != 0) return Status::Ok();
  }
  std::string sql =
      "SELECT INDEX_NAME, GROUP_CONCAT(COLUMN_NAME ORDER BY SEQ_IN_INDEX SEPARATOR '\\t') "
      "FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = ";
  AppendQuoted(target.database, sql);
  sql += " AND TABLE_NAME = ";
  AppendQuoted(target.table, sql);
  sql += " AND NON_UNIQUE = 0 AND INDEX_NAME <> 'PRIMARY' GROUP BY INDEX_NAME ORDER BY INDEX_NAME";
  auto keys = connection.Query(sql);
  if (!keys.ok()) return keys.status();
  for (const auto& key : *keys) {
    std::vector<std::string> columns;
    std::string_view list = key[1].value_or("");
    for (size_t start = 0; start <= list.size();) {
      size_t end = std::min(list.find('\t', start), list.size());
      columns.emplace_back(list.substr(start, end - start));
      start = end + 1;
    }
    if (LogicalDeleteKeepsUnique(schema, columns)) continue;
    std::string name = key[0].value_or("");
    std::vector<std::string> quoted;
    for (const std::string& column : columns) quoted.push_back(QuoteIdentifier(column));
    return Status::InvalidArgument(fmt::format(
        "{} has unique key {} ({}) besides its row key, and logical deletes keep deleted rows: a "
        "new row reusing a deleted row's value would overwrite that row (ON DUPLICATE KEY "
        "UPDATE fires on any unique key); make it a plain index (ALTER TABLE {} DROP INDEX {}, "
        "ADD INDEX {} ({})), or exclude the table from logical deletes "
        "(logical-delete.tables.exclude: {})",
        target.ToString(), QuoteIdentifier(name), fmt::join(columns, ", "), target.Quoted(),
        QuoteIdentifier(name), QuoteIdentifier(name), fmt::join(quoted, ", "),
        schema.id().ToString()));
  }
  std::lock_guard lock(created_mu_);
  unique_checked_.insert(target);
  return Status::Ok();
}

LogicalDeleteColumns MysqlSink::LogicalFor(const TableId& source) const {
  LogicalDeleteColumns logical;
  logical.enabled = options_.logical_delete.EnabledFor(source);
  logical.flag_column = options_.logical_delete.flag_column;
  logical.time_column = options_.logical_delete.time_column;
  return logical;
}

Status MysqlSink::ApplySchemaChange(const RowChange& barrier, MysqlConnection& connection,
                                    bool& transient) {
  const SchemaChange& change = *barrier.schema_change;
  auto failed = [&](Status status) {
    transient = IsTransientMysqlError(connection.last_error().number);
    return status;
  };
  TargetNaming naming{[this](const TableId& id) { return TargetOf(id); },
                      [this](const TableId& id) { return LogicalFor(id); }, connection.is_mariadb()};
  auto translated = TranslateSchemaChange(change, options_.schema_change, naming);
  if (!translated.ok()) return translated.status();
  std::vector<TableId> targets;
  for (const TableId& id : change.Tables()) targets.push_back(TargetOf(id));
  if (!translated->note.empty()) {
    Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: {}", change.ToString(), translated->note));
  }

  Status ready = state_.Ensure(connection);
  if (!ready.ok()) return failed(ready);
  auto seen = state_.SchemaChangeState(connection, targets.front(), barrier.position, change.kind);
  if (!seen.ok()) return failed(seen.status());
  bool diverged = translated->diverges;
  if (*seen == SchemaChangeProgress::kDone) {
    Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: already applied (in {}), passed over", change.ToString(),
               state_.history_table()));
  } else {
    // Started first: a sink stopped between the DDL and its record would otherwise replay
    // the rows before the change into the changed table, which no longer takes them.
    if (*seen == SchemaChangeProgress::kStarted) {
      Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: started before the last stop (in {}), applied again",
                 change.ToString(), state_.history_table()));
    } else {
      Status started = state_.RecordSchemaChange(connection, targets, barrier.position, change.kind,
                                                 /*done=*/false, "", change.statement,
                                                 change.source_gtids);
      if (!started.ok()) return failed(started);
    }
    std::string applied;
    for (const std::string& database : translated->databases) {
      auto created = state_.CreateDatabase(connection, database);
      if (!created.ok()) return failed(created.status());
      if (*created) applied += (applied.empty() ? "" : ";\n") + ("CREATE DATABASE " + QuoteIdentifier(database));
    }
    for (const std::string& statement : translated->statements) {
      Status status = connection.Execute(statement);
      if (!status.ok()) {
        MysqlError error = connection.last_error();
        if (IsTransientMysqlError(error.number)) return failed(status);
        if (IsAlreadyDoneDdlError(error.number)) {
          Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: already in effect on the target ({}): {}",
                     change.ToString(), error.message, statement));
          continue;
        }
        if (options_.schema_change == SchemaChangeBehavior::kTryEvolve) {
          Log(LogLevel::kWarning, "mysql sink", fmt::format("the target rejected {} ({}: {}); try_evolve: "
                     "rows of {} are written to the columns the target has",
                     statement, error.number, error.message, targets.front().ToString()));
          diverged = true;
          continue;
        }
        return Status::InvalidArgument(fmt::format(
            "the target rejected the schema change at source position {} ({}): {}: server error "
            "{} ({}): {}; apply an equivalent change to the target by hand and restart from the "
            "last checkpoint, or set schema.change.behavior to try_evolve or lenient",
            barrier.position.ToString(), change.ToString(), statement, error.number,
            error.sql_state, error.message));
      }
      applied += (applied.empty() ? "" : ";\n") + statement;
    }
    if (!translated->drop_database_if_empty.empty()) {
      const std::string& database = translated->drop_database_if_empty;
      auto dropped = state_.DropDatabaseIfCreatedAndEmpty(connection, database);
      if (!dropped.ok()) return failed(dropped.status());
      if (*dropped) applied += (applied.empty() ? "" : ";\n") + ("DROP DATABASE " + QuoteIdentifier(database));
    }
    Status recorded = state_.RecordSchemaChange(connection, targets, barrier.position, change.kind,
                                                /*done=*/true, applied, change.statement,
                                                change.source_gtids);
    if (!recorded.ok()) return failed(recorded);
    std::string shown = applied.empty() ? "(nothing to run)" : applied;
    std::replace(shown.begin(), shown.end(), '\n', ' ');
    Log(LogLevel::kInfo, "mysql sink", fmt::format("applied {} at {}: {}", change.ToString(),
               barrier.position.ToString(), shown));
  }
  {
    // The tables may be gone, renamed or redefined: check them again at their next rows.
    std::lock_guard lock(created_mu_);
    for (const TableId& target : targets) created_.erase(target);
  }
  if (ProjectsRows() || diverged) {
    for (const TableId& target : targets) {
      auto columns = ReadTargetColumns(target, connection);
      if (!columns.ok()) return failed(columns.status());
      std::lock_guard lock(columns_mu_);
      target_columns_[target] = *columns;
    }
  }
  return Status::Ok();
}

template <typename T>
Result<T> MysqlSink::ReadState(const char* what, const std::function<Result<T>(MysqlConnection&)>& read) {
  auto acquired = pool_.Acquire();
  if (!acquired.ok()) return acquired.status().WithContext(what);
  MysqlConnection& connection = **acquired;
  Status status = state_.Ensure(connection);
  Result<T> position = T{};
  if (status.ok()) {
    position = read(connection);
    status = position.status();
  }
  if (!status.ok()) return status.WithContext(what);
  return position;
}

bool MysqlSink::ProjectsRows() const {
  return options_.schema_change == SchemaChangeBehavior::kIgnore ||
         options_.schema_change == SchemaChangeBehavior::kTryEvolve;
}

Result<MysqlSink::TargetColumns> MysqlSink::ReadTargetColumns(const TableId& target,
                                                              MysqlConnection& connection) {
  std::string sql = "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ";
  AppendQuoted(target.database, sql);
  sql += " AND TABLE_NAME = ";
  AppendQuoted(target.table, sql);
  auto rows = connection.Query(sql);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return TargetColumns();
  auto columns = std::make_shared<std::set<std::string>>();
  for (const auto& row : *rows) columns->insert(AsciiLower(row[0].value_or("")));
  return TargetColumns(std::move(columns));
}

Result<MysqlSink::TargetColumns> MysqlSink::TargetColumnsOf(const TableId& target) {
  {
    std::lock_guard lock(columns_mu_);
    auto found = target_columns_.find(target);
    if (found != target_columns_.end() && found->second != nullptr) return found->second;
  }
  auto acquired = pool_.Acquire();
  if (!acquired.ok()) return acquired.status().WithContext("reading the target's columns");
  auto columns = ReadTargetColumns(target, **acquired);
  if (!columns.ok()) return columns.status().WithContext("reading the columns of " + target.ToString());
  std::lock_guard lock(columns_mu_);
  if (*columns != nullptr) target_columns_[target] = *columns;
  return *columns;
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
  return MysqlSinkStats{rows_written_.load(),  array_rows_.load(),
                        transactions_.load(),  retries_.load(),
                        failures_.load(),      applied_commit_time_us_.load()};
}

}  // namespace cdc
