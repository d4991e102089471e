// Test helpers: small table schemas and row changes built in one line.
#pragma once

#include <string>

#include "schema/row_change.h"

namespace cdc::testing {

// `db`.`name` (id BIGINT NOT NULL PRIMARY KEY, v VARCHAR(64) utf8mb4_general_ci); without a
// primary key when `keyed` is false.
inline TableSchemaPtr MakeTable(const std::string& name, bool keyed = true,
                                const std::string& key_collation = "") {
  std::vector<ColumnSchema> columns(2);
  columns[0].name = "id";
  columns[0].type = key_collation.empty() ? ColumnType::kBigInt : ColumnType::kVarChar;
  columns[0].length = 64;
  columns[0].collation = key_collation;
  columns[0].nullable = !keyed;
  columns[1].name = "v";
  columns[1].type = ColumnType::kVarChar;
  columns[1].length = 64;
  columns[1].collation = "utf8mb4_general_ci";
  auto schema = TableSchema::Make(TableId{"db", name}, std::move(columns),
                                  keyed ? std::vector<size_t>{0} : std::vector<size_t>{});
  return *schema;
}

inline Row MakeRow(int64_t id, const std::string& v) {
  return Row{Value::Int(id), Value::String(v, 45)};
}

inline RowChange Insert(const TableSchemaPtr& table, int64_t id, const std::string& v,
                        uint64_t offset = 0) {
  RowChange change;
  change.kind = ChangeKind::kInsert;
  change.table = table.get();
  change.after = MakeRow(id, v);
  change.position.offset = offset;
  return change;
}

inline RowChange Update(const TableSchemaPtr& table, int64_t old_id, const std::string& old_v,
                        int64_t new_id, const std::string& new_v, uint64_t offset = 0) {
  RowChange change;
  change.kind = ChangeKind::kUpdate;
  change.table = table.get();
  change.before = MakeRow(old_id, old_v);
  change.after = MakeRow(new_id, new_v);
  change.position.offset = offset;
  return change;
}

inline RowChange Delete(const TableSchemaPtr& table, int64_t id, const std::string& v,
                        uint64_t offset = 0) {
  RowChange change;
  change.kind = ChangeKind::kDelete;
  change.table = table.get();
  change.before = MakeRow(id, v);
  change.position.offset = offset;
  return change;
}

}  // namespace cdc::testing
