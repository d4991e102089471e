#include "connectors/mq/partition_dispatcher.h"

#include <fmt/format.h>

#include "runtime/ascii.h"
#include "runtime/crc32.h"
#include "schema/row_key.h"

namespace cdc {
namespace {

bool SameName(std::string_view a, std::string_view b) {
  return AsciiLower(a) == AsciiLower(b);
}

}  // namespace

Result<PartitionDispatcher> PartitionDispatcher::Make(PartitionDispatch dispatch,
                                                      const std::string& index,
                                                      const std::vector<std::string>& columns,
                                                      const TableSchema& schema) {
  PartitionDispatcher dispatcher;
  dispatcher.table_hash_ = Crc32(schema.id().database + "." + schema.id().table);
  const std::string table = schema.id().ToString();
  if (dispatch == PartitionDispatch::kDefault) {
    size_t unique_keys = schema.unique_keys().size() + (schema.primary_key().empty() ? 0 : 1);
    dispatch = unique_keys == 1 && schema.has_key() ? PartitionDispatch::kIndexValue
                                                    : PartitionDispatch::kTable;
  }
  dispatcher.dispatch_ = dispatch;
  if (dispatch == PartitionDispatch::kIndexValue) {
    if (index.empty()) {
      if (!schema.has_key()) {
        return Status::InvalidArgument(fmt::format(
            "partition index-value: table {} has no primary key or NOT NULL unique key: name a "
            "unique index with index:, or dispatch it by table",
            table));
      }
      dispatcher.columns_ = schema.key().columns;
    } else {
      const IndexSchema* found = nullptr;
      for (const IndexSchema& candidate : schema.indexes()) {
        if (SameName(candidate.name, index)) found = &candidate;
      }
      if (found == nullptr || found->kind == IndexKind::kPlain ||
          found->kind == IndexKind::kFulltext || found->kind == IndexKind::kSpatial) {
        std::vector<std::string> names;
        for (const IndexSchema& candidate : schema.indexes()) {
          if (candidate.kind == IndexKind::kUnique || candidate.kind == IndexKind::kPrimary) {
            names.push_back(candidate.name);
          }
        }
        return Status::InvalidArgument(fmt::format(
            "partition index-value: table {} has no unique index '{}': use one of its unique "
            "indexes ({})",
            table, index,
            names.empty() ? std::string("it has none")
                          : fmt::format("{}", fmt::join(names, ", "))));
      }
      dispatcher.columns_ = found->columns;
    }
  } else if (dispatch == PartitionDispatch::kColumns) {
    for (const std::string& name : columns) {
      auto position = schema.FindColumn(name);
      if (!position) {
        return Status::InvalidArgument(fmt::format(
            "partition columns: table {} has no column '{}': name columns it has", table, name));
      }
      dispatcher.columns_.push_back(*position);
    }
  }
  for (size_t position : dispatcher.columns_) {
    dispatcher.collations_.push_back(ColumnCollation(schema.columns()[position]));
  }
  return dispatcher;
}

int32_t PartitionDispatcher::Partition(const RowChange& change, int32_t partitions) const {
  auto count = static_cast<uint64_t>(partitions);
  switch (dispatch_) {
    case PartitionDispatch::kIndexValue:
    case PartitionDispatch::kColumns:
      if (!IsTableBarrier(change.kind) && !change.image().empty()) {
        return static_cast<int32_t>(ColumnsHash(change.image(), columns_, collations_) % count);
      }
      break;
    case PartitionDispatch::kTs:
      return static_cast<int32_t>(static_cast<uint64_t>(change.commit_time_us) % count);
    case PartitionDispatch::kDefault:
    case PartitionDispatch::kTable: break;
  }
  return static_cast<int32_t>(table_hash_ % count);
}

}  // namespace cdc
