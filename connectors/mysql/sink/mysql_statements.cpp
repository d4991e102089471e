#include "connectors/mysql/sink/mysql_statements.h"

#include <fmt/format.h>
#include <algorithm>

#include "connectors/mysql/client/sql_literal.h"

namespace cdc {
namespace {

std::string DeleteTimeLiteral(int64_t time_us) {
  return Value::Timestamp(
             TimestampValue{time_us / 1'000'000, static_cast<uint32_t>(time_us % 1'000'000)}, 6)
      .ToString();
}

// "(v1, v2, ...[, flag[, time]])" for one row.
Status AppendRowTuple(const Row& row, const LogicalDeleteColumns& logical, bool deleted,
                      const std::string& delete_time, std::string& sql) {
  sql += '(';
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) sql += ", ";
    CDC_RETURN_IF_ERROR(AppendSqlLiteral(row[i], sql));
  }
  if (logical.enabled) {
    sql += deleted ? ", 1" : ", 0";
    if (!logical.time_column.empty()) sql += ", " + (deleted ? delete_time : std::string("NULL"));
  }
  sql += ')';
  return Status::Ok();
}

// Builds "head tuple, tuple, ... tail" statements no longer than the limit (a single row that
// is longer still gets a statement of its own).
class StatementSplitter {
 public:
  StatementSplitter(std::string head, std::string tail, size_t limit)
      : head_(std::move(head)), tail_(std::move(tail)), limit_(limit) {}

  void Add(const std::string& tuple) {
    if (!current_.empty() && current_.size() + 2 + tuple.size() + tail_.size() > limit_) Close();
    if (current_.empty()) {
      current_ = head_;
    } else {
      current_ += ", ";
    }
    current_ += tuple;
  }
  std::vector<std::string> Finish() {
    Close();
    return std::move(statements_);
  }

 private:
  void Close() {
    if (current_.empty()) return;
    current_ += tail_;
    statements_.push_back(std::move(current_));
    current_.clear();
  }

  std::string head_;
  std::string tail_;
  size_t limit_;
  std::string current_;
  std::vector<std::string> statements_;
};

std::string ColumnList(const TableSchema& schema, const LogicalDeleteColumns& logical) {
  std::string list = "(";
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    if (i > 0) list += ", ";
    AppendIdentifier(schema.columns()[i].name, list);
  }
  if (logical.enabled) {
    list += ", ";
    AppendIdentifier(logical.flag_column, list);
    if (!logical.time_column.empty()) {
      list += ", ";
      AppendIdentifier(logical.time_column, list);
    }
  }
  return list + ")";
}

std::string UpsertTail(const TableSchema& schema, const LogicalDeleteColumns& logical,
                       bool row_alias) {
  std::vector<std::string> assigned;
  const auto& key = schema.key().columns;
  for (size_t i = 0; i < schema.columns().size(); ++i) {
    if (std::find(key.begin(), key.end(), i) == key.end())
      assigned.push_back(schema.columns()[i].name);
  }
  if (logical.enabled) {
    assigned.push_back(logical.flag_column);
    if (!logical.time_column.empty()) assigned.push_back(logical.time_column);
  }
  if (assigned.empty()) assigned.push_back(schema.columns()[key.front()].name);  // all-key table
  std::string tail = row_alias ? " AS new ON DUPLICATE KEY UPDATE " : " ON DUPLICATE KEY UPDATE ";
  for (size_t i = 0; i < assigned.size(); ++i) {
    if (i > 0) tail += ", ";
    std::string column;
    AppendIdentifier(assigned[i], column);
    tail += column + " = " + (row_alias ? "new." + column : "VALUES(" + column + ")");
  }
  return tail;
}

// "`a` <=> 1 AND `b` <=> 'x'" matching a full before-image (NULL-safe).
Status AppendImageMatch(const TableSchema& schema, const Row& row, std::string& sql) {
  for (size_t i = 0; i < row.size(); ++i) {
    if (i > 0) sql += " AND ";
    AppendIdentifier(schema.columns()[i].name, sql);
    sql += " <=> ";
    CDC_RETURN_IF_ERROR(AppendSqlLiteral(row[i], sql));
  }
  return Status::Ok();
}

// Empties the table: TRUNCATE TABLE (like the source; replay-safe), or with logical deletes
// flags every live row deleted at the truncate's commit time.
std::string TruncateStatement(const std::string& table, const LogicalDeleteColumns& logical,
                              int64_t commit_time_us) {
  if (!logical.enabled) return "TRUNCATE TABLE " + table;
  std::string sql = "UPDATE " + table + " SET ";
  AppendIdentifier(logical.flag_column, sql);
  sql += " = 1";
  if (!logical.time_column.empty()) {
    sql += ", ";
    AppendIdentifier(logical.time_column, sql);
    sql += " = " + DeleteTimeLiteral(commit_time_us);
  }
  sql += " WHERE ";
  AppendIdentifier(logical.flag_column, sql);
  return sql + " = 0";
}

}  // namespace

Result<std::vector<std::string>> BuildKeyedStatements(
    const TableSchema& schema, const TableId& target, const CompactedBatch& batch,
    const LogicalDeleteColumns& logical, const StatementDialect& dialect, bool with_upserts) {
  std::string table = target.Quoted();
  std::vector<std::string> statements;
  if (batch.truncate)
    statements.push_back(TruncateStatement(table, logical, batch.truncate_time_us));
  std::string tuple;
  // Keys to delete first: the deleted ones, and for tables with secondary unique keys every
  // key the batch upserts too (see the header).
  std::vector<CompactedRow> to_delete;
  if (!logical.enabled) {
    to_delete = batch.deletes;
    if (schema.has_secondary_unique_keys()) {
      to_delete.insert(to_delete.end(), batch.upserts.begin(), batch.upserts.end());
    }
  }
  if (!to_delete.empty()) {
    const auto& key = schema.key().columns;
    std::string head = "DELETE FROM " + table + " WHERE ";
    if (key.size() == 1) {
      AppendIdentifier(schema.columns()[key[0]].name, head);
    } else {
      head += '(';
      for (size_t i = 0; i < key.size(); ++i) {
        if (i > 0) head += ", ";
        AppendIdentifier(schema.columns()[key[i]].name, head);
      }
      head += ')';
    }
    head += " IN (";
    StatementSplitter deletes(head, ")", dialect.max_statement_bytes);
    for (const CompactedRow& deleted : to_delete) {
      tuple.clear();
      if (key.size() > 1) tuple += '(';
      for (size_t i = 0; i < key.size(); ++i) {
        if (i > 0) tuple += ", ";
        CDC_RETURN_IF_ERROR(AppendSqlLiteral((*deleted.row)[key[i]], tuple));
      }
      if (key.size() > 1) tuple += ')';
      deletes.Add(tuple);
    }
    for (auto& statement : deletes.Finish()) statements.push_back(std::move(statement));
  }
  if (!with_upserts) return statements;
  std::string head = "INSERT INTO " + table + " " + ColumnList(schema, logical) + " VALUES ";
  StatementSplitter upserts(head, UpsertTail(schema, logical, dialect.row_alias),
                            dialect.max_statement_bytes);
  if (logical.enabled) {
    // A logical delete is an upsert of the before-image with the flag set.
    for (const CompactedRow& deleted : batch.deletes) {
      tuple.clear();
      CDC_RETURN_IF_ERROR(AppendRowTuple(*deleted.row, logical, true,
                                         DeleteTimeLiteral(deleted.change->commit_time_us), tuple));
      upserts.Add(tuple);
    }
  }
  for (const CompactedRow& upsert : batch.upserts) {
    tuple.clear();
    CDC_RETURN_IF_ERROR(AppendRowTuple(*upsert.row, logical, false, "", tuple));
    upserts.Add(tuple);
  }
  for (auto& statement : upserts.Finish()) statements.push_back(std::move(statement));
  return statements;
}

std::string BuildUpsertTemplate(const TableSchema& schema, const TableId& target,
                                const LogicalDeleteColumns& logical,
                                const StatementDialect& dialect) {
  size_t parameters = schema.columns().size();
  if (logical.enabled) parameters += logical.time_column.empty() ? 1 : 2;
  std::string sql =
      "INSERT INTO " + target.Quoted() + " " + ColumnList(schema, logical) + " VALUES (";
  for (size_t i = 0; i < parameters; ++i) sql += i > 0 ? ", ?" : "?";
  return sql + ")" + UpsertTail(schema, logical, dialect.row_alias);
}

Result<std::vector<std::string>> BuildKeylessStatements(const TableSchema& schema,
                                                        const TableId& target,
                                                        const std::vector<RowChange>& changes,
                                                        const LogicalDeleteColumns& logical) {
  std::string table = target.Quoted();
  std::string live_only;
  if (logical.enabled) {
    live_only = " AND ";
    AppendIdentifier(logical.flag_column, live_only);
    live_only += " = 0";
  }
  std::vector<std::string> statements;
  for (const RowChange& change : changes) {
    std::string sql;
    switch (change.kind) {
      case ChangeKind::kInsert:
        sql = "INSERT INTO " + table + " " + ColumnList(schema, logical) + " VALUES ";
        CDC_RETURN_IF_ERROR(AppendRowTuple(change.after, logical, false, "", sql));
        break;
      case ChangeKind::kUpdate:
        sql = "UPDATE " + table + " SET ";
        for (size_t i = 0; i < change.after.size(); ++i) {
          if (i > 0) sql += ", ";
          AppendIdentifier(schema.columns()[i].name, sql);
          sql += " = ";
          CDC_RETURN_IF_ERROR(AppendSqlLiteral(change.after[i], sql));
        }
        sql += " WHERE ";
        CDC_RETURN_IF_ERROR(AppendImageMatch(schema, change.before, sql));
        sql += live_only + " LIMIT 1";
        break;
      case ChangeKind::kTruncate:
        sql = TruncateStatement(table, logical, change.commit_time_us);
        break;
      case ChangeKind::kDelete:
        if (logical.enabled) {
          sql = "UPDATE " + table + " SET ";
          AppendIdentifier(logical.flag_column, sql);
          sql += " = 1";
          if (!logical.time_column.empty()) {
            sql += ", ";
            AppendIdentifier(logical.time_column, sql);
            sql += " = " + DeleteTimeLiteral(change.commit_time_us);
          }
        } else {
          sql = "DELETE FROM " + table;
        }
        sql += " WHERE ";
        CDC_RETURN_IF_ERROR(AppendImageMatch(schema, change.before, sql));
        sql += live_only + " LIMIT 1";
        break;
      case ChangeKind::kSchemaChange:
        return Status::InvalidArgument("a schema change reached the row statements of " + table +
                                       ": schema changes are table barriers, applied on their own");
    }
    statements.push_back(std::move(sql));
  }
  return statements;
}

}  // namespace cdc
