#include "connectors/mysql/source/binlog/rows_event.h"

#include <fmt/format.h>
#include <bit>

#include "connectors/mysql/source/binlog/binlog_compression.h"
#include "connectors/mysql/source/binlog/byte_reader.h"

namespace cdc {
namespace {

bool Bit(std::string_view bitmap, size_t i) {
  return (static_cast<uint8_t>(bitmap[i / 8]) >> (i % 8)) & 1;
}

// Only full images are decoded: every column of the table map present.
Status CheckFullImage(std::string_view present, const TableMap& map) {
  size_t width = map.columns.size();
  size_t present_count = 0;
  for (size_t i = 0; i < width; ++i) present_count += Bit(present, i);
  if (present_count == width) return Status::Ok();
  return Status::InvalidArgument(
      fmt::format("a rows event for {}.{} carries a partial row image ({} of {} columns): set "
                  "binlog_row_image=FULL on the source server",
                  map.database, map.table, present_count, width));
}

// One full row image: the NULL bitmap, then each non-NULL value.
Status DecodeImage(ByteReader& in, const TableMap& map, const std::vector<BinlogColumn>& columns,
                   Row& row) {
  size_t width = columns.size();
  std::string_view nulls = in.Bytes((width + 7) / 8);
  if (in.overrun()) return Status::InvalidArgument("malformed rows event: truncated null bitmap");
  row.resize(width);
  for (size_t i = 0; i < width; ++i) {
    if (Bit(nulls, i)) continue;  // NULL
    Status status = DecodeBinlogValue(columns[i], in, row[i]);
    if (!status.ok()) {
      return status.WithContext(
          fmt::format("column {} of {}.{}",
                      map.columns[i].name.empty() ? std::to_string(i + 1) : map.columns[i].name,
                      map.database, map.table));
    }
  }
  return Status::Ok();
}

struct RowsEventShape {
  ChangeKind kind = ChangeKind::kInsert;
  bool v2 = false;          // carries the extra-data block after the flags
  bool compressed = false;  // the row images are one zlib payload
};

RowsEventShape ShapeOf(BinlogEventType type) {
  using T = BinlogEventType;
  switch (type) {
    case T::kWriteRowsV1: return {ChangeKind::kInsert, false, false};
    case T::kUpdateRowsV1: return {ChangeKind::kUpdate, false, false};
    case T::kDeleteRowsV1: return {ChangeKind::kDelete, false, false};
    case T::kWriteRowsV2: return {ChangeKind::kInsert, true, false};
    case T::kUpdateRowsV2: return {ChangeKind::kUpdate, true, false};
    case T::kDeleteRowsV2: return {ChangeKind::kDelete, true, false};
    case T::kWriteRowsCompressedV1: return {ChangeKind::kInsert, false, true};
    case T::kUpdateRowsCompressedV1: return {ChangeKind::kUpdate, false, true};
    case T::kDeleteRowsCompressedV1: return {ChangeKind::kDelete, false, true};
    case T::kWriteRowsCompressedV2: return {ChangeKind::kInsert, true, true};
    case T::kUpdateRowsCompressedV2: return {ChangeKind::kUpdate, true, true};
    default: return {ChangeKind::kDelete, true, true};  // kDeleteRowsCompressedV2
  }
}

}  // namespace

bool IsRowsEvent(BinlogEventType type) {
  auto code = static_cast<uint8_t>(type);
  return (code >= 23 && code <= 25) || (code >= 30 && code <= 32) || (code >= 166 && code <= 171);
}

uint64_t RowsEventTableId(std::string_view body) {
  ByteReader in(body);
  return in.LittleEndian(6);
}

ChangeKind RowsEventKind(BinlogEventType type) {
  return ShapeOf(type).kind;
}

std::vector<BinlogColumn> RowsEventColumns(const TableMap& map,
                                           const std::vector<ColumnType>& declared) {
  std::vector<BinlogColumn> columns(map.columns.size());
  for (size_t i = 0; i < columns.size(); ++i) {
    const TableMapColumn& source = map.columns[i];
    columns[i].type = source.type;
    columns[i].meta = source.meta;
    columns[i].is_unsigned = source.is_unsigned;
    columns[i].collation_id = source.collation_id;
    columns[i].labels = &source.labels;
    if (i < declared.size()) columns[i].declared = declared[i];
  }
  return columns;
}

Status ForEachRowImage(BinlogEventType type, std::string_view body, const TableMap& map,
                       const std::vector<BinlogColumn>& columns, const RowImageVisitor& visit) {
  ByteReader in(body);
  in.LittleEndian(6);  // table id
  in.LittleEndian(2);  // flags
  RowsEventShape shape = ShapeOf(type);
  if (shape.v2) {
    uint64_t extra = in.LittleEndian(2);  // counts its own two bytes
    if (extra < 2) return Status::InvalidArgument("malformed rows event: bad extra-data length");
    in.Bytes(extra - 2);
  }
  bool update = shape.kind == ChangeKind::kUpdate;
  bool write = shape.kind == ChangeKind::kInsert;
  uint64_t width = in.Packed();
  if (width != map.columns.size() || columns.size() != map.columns.size()) {
    return Status::InvalidArgument(
        fmt::format("a rows event for {}.{} has {} columns but its table map has {}", map.database,
                    map.table, width, map.columns.size()));
  }
  std::string_view present = in.Bytes((width + 7) / 8);
  std::string_view present_after = update ? in.Bytes((width + 7) / 8) : present;
  if (in.overrun()) return Status::InvalidArgument("malformed rows event: truncated header");
  CDC_RETURN_IF_ERROR(CheckFullImage(present, map));
  if (update) CDC_RETURN_IF_ERROR(CheckFullImage(present_after, map));
  std::string inflated;  // the row images of a compressed event
  if (shape.compressed) {
    Status status = UncompressBinlogPayload(in.Bytes(in.remaining()), inflated);
    if (!status.ok()) {
      return status.WithContext(fmt::format("rows event for {}.{}", map.database, map.table));
    }
    in = ByteReader(inflated);
  }
  while (in.remaining() > 0 && !in.overrun()) {
    Row before;
    Row after;
    CDC_RETURN_IF_ERROR(DecodeImage(in, map, columns, write ? after : before));
    if (update) CDC_RETURN_IF_ERROR(DecodeImage(in, map, columns, after));
    CDC_RETURN_IF_ERROR(visit(std::move(before), std::move(after)));
  }
  if (in.overrun()) return Status::InvalidArgument("malformed rows event: truncated row image");
  return Status::Ok();
}

Result<DecodedRows> DecodeRowsEvent(BinlogEventType type, std::string_view body,
                                    const TableMap& map, const std::vector<ColumnType>& declared) {
  DecodedRows rows;
  rows.table_id = RowsEventTableId(body);
  rows.kind = RowsEventKind(type);
  Status status = ForEachRowImage(type, body, map, RowsEventColumns(map, declared),
                                  [&rows](Row&& before, Row&& after) {
                                    if (!before.empty()) rows.before.push_back(std::move(before));
                                    if (!after.empty()) rows.after.push_back(std::move(after));
                                    return Status::Ok();
                                  });
  if (!status.ok()) return status;
  return rows;
}

}  // namespace cdc
