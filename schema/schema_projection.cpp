#include "schema/schema_projection.h"

#include <fmt/format.h>

#include <cstdint>
#include <optional>

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
  auto renumber = [&](const std::vector<size_t>& key) -> std::optional<std::vector<size_t>> {
    std::vector<size_t> out;
    for (size_t column : key) {
      if (new_position[column] == SIZE_MAX) return std::nullopt;
      out.push_back(new_position[column]);
    }
    return out;
  };
  std::vector<size_t> primary_key = *renumber(source.primary_key());  // checked above
  std::vector<IndexSchema> unique_keys;
  for (const IndexSchema& index : source.unique_keys()) {
    if (auto kept = renumber(index.columns)) unique_keys.push_back({index.name, std::move(*kept)});
  }
  auto schema = TableSchema::Make(source.id(), std::move(columns), std::move(primary_key),
                                  std::move(unique_keys));
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
