// Compaction: a batch of one table's changes reduced to each key's final state, so a sink
// writes every key once. Applying the result (all deletes, then all upserts) leaves the target
// as applying the changes one by one in source order would: insert, delete, insert of one key
// leaves the row; an update that changes the key deletes the old key and upserts the new one.
// Keyless tables are not compacted (every change is kept, in order). Pure function.
#pragma once

#include <vector>

#include "schema/row_change.h"

namespace cdc {

// A key's final state: the image to write and the change that left it so (for its commit
// time and source position).
struct CompactedRow {
  const Row* row;
  const RowChange* change;
};

struct CompactedBatch {
  // Before-images whose key ends deleted, and final after-images. In key order when the key's
  // first column is an integer (the common case: a database applies rows in key order with
  // fewer page splits, and concurrent writers lock in one order), else in first-seen order.
  std::vector<CompactedRow> deletes;
  std::vector<CompactedRow> upserts;
  size_t keys = 0;               // distinct keys touched
  bool truncate = false;         // a truncate came first: empty the table, then the rest
  int64_t truncate_time_us = 0;  // the (last) truncate's commit time
};

// Requires every change to be of `schema`'s table with a key (schema.has_key()). The result
// points into `changes`, which must outlive it.
CompactedBatch CompactByKey(const TableSchema& schema, const std::vector<RowChange>& changes);

}  // namespace cdc
