// TableSchema: a table's identity, columns, indexes (primary key, unique keys, plain, FULLTEXT
// and SPATIAL indexes, with prefix lengths and order), default collation and comment, and the
// key that identifies its rows (the primary key, else the shortest unique key whose columns are
// all NOT NULL, ties broken by declaration order, else none).
//
// Immutable once made; shared between threads as std::shared_ptr<const TableSchema>.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "runtime/status.h"
#include "schema/collation.h"
#include "schema/column_schema.h"
#include "schema/table_id.h"

namespace cdc {

enum class IndexKind : uint8_t { kPrimary, kUnique, kPlain, kFulltext, kSpatial };

struct IndexSchema {
  std::string name;             // "PRIMARY" for the primary key
  std::vector<size_t> columns;  // positions in TableSchema::columns()
  IndexKind kind = IndexKind::kUnique;
  // Per column: the indexed prefix (characters; bytes of binary columns), 0 for the whole
  // column; and whether the column is indexed in descending order. Empty means none of them
  // (TableSchema::Make gives them one entry per column).
  std::vector<uint32_t> prefix_lengths{};
  std::vector<bool> descending{};
  friend bool operator==(const IndexSchema&, const IndexSchema&) = default;
};

// The table options a copy of the table takes over: its default collation (which names its
// default character set) and its comment. Empty strings when not known / none.
struct TableAttributes {
  std::string default_collation{};
  std::string comment{};
  friend bool operator==(const TableAttributes&, const TableAttributes&) = default;
};

enum class KeyKind : uint8_t { kPrimary, kUnique, kNone };

// The columns that identify a row for key-by, compaction and upserts.
struct RowKeySpec {
  KeyKind kind = KeyKind::kNone;
  std::string index_name;             // empty when kNone
  std::vector<size_t> columns;        // empty when kNone
  std::vector<Collation> collations;  // one per key column; binary for non-text columns
};

class TableSchema;
using TableSchemaPtr = std::shared_ptr<const TableSchema>;

class TableSchema : public std::enable_shared_from_this<TableSchema> {
 public:
  // Validates and builds a schema. Errors (InvalidArgument, naming the table and column):
  // no columns, duplicate column names (case-insensitive, as MySQL), an index naming a column
  // position out of range, an empty index, a primary key column that is nullable.
  // `primary_key` may be empty (no primary key).
  static Result<TableSchemaPtr> Make(TableId id, std::vector<ColumnSchema> columns,
                                     std::vector<size_t> primary_key,
                                     std::vector<IndexSchema> unique_keys = {});
  // The whole definition: every index in the table's order (the primary key, of kind kPrimary
  // and named "PRIMARY", first), and the table's attributes. Errors as Make's, and: a second
  // primary key, two indexes of one name (case-insensitive), prefix lengths or orders that are
  // not one per column.
  static Result<TableSchemaPtr> Define(TableId id, std::vector<ColumnSchema> columns,
                                       std::vector<IndexSchema> indexes,
                                       TableAttributes attributes = {});

  // This schema under another name (CREATE TABLE ... LIKE, RENAME TABLE, routes).
  TableSchemaPtr WithId(TableId id) const;
  // This schema with another default collation.
  TableSchemaPtr WithDefaultCollation(std::string collation) const;

  const TableId& id() const { return id_; }
  const std::vector<ColumnSchema>& columns() const { return columns_; }
  const std::vector<size_t>& primary_key() const { return primary_key_; }
  const std::vector<IndexSchema>& unique_keys() const { return unique_keys_; }
  // Every index, the primary key and unique keys included, in the table's order.
  const std::vector<IndexSchema>& indexes() const { return indexes_; }
  const TableAttributes& attributes() const { return attributes_; }
  const std::string& default_collation() const { return attributes_.default_collation; }
  const std::string& comment() const { return attributes_.comment; }
  const RowKeySpec& key() const { return key_; }
  bool has_key() const { return key_.kind != KeyKind::kNone; }
  // True when a unique key other than the row key exists: such a table's rows can collide on
  // it while their changes are applied out of order, so they need ordered, conflict-free writes.
  bool has_secondary_unique_keys() const {
    size_t row_key_is_unique = key_.kind == KeyKind::kUnique ? 1 : 0;
    return unique_keys_.size() > row_key_is_unique;
  }

  // TableIdHash of id(), computed once: key-by hashes it for every row.
  uint64_t id_hash() const { return id_hash_; }

  // Position of the column named `name` (case-insensitive), if any.
  std::optional<size_t> FindColumn(std::string_view name) const;

 private:
  TableSchema() = default;

  TableId id_;
  std::vector<ColumnSchema> columns_;
  std::vector<size_t> primary_key_;
  std::vector<IndexSchema> unique_keys_;
  std::vector<IndexSchema> indexes_;
  TableAttributes attributes_;
  RowKeySpec key_;
  uint64_t id_hash_ = 0;
};

}  // namespace cdc
