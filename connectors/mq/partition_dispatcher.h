// PartitionDispatcher: which partition of its topic a row change goes to, by one table's
// dispatch rule (TiCDC's partition dispatchers):
// - table: a hash of "database.table", so a table's changes stay in one partition, in order;
// - index-value: a hash of the primary key's values (or the named unique index's), under the
//   key columns' collations, so the changes of one row stay in one partition, in order;
// - columns: a hash of the named columns' values;
// - ts: the commit time, microseconds, modulo the partition count;
// - default: index-value when the table has exactly one unique key (the primary key counts),
//   else table (keyless tables, and tables whose rows can collide on a second unique key).
// An update's partition is that of its after image (a key-changing update was split into a
// delete and an insert before the sink). Hashes are stable across processes and restarts.
//
// Immutable; thread-safe.
#pragma once

#include <cstdint>
#include <vector>

#include "connectors/mq/dispatch_rules.h"
#include "schema/collation.h"
#include "schema/row_change.h"

namespace cdc {

class PartitionDispatcher {
 public:
  // Resolves `dispatch` (with the rule's `index` or `columns`) against `schema`.
  // InvalidArgument naming the table and the fix: an index that does not exist or is not
  // unique, a column the table lacks, index-value on a table without a primary key.
  static Result<PartitionDispatcher> Make(PartitionDispatch dispatch, const std::string& index,
                                          const std::vector<std::string>& columns,
                                          const TableSchema& schema);

  // The partition of `change`, in [0, partitions). Requires partitions > 0 and a change of
  // the schema this dispatcher was made for (or one with the same columns).
  int32_t Partition(const RowChange& change, int32_t partitions) const;

  // The dispatch in effect: never kDefault.
  PartitionDispatch dispatch() const { return dispatch_; }
  // The columns whose values choose the partition (index-value, columns); empty otherwise.
  const std::vector<size_t>& columns() const { return columns_; }

 private:
  PartitionDispatcher() = default;

  PartitionDispatch dispatch_ = PartitionDispatch::kTable;
  std::vector<size_t> columns_;
  std::vector<Collation> collations_;
  uint32_t table_hash_ = 0;
};

}  // namespace cdc
