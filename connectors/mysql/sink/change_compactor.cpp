#include "connectors/mysql/sink/change_compactor.h"

#include <algorithm>
#include <unordered_map>

#include "runtime/assertions.h"
#include "schema/row_key.h"

namespace cdc {
namespace {

// A key of a row in the batch, hashed and compared under the key's collations.
struct KeyRef {
  const Row* row;
  uint64_t hash;
};

struct KeyRefHash {
  size_t operator()(const KeyRef& key) const { return key.hash; }
};

struct KeyRefEqual {
  const TableSchema* schema;
  bool operator()(const KeyRef& a, const KeyRef& b) const {
    return a.hash == b.hash && KeyEquals(*schema, *a.row, *b.row);
  }
};

struct FinalState {
  size_t order;      // first time the key was seen
  const Row* image;  // the final after-image, or the before-image when deleted
  const RowChange* change;
  bool deleted;
};

}  // namespace

CompactedBatch CompactByKey(const TableSchema& schema, const std::vector<RowChange>& changes) {
  CDC_ASSERT(schema.has_key());
  std::unordered_map<KeyRef, FinalState, KeyRefHash, KeyRefEqual> final_state(
      changes.size() * 2, KeyRefHash{}, KeyRefEqual{&schema});
  const RowChange* current = nullptr;
  bool truncated = false;
  int64_t truncate_time_us = 0;
  auto settle = [&](const Row& key_row, const Row* image, bool deleted) {
    KeyRef key{&key_row, KeyHash(schema, key_row)};
    auto [it, inserted] =
        final_state.try_emplace(key, FinalState{final_state.size(), image, current, deleted});
    if (!inserted) it->second = FinalState{it->second.order, image, current, deleted};
  };
  for (const RowChange& change : changes) {
    current = &change;
    switch (change.kind) {
      case ChangeKind::kInsert: settle(change.after, &change.after, false); break;
      case ChangeKind::kUpdate:
        // Unsplit key-changing update (a sink fed without key-by): the old key is gone.
        if (KeyChanged(change)) settle(change.before, &change.before, true);
        settle(change.after, &change.after, false);
        break;
      case ChangeKind::kDelete: settle(change.before, &change.before, true); break;
      case ChangeKind::kTruncate:
        // Everything before is gone; the table starts empty.
        final_state.clear();
        truncated = true;
        truncate_time_us = change.commit_time_us;
        break;
      case ChangeKind::kSchemaChange: break;  // a barrier of its own: never in a batch of rows
    }
  }
  std::vector<std::pair<size_t, const FinalState*>> ordered;
  ordered.reserve(final_state.size());
  for (const auto& [key, state] : final_state) ordered.emplace_back(state.order, &state);
  std::sort(ordered.begin(), ordered.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  CompactedBatch batch;
  batch.keys = ordered.size();
  batch.truncate = truncated;
  batch.truncate_time_us = truncate_time_us;
  for (const auto& [order, state] : ordered) {
    (state->deleted ? batch.deletes : batch.upserts)
        .push_back(CompactedRow{state->image, state->change});
  }
  size_t first = schema.key().columns.front();
  ValueKind kind = schema.columns()[first].value_kind();
  if (kind == ValueKind::kInt || kind == ValueKind::kUInt) {
    auto by_key = [first, kind](const CompactedRow& a, const CompactedRow& b) {
      const Value& x = (*a.row)[first];
      const Value& y = (*b.row)[first];
      if (x.is_null() || y.is_null()) return !x.is_null() && y.is_null();
      return kind == ValueKind::kInt ? x.int_value() < y.int_value()
                                     : x.uint_value() < y.uint_value();
    };
    std::stable_sort(batch.deletes.begin(), batch.deletes.end(), by_key);
    std::stable_sort(batch.upserts.begin(), batch.upserts.end(), by_key);
  }
  return batch;
}

}  // namespace cdc
