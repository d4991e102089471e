#include "operators/key_router.h"

#include "runtime/partitioning.h"
#include "schema/row_key.h"

namespace cdc {

size_t KeyRoute::Subtask(size_t parallelism) const {
  return keyed ? SubtaskForHash(hash, parallelism) : 0;
}

KeyRoute KeyRouter::Route(const RowChange& change) const {
  const TableSchema& schema = *change.table;
  if (!schema.has_key()) return KeyRoute{};
  uint64_t hash = schema.id_hash() * 0x9e3779b97f4a7c15ULL;
  if (!schema.has_secondary_unique_keys()) hash ^= KeyHash(schema, change.image());
  // Final avalanche so the high bits used by SubtaskForHash depend on every input bit.
  hash ^= hash >> 33;
  hash *= 0xff51afd7ed558ccdULL;
  hash ^= hash >> 33;
  return KeyRoute{true, hash};
}

}  // namespace cdc
