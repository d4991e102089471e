#include "schema/schema_change.h"

#include <algorithm>

#include <fmt/format.h>

namespace cdc {

const char* SchemaChangeKindName(SchemaChangeKind kind) {
  switch (kind) {
    case SchemaChangeKind::kCreateTable: return "create table";
    case SchemaChangeKind::kAlterTable: return "alter table";
    case SchemaChangeKind::kRenameTable: return "rename table";
    case SchemaChangeKind::kDropTable: return "drop table";
  }
  return "unknown";
}

std::vector<TableId> SchemaChange::Tables() const {
  std::vector<TableId> tables;
  auto add = [&](const TableSchemaPtr& schema) {
    if (schema != nullptr &&
        std::find(tables.begin(), tables.end(), schema->id()) == tables.end()) {
      tables.push_back(schema->id());
    }
  };
  add(before);
  add(after);
  for (const TableRenameStep& step : renames) {
    add(step.from);
    add(step.to);
  }
  return tables;
}

TableSchemaPtr SchemaChange::SchemaOf(const TableId& table) const {
  TableSchemaPtr schema;
  auto consider = [&](const TableSchemaPtr& candidate) {
    if (candidate != nullptr && candidate->id() == table) schema = candidate;
  };
  consider(before);
  for (const TableRenameStep& step : renames) {
    consider(step.from);
    consider(step.to);
  }
  consider(after);
  return schema;
}

std::string SchemaChange::ToString() const {
  std::string names;
  for (const TableId& table : Tables()) {
    if (!names.empty()) names += ", ";
    names += table.ToString();
  }
  return fmt::format("{} {}: {}", SchemaChangeKindName(kind), names, statement);
}

}  // namespace cdc
