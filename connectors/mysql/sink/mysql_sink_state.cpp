#include "connectors/mysql/sink/mysql_sink_state.h"

#include <fmt/format.h>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "runtime/ascii.h"

namespace cdc {
namespace {

Result<TableId> TableName(const std::string& name, const char* what) {
  size_t dot = name.find('.');
  if (dot == std::string::npos || dot == 0 || dot + 1 == name.size()) {
    return Status::InvalidArgument(fmt::format("{} '{}' must be database.table", what, name));
  }
  return TableId{name.substr(0, dot), name.substr(dot + 1)};
}

// The table's name as SQL; a bad name was reported by Ensure before any other call runs.
std::string Qualified(const std::string& name) {
  auto table = TableName(name, "");
  return table.ok() ? table->Quoted() : name;
}

// A row of (source_file, source_offset, source_gtid, source_server[, source_index]) of `table`.
Result<SourcePosition> PositionOf(const MysqlConnection::ResultRow& row, const std::string& table) {
  SourcePosition position;
  position.file = row[0].value_or("");
  position.gtid = row[2].value_or("");
  auto offset = ParseDecimal(row[1].value_or("0"));
  auto server = ParseDecimal(row[3].value_or("0"));
  auto index = ParseDecimal(row.size() > 4 ? row[4].value_or("0") : "0");
  if (!offset || !server || *server > UINT32_MAX || !index || *index > UINT32_MAX) {
    return Status::InvalidArgument(fmt::format(
        "the sink's state table {} holds a position that is not numbers (source_offset '{}', "
        "source_server '{}'): it was changed by hand; restore it or drop it to start over",
        table, row[1].value_or(""), row[3].value_or("")));
  }
  position.offset = *offset;
  position.server_id = static_cast<uint32_t>(*server);
  position.index = static_cast<uint32_t>(*index);
  return position;
}

// Adds `column` (its definition) to `table` unless it has it: tables made by earlier versions.
Status AddColumnIfMissing(MysqlConnection& connection, const TableId& table,
                          const std::string& column, const std::string& definition) {
  std::string sql = "SELECT 1 FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ";
  AppendQuoted(table.database, sql);
  sql += " AND TABLE_NAME = ";
  AppendQuoted(table.table, sql);
  sql += " AND COLUMN_NAME = ";
  AppendQuoted(column, sql);
  auto found = connection.Query(sql);
  if (!found.ok()) return found.status();
  if (!found->empty()) return Status::Ok();
  Status added = connection.Execute("ALTER TABLE " + table.Quoted() + " ADD COLUMN " + column +
                                    " " + definition);
  constexpr unsigned int kDuplicateColumn = 1060;  // another sink added it meanwhile
  if (!added.ok() && connection.last_error().number != kDuplicateColumn) return added;
  return Status::Ok();
}

}  // namespace

Status MysqlSinkState::Ensure(MysqlConnection& connection) {
  std::lock_guard lock(mu_);
  if (ready_) return Status::Ok();
  auto history = TableName(history_table_, "schema history table");
  if (!history.ok()) return history.status();
  auto progress = TableName(progress_table_, "progress table");
  if (!progress.ok()) return progress.status();
  CDC_RETURN_IF_ERROR(connection.Execute(CreateDatabaseSql(history->database)));
  CDC_RETURN_IF_ERROR(connection.Execute(
      "CREATE TABLE IF NOT EXISTS " + history->Quoted() +
      " (pipeline VARCHAR(64) NOT NULL, source_file VARCHAR(255) NOT NULL,"
      " source_offset BIGINT UNSIGNED NOT NULL, change_kind VARCHAR(16) NOT NULL,"
      " target_table VARCHAR(200) NOT NULL, source_gtid VARCHAR(255) NOT NULL,"
      " source_server INT UNSIGNED NOT NULL DEFAULT 0,"
      " source_gtids VARCHAR(4096) NOT NULL DEFAULT '', statements MEDIUMTEXT NOT NULL, "
      "source_statement MEDIUMTEXT NOT NULL,"
      " done TINYINT(1) NOT NULL DEFAULT 1, applied_at DATETIME(6) NOT NULL,"
      " PRIMARY KEY (pipeline, target_table, source_file, source_offset, change_kind))"
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));
  CDC_RETURN_IF_ERROR(connection.Execute(CreateDatabaseSql(progress->database)));
  CDC_RETURN_IF_ERROR(connection.Execute(
      "CREATE TABLE IF NOT EXISTS " + progress->Quoted() +
      " (pipeline VARCHAR(64) NOT NULL, target_table VARCHAR(200) NOT NULL,"
      " source_table VARCHAR(200) NOT NULL, source_file VARCHAR(255) NOT NULL,"
      " source_offset BIGINT UNSIGNED NOT NULL, source_index INT UNSIGNED NOT NULL,"
      " source_gtid VARCHAR(255) NOT NULL DEFAULT '', source_server INT UNSIGNED NOT NULL DEFAULT "
      "0,"
      " updated_at DATETIME(6) NOT NULL, PRIMARY KEY (pipeline, target_table, source_table))"
      " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));
  CDC_RETURN_IF_ERROR(
      connection.Execute("CREATE TABLE IF NOT EXISTS " + CreatedDatabasesTable() +
                         " (database_name VARCHAR(64) NOT NULL, pipeline VARCHAR(64) NOT NULL,"
                         " created_at DATETIME(6) NOT NULL, PRIMARY KEY (database_name))"
                         " ENGINE=InnoDB DEFAULT CHARSET=utf8mb4"));
  CDC_RETURN_IF_ERROR(AddColumnIfMissing(connection, *history, "source_server",
                                         "INT UNSIGNED NOT NULL DEFAULT 0 AFTER source_gtid"));
  CDC_RETURN_IF_ERROR(AddColumnIfMissing(connection, *history, "source_gtids",
                                         "VARCHAR(4096) NOT NULL DEFAULT '' AFTER source_server"));
  CDC_RETURN_IF_ERROR(AddColumnIfMissing(connection, *history, "done",
                                         "TINYINT(1) NOT NULL DEFAULT 1 AFTER source_statement"));
  CDC_RETURN_IF_ERROR(AddColumnIfMissing(connection, *progress, "source_gtid",
                                         "VARCHAR(255) NOT NULL DEFAULT '' AFTER source_index"));
  CDC_RETURN_IF_ERROR(AddColumnIfMissing(connection, *progress, "source_server",
                                         "INT UNSIGNED NOT NULL DEFAULT 0 AFTER source_gtid"));
  ready_ = true;
  return Status::Ok();
}

std::string MysqlSinkState::CreatedDatabasesTable() const {
  auto history = TableName(history_table_, "");
  return TableId{history.ok() ? history->database : "cdc_state", "created_databases"}.Quoted();
}

Result<bool> MysqlSinkState::CreateDatabase(MysqlConnection& connection,
                                            const std::string& database) {
  CDC_RETURN_IF_ERROR(Ensure(connection));
  std::string create = "CREATE DATABASE ";
  AppendIdentifier(database, create);
  Status created = connection.Execute(create);
  constexpr unsigned int kDatabaseExists = 1007;
  if (!created.ok()) {
    if (connection.last_error().number == kDatabaseExists) return false;
    return created;
  }
  std::string record = "INSERT INTO " + CreatedDatabasesTable() + " VALUES (";
  AppendQuoted(database, record);
  record += ", ";
  AppendQuoted(pipeline_, record);
  record +=
      ", NOW(6)) ON DUPLICATE KEY UPDATE pipeline = VALUES(pipeline), created_at = "
      "VALUES(created_at)";
  CDC_RETURN_IF_ERROR(connection.Execute(record));
  return true;
}

Result<bool> MysqlSinkState::DropDatabaseIfCreatedAndEmpty(MysqlConnection& connection,
                                                           const std::string& database) {
  CDC_RETURN_IF_ERROR(Ensure(connection));
  std::string name;
  AppendQuoted(database, name);
  auto rows = connection.Query(
      "SELECT (SELECT COUNT(*) FROM " + CreatedDatabasesTable() + " WHERE database_name = " + name +
      "), (SELECT COUNT(*) FROM information_schema.TABLES WHERE TABLE_SCHEMA = " + name +
      ") + (SELECT COUNT(*) FROM information_schema.ROUTINES WHERE ROUTINE_SCHEMA = " + name +
      ") + (SELECT COUNT(*) FROM information_schema.EVENTS WHERE EVENT_SCHEMA = " + name + ")");
  if (!rows.ok()) return rows.status();
  if (rows->empty() || (*rows)[0][0].value_or("0") == "0" || (*rows)[0][1].value_or("1") != "0") {
    return false;  // not the sink's, or something is in it
  }
  std::string drop = "DROP DATABASE IF EXISTS ";
  AppendIdentifier(database, drop);
  CDC_RETURN_IF_ERROR(connection.Execute(drop));
  CDC_RETURN_IF_ERROR(connection.Execute("DELETE FROM " + CreatedDatabasesTable() +
                                         " WHERE database_name = " + name));
  return true;
}

std::string MysqlSinkState::Where(const TableId& target) const {
  std::string sql = " WHERE pipeline = ";
  AppendQuoted(pipeline_, sql);
  sql += " AND target_table = ";
  AppendQuoted(target.ToString(), sql);
  return sql;
}

Result<SchemaChangeProgress> MysqlSinkState::SchemaChangeState(MysqlConnection& connection,
                                                               const TableId& target,
                                                               const SourcePosition& position,
                                                               SchemaChangeKind kind) {
  // By GTID where the change has one: after a failover the same change comes at another file
  // and offset, and another server's file and offset may hold another change. By file and
  // offset where neither has a GTID.
  std::string sql = "SELECT MAX(done) FROM " + Qualified(history_table_) + Where(target) + " AND (";
  if (!position.gtid.empty()) {
    sql += "source_gtid = ";
    AppendQuoted(position.gtid.str(), sql);
    sql += " OR (source_gtid = '' AND ";
  } else {
    sql += "(source_gtid = '' AND ";
  }
  sql += "source_file = ";
  AppendQuoted(position.file.str(), sql);
  sql += fmt::format(" AND source_offset = {})) AND change_kind = ", position.offset);
  AppendQuoted(SchemaChangeKindName(kind), sql);
  auto rows = connection.Query(sql);
  if (!rows.ok()) return rows.status();
  if (rows->empty() || !(*rows)[0][0]) return SchemaChangeProgress::kNone;
  return *(*rows)[0][0] == "0" ? SchemaChangeProgress::kStarted : SchemaChangeProgress::kDone;
}

Status MysqlSinkState::RecordSchemaChange(MysqlConnection& connection,
                                          const std::vector<TableId>& targets,
                                          const SourcePosition& position, SchemaChangeKind kind,
                                          bool done, const std::string& statements,
                                          const std::string& source_statement,
                                          const std::string& source_gtids) {
  // A started row is made done in place; applied_at stays the start's, which orders the rows.
  std::string sql =
      "INSERT INTO " + Qualified(history_table_) +
      " (pipeline, target_table, source_file, source_offset, change_kind,"
      " source_gtid, source_server, source_gtids, statements, source_statement, done, applied_at)"
      " VALUES ";
  for (size_t i = 0; i < targets.size(); ++i) {
    sql += i > 0 ? ", (" : "(";
    for (const std::string& value : {pipeline_, targets[i].ToString(), position.file.str()}) {
      AppendQuoted(value, sql);
      sql += ", ";
    }
    sql += fmt::format("{}, ", position.offset);
    for (const std::string& value :
         {std::string(SchemaChangeKindName(kind)), position.gtid.str()}) {
      AppendQuoted(value, sql);
      sql += ", ";
    }
    sql += fmt::format("{}, ", position.server_id);
    for (const std::string& value : {source_gtids, statements, source_statement}) {
      AppendQuoted(value, sql);
      sql += ", ";
    }
    sql += done ? "1, NOW(6))" : "0, NOW(6))";
  }
  // (Assignments run in order: `statements` reads `done` before it changes.)
  sql +=
      " ON DUPLICATE KEY UPDATE statements = IF(done = 0 AND VALUES(done) = 1, "
      "VALUES(statements), statements), done = GREATEST(done, VALUES(done))";
  return connection.Execute(sql);
}

Result<SchemaFloor> MysqlSinkState::LastSchemaChange(MysqlConnection& connection,
                                                     const TableId& target) {
  // The last applied: files and offsets do not order changes across a failover.
  auto rows = connection.Query(
      "SELECT source_file, source_offset, source_gtid, source_server, 0, source_gtids FROM " +
      Qualified(history_table_) + Where(target) +
      " ORDER BY applied_at DESC, source_file DESC, source_offset DESC LIMIT 1");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return SchemaFloor{};
  auto position = PositionOf((*rows)[0], history_table_);
  if (!position.ok()) return position.status();
  return SchemaFloor{*position, (*rows)[0][5].value_or("")};
}

std::string MysqlSinkState::ProgressStatement(const TableId& target, const TableId& source,
                                              const SourcePosition& position) const {
  std::string sql = "INSERT INTO " + Qualified(progress_table_) +
                    " (pipeline, target_table, source_table, source_file, source_offset,"
                    " source_index, source_gtid, source_server, updated_at) VALUES (";
  for (const std::string& value :
       {pipeline_, target.ToString(), source.ToString(), position.file.str()}) {
    AppendQuoted(value, sql);
    sql += ", ";
  }
  sql += fmt::format("{}, {}, ", position.offset, position.index);
  AppendQuoted(position.gtid.str(), sql);
  sql += fmt::format(
      ", {}, NOW(6)) ON DUPLICATE KEY UPDATE source_file = VALUES(source_file), "
      "source_offset = VALUES(source_offset), source_index = VALUES(source_index), "
      "source_gtid = VALUES(source_gtid), source_server = VALUES(source_server), "
      "updated_at = VALUES(updated_at)",
      position.server_id);
  return sql;
}

Result<SourcePosition> MysqlSinkState::AppliedThrough(MysqlConnection& connection,
                                                      const TableId& target,
                                                      const TableId& source) {
  std::string sql =
      "SELECT source_file, source_offset, source_gtid, source_server, source_index FROM " +
      Qualified(progress_table_) + Where(target) + " AND source_table = ";
  AppendQuoted(source.ToString(), sql);
  auto rows = connection.Query(sql);
  if (!rows.ok()) return rows.status();
  if (rows->empty()) return SourcePosition{};
  return PositionOf((*rows)[0], progress_table_);
}

}  // namespace cdc
