#include "connectors/mysql/sink/target_tables.h"

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>

#include "connectors/mysql/client/sql_literal.h"
#include "connectors/mysql/sink/mysql_statements.h"
#include "connectors/mysql/sink/mysql_table_ddl.h"
#include "runtime/ascii.h"

namespace cdc {

Status TargetTables::Ensure(const TableSchema& schema, const TableId& target,
                            MysqlConnection& connection) {
  if (!options_.auto_create) return Status::Ok();
  {
    std::lock_guard lock(created_mu_);
    if (created_.count(target) != 0) return Status::Ok();
  }
  auto database = state_.CreateDatabase(connection, target.database);
  if (!database.ok()) return database.status();
  LogicalDeleteColumns logical = LogicalDeleteColumnsFor(options_.logical_delete, schema.id());
  CDC_RETURN_IF_ERROR(
      connection.Execute(CreateTableSql(schema, target, logical, connection.is_mariadb())));
  std::lock_guard lock(created_mu_);
  created_.insert(target);
  return Status::Ok();
}

Status TargetTables::CheckUniqueKeys(const TableSchema& schema, const TableId& target,
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

void TargetTables::Forget(const std::vector<TableId>& targets) {
  std::lock_guard lock(created_mu_);
  for (const TableId& target : targets) created_.erase(target);
}

Result<TargetColumns> TargetTables::ColumnsOf(const TableId& target, MysqlConnectionPool& pool) {
  {
    std::lock_guard lock(columns_mu_);
    auto found = columns_.find(target);
    if (found != columns_.end() && found->second != nullptr) return found->second;
  }
  auto connection = pool.Acquire();
  if (!connection.ok()) return connection.status().WithContext("reading the target's columns");
  auto columns = ReadColumns(target, **connection);
  if (!columns.ok())
    return columns.status().WithContext("reading the columns of " + target.ToString());
  std::lock_guard lock(columns_mu_);
  if (*columns != nullptr) columns_[target] = *columns;
  return *columns;
}

Status TargetTables::ReadColumnsAgain(const std::vector<TableId>& targets,
                                      MysqlConnection& connection) {
  for (const TableId& target : targets) {
    auto columns = ReadColumns(target, connection);
    if (!columns.ok()) return columns.status();
    std::lock_guard lock(columns_mu_);
    columns_[target] = *columns;
  }
  return Status::Ok();
}

Result<TargetColumns> TargetTables::ReadColumns(const TableId& target,
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

}  // namespace cdc
