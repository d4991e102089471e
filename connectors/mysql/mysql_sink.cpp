#include "connectors/mysql/mysql_sink.h"

#include <fmt/format.h>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <random>
#include <thread>

#include "connectors/mysql/mysql_statements.h"
#include "connectors/mysql/mysql_table_ddl.h"
#include "operators/change_compactor.h"
#include "schema/row_key.h"

namespace cdc {

class MysqlSink::Writer final : public TableWriter {
 public:
  Writer(MysqlSink& sink, TableSchemaPtr schema, size_t subtask)
      : sink_(sink),
        schema_(std::move(schema)),
        target_(sink.TargetOf(schema_->id())),
        subtask_(subtask),
        rng_(std::random_device{}()) {
    const LogicalDeleteOptions& options = sink.options_.logical_delete;
    logical_.enabled = options.EnabledFor(schema_->id());
    logical_.flag_column = options.flag_column;
    logical_.time_column = options.time_column;
  }

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    Status status = WriteWithRetries(batch);
    if (!status.ok()) sink_.failures_.fetch_add(1, std::memory_order_relaxed);
    done(status);
  }

 private:
  Result<std::vector<std::string>> Statements(const std::vector<RowChange>& changes,
                                              const CompactedBatch* compacted,
                                              const MysqlConnection& connection) const {
    const TableSchema& schema = *changes.front().table;
    if (!schema.has_key()) return BuildKeylessStatements(schema, target_, changes, logical_);
    StatementDialect dialect;
    dialect.row_alias = connection.supports_row_alias();
    dialect.max_statement_bytes = sink_.options_.max_statement_bytes != 0
                                      ? sink_.options_.max_statement_bytes
                                      : connection.max_allowed_packet() - 1024;
    return BuildKeyedStatements(schema, target_, *compacted, logical_, dialect);
  }

  static Status Apply(MysqlConnection& connection, const std::vector<std::string>& statements) {
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
                              ? Statements(changes, &one, connection)
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

  Status WriteWithRetries(const FlushBatch& batch) {
    if (batch.changes.empty()) return Status::Ok();
    const TableSchema& schema = *batch.changes.front().table;
    CompactedBatch compacted;
    if (schema.has_key()) compacted = CompactByKey(schema, batch.changes);
    const CompactedBatch* compacted_ptr = schema.has_key() ? &compacted : nullptr;
    const MysqlRetryPolicy& retry = sink_.options_.retry;
    std::string last_error;
    for (uint32_t attempt = 1; attempt <= retry.max_attempts; ++attempt) {
      if (attempt > 1) {
        sink_.retries_.fetch_add(1, std::memory_order_relaxed);
        auto wait = Backoff(attempt - 1);
        fmt::print(stderr, "[mysql sink] {} subtask {}: transient failure ({}); retry {} of {} in {} ms\n",
                   target_.ToString(), subtask_, last_error, attempt - 1, retry.max_attempts - 1,
                   wait.count());
        // The flush owns this table's lock; other tables keep flushing on other threads.
        std::this_thread::sleep_for(wait);
      }
      auto acquired = sink_.pool_.Acquire();
      if (!acquired.ok()) {
        last_error = acquired.status().message();
        continue;  // unreachable or restarting: a connection error is transient
      }
      MysqlConnection& connection = **acquired;
      Status status = sink_.EnsureTable(schema, target_, connection);
      Result<std::vector<std::string>> statements = std::vector<std::string>{};
      if (status.ok()) {
        statements = Statements(batch.changes, compacted_ptr, connection);
        if (!statements.ok()) {
          sink_.pool_.Release(&connection);
          return statements.status().WithContext(fmt::format(
              "writing {} (from {})", target_.ToString(), schema.id().ToString()));
        }
        status = Apply(connection, *statements);
      }
      if (status.ok()) {
        sink_.pool_.Release(&connection);
        sink_.transactions_.fetch_add(1, std::memory_order_relaxed);
        sink_.rows_written_.fetch_add(schema.has_key() ? compacted.keys : batch.changes.size(),
                                      std::memory_order_relaxed);
        return Status::Ok();
      }
      MysqlError error = connection.last_error();
      last_error = status.message();
      if (IsTransientMysqlError(error.number)) {
        connection.Close();  // rolls back on the server; reconnect on the next attempt
        sink_.pool_.Release(&connection);
        continue;
      }
      (void)connection.Execute("ROLLBACK");
      std::string culprit = FindRejectedRow(connection, batch.changes, compacted_ptr);
      sink_.pool_.Release(&connection);
      return Status::InvalidArgument(fmt::format(
          "the target rejected {} of {} (source table {}): server error {} ({}): {}; fix the "
          "target table or the value, then restart from the last checkpoint",
          culprit, target_.ToString(), schema.id().ToString(), error.number, error.sql_state,
          error.message));
    }
    return Status::IoError(fmt::format(
        "writing {} failed {} times with transient errors, the last: {}; check the target "
        "server",
        target_.ToString(), retry.max_attempts, last_error));
  }

  MysqlSink& sink_;
  TableSchemaPtr schema_;
  TableId target_;
  size_t subtask_;
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
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.schema, context.subtask));
}

MysqlSinkStats MysqlSink::stats() const {
  return MysqlSinkStats{rows_written_.load(), transactions_.load(), retries_.load(),
                        failures_.load()};
}

}  // namespace cdc
