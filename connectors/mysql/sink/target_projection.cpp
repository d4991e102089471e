#include "connectors/mysql/sink/target_projection.h"

#include <fmt/format.h>

#include "runtime/ascii.h"
#include "schema/schema_projection.h"

namespace cdc {

Status TargetProjection::Apply(const TargetColumns& columns, const TableId& target,
                               std::vector<RowChange>& changes) {
  if (columns == nullptr) return Status::Ok();  // no table yet: it is created from the rows
  for (RowChange& change : changes) {
    if (change.kind == ChangeKind::kTruncate) continue;
    Projection& projection = projections_[change.table];
    if (projection.columns != columns || projection.source.get() != change.table) {
      projection = Projection{change.table->shared_from_this(), nullptr, {}, columns};
      const auto& all = change.table->columns();
      for (size_t i = 0; i < all.size(); ++i) {
        if (columns->count(AsciiLower(all[i].name)) != 0) projection.positions.push_back(i);
      }
      if (projection.positions.size() != all.size()) {
        auto projected =
            ProjectSchema(*change.table, projection.positions,
                          fmt::format("writing {} to the columns target {} has",
                                      change.table->id().ToString(), target.ToString()));
        if (!projected.ok()) return projected.status();
        projection.projected = *projected;
      }
    }
    if (projection.projected == nullptr) continue;
    for (Row* image : {&change.before, &change.after}) {
      if (!image->empty()) *image = Project(std::move(*image), projection.positions);
    }
    change.table = projection.projected.get();
  }
  return Status::Ok();
}

}  // namespace cdc
