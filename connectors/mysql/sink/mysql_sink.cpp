#include "connectors/mysql/sink/mysql_sink.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_schema_change_sql.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "runtime/ascii.h"
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

Result<std::unique_ptr<TableWriter>> MysqlSink::CreateWriter(const TableWriterContext& context) {
  if (context.clock == nullptr) {
    return Status::InvalidArgument(
        "the MySQL sink needs the job's clock to wait between retries: use it as a job's sink "
        "(or pass a clock in TableWriterContext)");
  }
  MysqlSinkContext& shared = *this;
  return std::unique_ptr<TableWriter>(std::make_unique<MysqlTableWriter>(shared, context));
}

MysqlSinkStats MysqlSink::stats() const { return counters_.Read(); }

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

Result<TargetColumns> MysqlSink::ReadTargetColumns(const TableId& target,
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

Result<TargetColumns> MysqlSink::TargetColumnsOf(const TableId& target) {
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

}  // namespace cdc
