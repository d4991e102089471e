// TargetProjection: under schema.change.behavior ignore and try_evolve the target table may
// lack columns the source has; this cuts a table writer's row changes to the columns the target
// has (TargetColumns, read from information_schema by the sink). The projected schema of each
// source schema is built once per set of target columns and kept.
//
// Thread-bound: one per table writer.
#pragma once

#include <map>
#include <memory>
#include <set>
#include <string>
#include <vector>

#include "runtime/status.h"
#include "schema/row_change.h"

namespace cdc {

// A target table's column names, lower case; null when the target does not have the table.
using TargetColumns = std::shared_ptr<const std::set<std::string>>;

class TargetProjection {
 public:
  // Cuts each change of `changes` (truncates aside) to `columns`, naming `target` in errors; a
  // change whose schema has only target columns is left as it is. Null `columns` (no table on
  // the target yet: it is created from the rows) leaves every change as it is.
  [[nodiscard]] Status Apply(const TargetColumns& columns, const TableId& target,
                             std::vector<RowChange>& changes);

 private:
  struct Projection {
    TableSchemaPtr source;     // held so its address is not reused while cached
    TableSchemaPtr projected;  // null when the target has every column
    std::vector<size_t> positions;
    TargetColumns columns;  // what it was built for
  };
  std::map<const TableSchema*, Projection> projections_;
};

}  // namespace cdc
