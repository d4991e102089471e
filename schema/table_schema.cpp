#include "schema/table_schema.h"

#include <unordered_map>
#include <utility>

#include <fmt/format.h>

#include "runtime/ascii.h"
#include "schema/row_key.h"

namespace cdc {

namespace {

bool EqualsIgnoringAsciiCase(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i) {
    char x = a[i];
    char y = b[i];
    if (x >= 'A' && x <= 'Z') x = static_cast<char>(x - 'A' + 'a');
    if (y >= 'A' && y <= 'Z') y = static_cast<char>(y - 'A' + 'a');
    if (x != y) return false;
  }
  return true;
}

Status ValidateIndex(const TableId& id, const std::vector<ColumnSchema>& columns,
                     std::string_view what, const std::vector<size_t>& positions) {
  for (size_t position : positions) {
    if (position >= columns.size()) {
      return Status::InvalidArgument(
          fmt::format("table {}: {} names column position {}, but the table has {} columns; "
                      "list only positions of existing columns",
                      id.ToString(), what, position, columns.size()));
    }
  }
  return Status::Ok();
}

bool AllNotNull(const std::vector<ColumnSchema>& columns, const std::vector<size_t>& positions) {
  for (size_t position : positions) {
    if (columns[position].nullable) return false;
  }
  return true;
}

}  // namespace

Result<TableSchemaPtr> TableSchema::Make(TableId id, std::vector<ColumnSchema> columns,
                                         std::vector<size_t> primary_key,
                                         std::vector<IndexSchema> unique_keys) {
  std::vector<IndexSchema> indexes;
  if (!primary_key.empty()) {
    indexes.push_back(IndexSchema{"PRIMARY", std::move(primary_key), IndexKind::kPrimary, {}, {}});
  }
  for (IndexSchema& index : unique_keys) {
    index.kind = IndexKind::kUnique;
    indexes.push_back(std::move(index));
  }
  return Define(std::move(id), std::move(columns), std::move(indexes));
}

Result<TableSchemaPtr> TableSchema::Define(TableId id, std::vector<ColumnSchema> columns,
                                           std::vector<IndexSchema> indexes,
                                           TableAttributes attributes) {
  if (columns.empty()) {
    return Status::InvalidArgument(fmt::format(
        "table {} has no columns; a table schema needs at least one column", id.ToString()));
  }
  std::unordered_map<std::string, size_t> seen;  // lower-cased name -> first position
  for (size_t i = 0; i < columns.size(); ++i) {
    auto [it, inserted] = seen.emplace(AsciiLower(columns[i].name), i);
    if (!inserted) {
      return Status::InvalidArgument(fmt::format(
          "table {}: column '{}' (position {}) has the same name as column '{}' (position {}); "
          "column names are case-insensitive, so rename one of them",
          id.ToString(), columns[i].name, i, columns[it->second].name, it->second));
    }
  }

  std::vector<size_t> primary_key;
  std::vector<IndexSchema> unique_keys;
  std::unordered_map<std::string, size_t> index_names;
  for (size_t i = 0; i < indexes.size(); ++i) {
    IndexSchema& index = indexes[i];
    const bool primary = index.kind == IndexKind::kPrimary;
    const std::string what =
        primary ? std::string("the primary key")
                : fmt::format("{} '{}'", index.kind == IndexKind::kUnique ? "unique key" : "index",
                              index.name);
    if (index.columns.empty()) {
      return Status::InvalidArgument(
          fmt::format("table {}: {} has no columns; give it at least one column or drop it",
                      id.ToString(), what));
    }
    CDC_RETURN_IF_ERROR(ValidateIndex(id, columns, what, index.columns));
    if (index.prefix_lengths.empty()) index.prefix_lengths.assign(index.columns.size(), 0);
    if (index.descending.empty()) index.descending.assign(index.columns.size(), false);
    if (index.prefix_lengths.size() != index.columns.size() ||
        index.descending.size() != index.columns.size()) {
      return Status::InvalidArgument(fmt::format(
          "table {}: {} has {} columns but {} prefix lengths and {} orders; give one of each per "
          "column",
          id.ToString(), what, index.columns.size(), index.prefix_lengths.size(),
          index.descending.size()));
    }
    if (primary) {
      if (!primary_key.empty()) {
        return Status::InvalidArgument(
            fmt::format("table {} has more than one primary key; keep one", id.ToString()));
      }
      index.name = "PRIMARY";
      for (size_t position : index.columns) {
        if (columns[position].nullable) {
          return Status::InvalidArgument(fmt::format(
              "table {}: primary key column '{}' is nullable; primary key columns must be NOT "
              "NULL",
              id.ToString(), columns[position].name));
        }
      }
      primary_key = index.columns;
    }
    auto [named, inserted] = index_names.emplace(AsciiLower(index.name), i);
    if (!inserted) {
      return Status::InvalidArgument(fmt::format(
          "table {}: two indexes are named '{}'; index names are case-insensitive, so rename one",
          id.ToString(), index.name));
    }
    if (index.kind == IndexKind::kUnique) unique_keys.push_back(index);
  }

  RowKeySpec key;
  if (!primary_key.empty()) {
    key.kind = KeyKind::kPrimary;
    key.index_name = "PRIMARY";
    key.columns = primary_key;
  } else {
    // A unique key with a nullable column does not identify rows: MySQL allows many NULLs.
    const IndexSchema* best = nullptr;
    for (const IndexSchema& index : unique_keys) {
      if (!AllNotNull(columns, index.columns)) continue;
      if (best == nullptr || index.columns.size() < best->columns.size()) best = &index;
    }
    if (best != nullptr) {
      key.kind = KeyKind::kUnique;
      key.index_name = best->name;
      key.columns = best->columns;
    }
  }
  for (size_t position : key.columns) key.collations.push_back(ColumnCollation(columns[position]));

  auto schema = std::shared_ptr<TableSchema>(new TableSchema());
  schema->id_ = std::move(id);
  schema->columns_ = std::move(columns);
  schema->primary_key_ = std::move(primary_key);
  schema->unique_keys_ = std::move(unique_keys);
  schema->indexes_ = std::move(indexes);
  schema->attributes_ = std::move(attributes);
  schema->key_ = std::move(key);
  schema->id_hash_ = TableIdHash()(schema->id_);
  return TableSchemaPtr(std::move(schema));
}

TableSchemaPtr TableSchema::WithId(TableId id) const {
  auto schema = std::shared_ptr<TableSchema>(new TableSchema(*this));
  schema->id_ = std::move(id);
  schema->id_hash_ = TableIdHash()(schema->id_);
  return schema;
}

TableSchemaPtr TableSchema::WithDefaultCollation(std::string collation) const {
  auto schema = std::shared_ptr<TableSchema>(new TableSchema(*this));
  schema->attributes_.default_collation = std::move(collation);
  return schema;
}

std::optional<size_t> TableSchema::FindColumn(std::string_view name) const {
  for (size_t i = 0; i < columns_.size(); ++i) {
    if (EqualsIgnoringAsciiCase(columns_[i].name, name)) return i;
  }
  return std::nullopt;
}

}  // namespace cdc
