#include "connectors/mysql/sink/mysql_sink.h"

#include <fmt/format.h>

#include <algorithm>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_table_writer.h"
#include "runtime/logger.h"

namespace cdc {

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

// `status`, with `transient` set when the server's last error on `connection` may pass on retry.
Status Failed(Status status, const MysqlConnection& connection, bool& transient) {
  transient = IsTransientMysqlError(connection.last_error().number);
  return status;
}

// Adds `statement` to the statements run for the schema history.
void AppendRun(std::string& run, const std::string& statement) {
  run += (run.empty() ? "" : ";\n") + statement;
}

}  // namespace

MysqlSink::MysqlSink(MysqlSinkOptions options)
    : options_(std::move(options)),
      pool_(options_.connection, options_.max_connections, SessionSetupFor(options_)),
      state_(options_.schema_history_table, options_.progress_table, options_.pipeline_name),
      tables_(options_, state_) {}

Status MysqlSink::Check() {
  auto connection = pool_.Acquire();
  if (!connection.ok()) return connection.status().WithContext("mysql sink");
  return Status::Ok();
}

Result<std::unique_ptr<TableWriter>> MysqlSink::CreateWriter(const TableWriterContext& context) {
  if (context.clock == nullptr) {
    return Status::InvalidArgument(
        "the MySQL sink needs the job's clock to wait between retries: use it as a job's sink "
        "(or pass a clock in TableWriterContext)");
  }
  MysqlSinkContext& shared = *this;
  return std::unique_ptr<TableWriter>(std::make_unique<MysqlTableWriter>(shared, context));
}

MysqlSinkStats MysqlSink::stats() const {
  return counters_.Read();
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

Status MysqlSink::ApplySchemaChange(const RowChange& barrier, MysqlConnection& connection,
                                    bool& transient) {
  const SchemaChange& change = *barrier.schema_change;
  auto translated = TranslateForTarget(change, connection.is_mariadb());
  if (!translated.ok()) return translated.status();
  std::vector<TableId> targets;
  for (const TableId& id : change.Tables()) targets.push_back(TargetOf(id));
  bool diverged = translated->diverges;
  Status applied = ApplyUnlessDone(barrier, *translated, targets, connection, diverged);
  if (!applied.ok()) return Failed(applied, connection, transient);
  tables_.Forget(targets);
  if (ProjectsRows() || diverged) {
    Status read = tables_.ReadColumnsAgain(targets, connection);
    if (!read.ok()) return Failed(read, connection, transient);
  }
  return Status::Ok();
}

Result<TargetSchemaSql> MysqlSink::TranslateForTarget(const SchemaChange& change,
                                                      bool mariadb) const {
  TargetNaming naming{
      [this](const TableId& id) { return TargetOf(id); },
      [this](const TableId& id) { return LogicalDeleteColumnsFor(options_.logical_delete, id); },
      mariadb};
  auto translated = TranslateSchemaChange(change, options_.schema_change, naming);
  if (translated.ok() && !translated->note.empty()) {
    Log(LogLevel::kInfo, "mysql sink", fmt::format("{}: {}", change.ToString(), translated->note));
  }
  return translated;
}

Status MysqlSink::ApplyUnlessDone(const RowChange& barrier, const TargetSchemaSql& translated,
                                  const std::vector<TableId>& targets, MysqlConnection& connection,
                                  bool& diverged) {
  const SchemaChange& change = *barrier.schema_change;
  CDC_RETURN_IF_ERROR(state_.Ensure(connection));
  auto seen = state_.SchemaChangeState(connection, targets.front(), barrier.position, change.kind);
  if (!seen.ok()) return seen.status();
  if (*seen == SchemaChangeProgress::kDone) {
    Log(LogLevel::kInfo, "mysql sink",
        fmt::format("{}: already applied (in {}), passed over", change.ToString(),
                    state_.history_table()));
    return Status::Ok();
  }
  // Started first: a sink stopped between the DDL and its record would otherwise replay
  // the rows before the change into the changed table, which no longer takes them.
  if (*seen == SchemaChangeProgress::kStarted) {
    Log(LogLevel::kInfo, "mysql sink",
        fmt::format("{}: started before the last stop (in {}), applied again", change.ToString(),
                    state_.history_table()));
  } else {
    CDC_RETURN_IF_ERROR(state_.RecordSchemaChange(connection, targets, barrier.position,
                                                  change.kind, /*done=*/false, "", change.statement,
                                                  change.source_gtids));
  }
  auto run = RunTranslated(barrier, translated, targets.front(), connection, diverged);
  if (!run.ok()) return run.status();
  CDC_RETURN_IF_ERROR(state_.RecordSchemaChange(connection, targets, barrier.position, change.kind,
                                                /*done=*/true, *run, change.statement,
                                                change.source_gtids));
  std::string shown = run->empty() ? "(nothing to run)" : *run;
  std::replace(shown.begin(), shown.end(), '\n', ' ');
  Log(LogLevel::kInfo, "mysql sink",
      fmt::format("applied {} at {}: {}", change.ToString(), barrier.position.ToString(), shown));
  return Status::Ok();
}

Result<std::string> MysqlSink::RunTranslated(const RowChange& barrier,
                                             const TargetSchemaSql& translated,
                                             const TableId& target, MysqlConnection& connection,
                                             bool& diverged) {
  const SchemaChange& change = *barrier.schema_change;
  std::string run;
  for (const std::string& database : translated.databases) {
    auto created = state_.CreateDatabase(connection, database);
    if (!created.ok()) return created.status();
    if (*created) AppendRun(run, "CREATE DATABASE " + QuoteIdentifier(database));
  }
  for (const std::string& statement : translated.statements) {
    Status status = connection.Execute(statement);
    if (status.ok()) {
      AppendRun(run, statement);
      continue;
    }
    MysqlError error = connection.last_error();
    if (IsTransientMysqlError(error.number)) return status;
    if (IsAlreadyDoneDdlError(error.number)) {
      Log(LogLevel::kInfo, "mysql sink",
          fmt::format("{}: already in effect on the target ({}): {}", change.ToString(),
                      error.message, statement));
      continue;
    }
    if (options_.schema_change == SchemaChangeBehavior::kTryEvolve) {
      Log(LogLevel::kWarning, "mysql sink",
          fmt::format("the target rejected {} ({}: {}); try_evolve: "
                      "rows of {} are written to the columns the target has",
                      statement, error.number, error.message, target.ToString()));
      diverged = true;
      continue;
    }
    return Status::InvalidArgument(fmt::format(
        "the target rejected the schema change at source position {} ({}): {}: server error "
        "{} ({}): {}; apply an equivalent change to the target by hand and restart from the "
        "last checkpoint, or set schema.change.behavior to try_evolve or lenient",
        barrier.position.ToString(), change.ToString(), statement, error.number, error.sql_state,
        error.message));
  }
  if (!translated.drop_database_if_empty.empty()) {
    const std::string& database = translated.drop_database_if_empty;
    auto dropped = state_.DropDatabaseIfCreatedAndEmpty(connection, database);
    if (!dropped.ok()) return dropped.status();
    if (*dropped) AppendRun(run, "DROP DATABASE " + QuoteIdentifier(database));
  }
  return run;
}

template <typename T>
Result<T> MysqlSink::ReadState(const char* what,
                               const std::function<Result<T>(MysqlConnection&)>& read) {
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

Result<SchemaFloor> MysqlSink::LastSchemaChange(const TableId& target) {
  return ReadState<SchemaFloor>("reading the schema history", [&](MysqlConnection& connection) {
    return state_.LastSchemaChange(connection, target);
  });
}

Result<SourcePosition> MysqlSink::AppliedThrough(const TableId& target, const TableId& source) {
  return ReadState<SourcePosition>("reading the progress table", [&](MysqlConnection& connection) {
    return state_.AppliedThrough(connection, target, source);
  });
}

}  // namespace cdc
