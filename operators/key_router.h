// KeyRouter: how row changes are routed to sink subtasks so that every change of one row key
// reaches the same subtask, in source order.
//
// KeyRouter hashes the table's identity and the row's key (primary key, else the shortest
// NOT NULL unique key) under the key columns' collations, so 'a' and 'A' under a _ci
// collation route together. Keyless tables all route to subtask 0. A table with a unique key
// besides its row key routes by table alone: two rows that trade unique values must reach the
// target in source order, which only one subtask can guarantee (see the MySQL sink).
//
// KeyRoute is an immutable value; KeyRouter is stateless and thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>

#include "schema/row_change.h"

namespace cdc {

struct KeyRoute {
  bool keyed = false;  // false: keyless table, goes to subtask 0
  uint64_t hash = 0;   // table and key hash when keyed

  size_t Subtask(size_t parallelism) const;
};

class KeyRouter {
 public:
  // The route of `change`'s current image (after for insert and update, before for delete).
  KeyRoute Route(const RowChange& change) const;
};

}  // namespace cdc
