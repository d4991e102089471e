// Row keys under a table's RowKeySpec, compared as MySQL compares them: text key columns by
// their collation ('a' and 'A' are one key under a _ci collation, 'a ' and 'a' under PAD SPACE),
// every other type exactly. Pure functions; thread-safe.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "schema/row_change.h"
#include "schema/table_schema.h"

namespace cdc {

// A 64-bit hash of `row`'s key columns, equal for rows whose keys are equal under the
// collations. Requires schema.has_key() and row.size() == schema.columns().size().
uint64_t KeyHash(const TableSchema& schema, const Row& row);

// A 64-bit hash of `row`'s values at `columns`, each under the collation at the same index
// (KeyHash is this over the row key), for partitioning by other columns than the key.
uint64_t ColumnsHash(const Row& row, const std::vector<size_t>& columns,
                     const std::vector<Collation>& collations);

// The collation `column`'s values compare under: its own for text columns, binary otherwise.
Collation ColumnCollation(const ColumnSchema& column);

// True when `a` and `b` have equal keys under the collations. Requires schema.has_key().
bool KeyEquals(const TableSchema& schema, const Row& a, const Row& b);

// True when an update's before and after images have different keys (a key-changing update).
// False for inserts, deletes and keyless tables.
bool KeyChanged(const RowChange& change);

// "id=5" or "a=1, b='x'" for error messages; "(no key)" for keyless tables.
std::string KeyToString(const TableSchema& schema, const Row& row);

}  // namespace cdc
