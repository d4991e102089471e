#include "schema/schema_projection.h"

#include <fmt/format.h>

#include <cstdint>

namespace cdc {

Result<TableSchemaPtr> ProjectSchema(const TableSchema& source,
                                     const std::vector<size_t>& positions,
                                     const std::string& context) {
  std::vector<size_t> new_position(source.columns().size(), SIZE_MAX);
  std::vector<ColumnSchema> columns;
  for (size_t i = 0; i < positions.size(); ++i) {
    new_position[positions[i]] = i;
    columns.push_back(source.columns()[positions[i]]);
  }
  for (size_t key_column : source.key().columns) {
    if (new_position[key_column] != SIZE_MAX) continue;
    return Status::InvalidArgument(fmt::format(
        "{}: the projection drops column '{}' of the row key ({}); the sink needs the key to "
        "apply updates and deletes, so add it to the projection",
        context, source.columns()[key_column].name,
        source.key().kind == KeyKind::kPrimary ? "PRIMARY KEY"
                                               : "unique key " + source.key().index_name));
  }
  // An index over a column the projection drops is dropped with it.
  std::vector<IndexSchema> indexes;
  for (const IndexSchema& index : source.indexes()) {
    IndexSchema kept = index;
    kept.columns.clear();
    for (size_t column : index.columns) {
      if (new_position[column] == SIZE_MAX) break;
      kept.columns.push_back(new_position[column]);
    }
    if (kept.columns.size() == index.columns.size()) indexes.push_back(std::move(kept));
  }
  auto schema =
      TableSchema::Define(source.id(), std::move(columns), std::move(indexes), source.attributes());
  if (!schema.ok()) return schema.status().WithContext(context);
  return schema;
}

Row Project(Row&& row, const std::vector<size_t>& positions) {
  Row projected;
  projected.reserve(positions.size());
  // Positions are distinct, so each value moves once.
  for (size_t position : positions) projected.push_back(std::move(row[position]));
  return projected;
}

}  // namespace cdc
