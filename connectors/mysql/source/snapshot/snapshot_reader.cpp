#include "connectors/mysql/source/snapshot/snapshot_reader.h"

#include <mysqld_error.h>

#include <fmt/format.h>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/client/mysql_text_value.h"
#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/source/binlog/binlog_gtid_position.h"
#include "schema/table_id.h"

namespace cdc {

SnapshotReader::SnapshotReader(MysqlOptions connection, SnapshotOptions options,
                               std::vector<TableSchemaPtr> tables,
                               std::map<TableId, TableSnapshotState> progress)
    : connection_(std::move(connection)),
      options_(options),
      tables_(std::move(tables)),
      progress_(std::move(progress)),
      opener_(connection_, options_.locking) {
  if (options_.parallelism == 0) options_.parallelism = 1;
  if (options_.chunk_rows == 0) options_.chunk_rows = 1;
}

SnapshotReader::~SnapshotReader() {
  Stop();
}

void SnapshotReader::Start() {
  size_t count = std::min(options_.parallelism, std::max<size_t>(tables_.size(), 1));
  workers_running_ = count;
  for (size_t i = 0; i < count; ++i) workers_.emplace_back([this] { Work(); });
}

void SnapshotReader::Stop() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  changed_.notify_all();
  for (std::thread& worker : workers_) worker.join();
  workers_.clear();
}

void SnapshotReader::Fail(Status status) {
  std::lock_guard lock(mutex_);
  if (error_.ok()) error_ = std::move(status);
  stopping_ = true;
  changed_.notify_all();
}

bool SnapshotReader::Push(SnapshotChunk chunk) {
  std::unique_lock lock(mutex_);
  size_t capacity = 2 * options_.parallelism;
  changed_.wait(lock, [&] { return stopping_ || ready_.size() < capacity; });
  if (stopping_) return false;
  ready_.push_back(std::move(chunk));
  changed_.notify_all();
  return true;
}

Result<std::optional<SnapshotChunk>> SnapshotReader::Next(std::chrono::milliseconds wait) {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, wait,
                    [&] { return !ready_.empty() || workers_running_ == 0 || !error_.ok(); });
  if (!error_.ok()) return error_;
  if (ready_.empty()) return std::optional<SnapshotChunk>();
  SnapshotChunk chunk = std::move(ready_.front());
  ready_.pop_front();
  changed_.notify_all();
  return std::optional<SnapshotChunk>(std::move(chunk));
}

bool SnapshotReader::finished() {
  std::lock_guard lock(mutex_);
  return workers_running_ == 0 && ready_.empty() && error_.ok();
}

void SnapshotReader::Work() {
  MysqlConnection connection;
  Status status = connection.Connect(connection_);
  // Rows in each column's own character set, exactly as the binlog carries them.
  if (status.ok()) {
    status = connection.Execute("SET character_set_results = NULL");
  }
  if (status.ok()) {
    status = connection.Execute("SET SESSION TRANSACTION ISOLATION LEVEL REPEATABLE READ");
  }
  while (status.ok()) {
    size_t index = next_table_.fetch_add(1);
    if (index >= tables_.size()) break;
    {
      std::lock_guard lock(mutex_);
      if (stopping_) break;
    }
    const TableSchemaPtr& table = tables_[index];
    auto found = progress_.find(table->id());
    TableSnapshotState state = found != progress_.end() ? found->second : TableSnapshotState{};
    if (state.done) continue;
    status = ReadTable(connection, table, std::move(state));
    if (!status.ok()) status = status.WithContext("snapshot of " + table->id().ToString());
  }
  if (!status.ok()) Fail(std::move(status));
  std::lock_guard lock(mutex_);
  --workers_running_;
  changed_.notify_all();
}

Status SnapshotReader::ReadTable(MysqlConnection& connection, const TableSchemaPtr& table,
                                 TableSnapshotState state) {
  auto opened = opener_.Open(connection);
  if (!opened.ok()) return opened.status();
  BinlogPosition position = std::move(opened).value();
  // A table resumed keeps the position of its first snapshot: the binlog replays from there.
  if (state.position.empty()) {
    state.position = position;
    auto gtids = GtidStateAt(connection, position);
    if (!gtids.ok()) return gtids.status();
    if (*gtids) state.gtids = (*gtids)->ToString();
  }

  const auto& columns = table->columns();
  std::string select = "SELECT ";
  for (size_t i = 0; i < columns.size(); ++i) {
    if (i > 0) select += ", ";
    select += ExactSelectExpression(columns[i]);
  }
  select += " FROM " + table->id().Quoted();
  const std::vector<size_t>& key = table->key().columns;

  SnapshotChunk chunk;
  chunk.table = table;
  Status row_status;
  auto on_row = [&](const MysqlConnection::RowView& view) -> Status {
    Row row;
    row.reserve(columns.size());
    for (size_t i = 0; i < columns.size(); ++i) {
      auto value = ParseMysqlText(columns[i], view[i]);
      if (!value.ok()) return value.status();
      row.push_back(std::move(value).value());
    }
    chunk.rows.push_back(std::move(row));
    return Status::Ok();
  };
  auto hand_out = [&](bool last) -> Status {
    state.rows += chunk.rows.size();
    if (!key.empty() && !chunk.rows.empty()) {
      state.last_key.clear();
      for (size_t column : key) {
        std::string literal;
        CDC_RETURN_IF_ERROR(AppendSqlLiteral(chunk.rows.back()[column], literal));
        state.last_key.push_back(std::move(literal));
      }
    }
    state.done = last;
    chunk.state = state;
    if (!Push(std::move(chunk))) return Status::Cancelled("snapshot stopped");
    chunk = SnapshotChunk{};
    chunk.table = table;
    return Status::Ok();
  };

  Status status;
  if (key.empty()) {
    // No key to page by: one streamed query, cut into chunks as rows arrive.
    status = connection.QueryEach(select, [&](const MysqlConnection::RowView& view) -> Status {
      CDC_RETURN_IF_ERROR(on_row(view));
      if (chunk.rows.size() >= options_.chunk_rows) return hand_out(false);
      return Status::Ok();
    });
    if (status.ok()) status = hand_out(true);
  } else {
    std::string order;
    for (size_t i = 0; i < key.size(); ++i) {
      if (i > 0) order += ", ";
      order += QuoteIdentifier(columns[key[i]].name);
    }
    while (status.ok()) {
      std::string sql = select;
      if (!state.last_key.empty()) {
        std::string after;
        for (size_t i = 0; i < state.last_key.size(); ++i)
          after += (i > 0 ? ", " : "") + state.last_key[i];
        sql += key.size() == 1 ? fmt::format(" WHERE {} > {}", order, after)
                               : fmt::format(" WHERE ({}) > ({})", order, after);
      }
      sql += fmt::format(" ORDER BY {} LIMIT {}", order, options_.chunk_rows);
      status = connection.QueryEach(sql, on_row);
      if (!status.ok()) break;
      bool last = chunk.rows.size() < options_.chunk_rows;
      status = hand_out(last);
      if (last) break;
    }
  }
  if (!status.ok() && status.code() != StatusCode::kCancelled) {
    unsigned int error = connection.last_error().number;
    if (error == ER_BAD_FIELD_ERROR || error == ER_NO_SUCH_TABLE || error == ER_TABLE_DEF_CHANGED) {
      // The snapshot reads with the schema it began with, the one the binlog replay starts
      // from; a table changed under it cannot be continued, only read again from the start.
      status = Status::InvalidArgument(fmt::format(
          "{}; {} changed since its snapshot began at {} ({} rows read): the snapshot cannot "
          "continue with the schema it began with; start the snapshot again (remove the "
          "pipeline's checkpoints in state.dir, startup mode initial), and avoid DDL on tables "
          "being snapshotted",
          status.message(), table->id().ToString(), state.position.ToString(), state.rows));
    }
  }
  Status commit = connection.Execute("COMMIT");
  if (!status.ok()) return status;
  return commit;
}

}  // namespace cdc
