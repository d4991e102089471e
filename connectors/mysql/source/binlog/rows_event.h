// Rows events (WRITE / UPDATE / DELETE, v1 and v2, and MariaDB's compressed variants): the row
// images of one table, decoded with the table's TABLE_MAP into full rows. Only full images are
// accepted (binlog_row_image=FULL); a partial image is an error naming the setting to change. Pure
// functions; thread-safe.
#pragma once

#include <functional>
#include <string_view>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_event.h"
#include "connectors/mysql/source/binlog/binlog_value_decoder.h"
#include "connectors/mysql/source/binlog/table_map.h"
#include "schema/row_change.h"

namespace cdc {

struct DecodedRows {
  uint64_t table_id = 0;
  ChangeKind kind = ChangeKind::kInsert;
  std::vector<Row> before;  // update and delete: one per row
  std::vector<Row> after;   // insert and update: one per row
};

// True for the event types that carry row images.
bool IsRowsEvent(BinlogEventType type);

// The table id a rows event refers to (to find its TABLE_MAP before decoding).
uint64_t RowsEventTableId(std::string_view body);

// The change a rows event of `type` carries (insert, update or delete).
ChangeKind RowsEventKind(BinlogEventType type);

// What decoding the values of `map`'s columns needs; built once per table map. `declared` gives
// each column's declared type from the schema catalog (JSON vs TEXT, BINARY vs CHAR) and may be
// empty. The result points into `map` (ENUM / SET labels) and is valid while `map` is.
std::vector<BinlogColumn> RowsEventColumns(const TableMap& map,
                                           const std::vector<ColumnType>& declared);

// Called once per row of a rows event, in order: `before` for update and delete, `after` for
// insert and update, the other empty. A non-OK Status stops the decoding and is returned.
using RowImageVisitor = std::function<Status(Row&& before, Row&& after)>;

// Decodes a rows event's body row by row (a large event is never held decoded whole). `map` must
// be the event's table map and `columns` RowsEventColumns of it. Rows before a malformed one
// have been visited when the error is returned.
Status ForEachRowImage(BinlogEventType type, std::string_view body, const TableMap& map,
                       const std::vector<BinlogColumn>& columns, const RowImageVisitor& visit);

// ForEachRowImage collected into one DecodedRows (for tests and tools).
Result<DecodedRows> DecodeRowsEvent(BinlogEventType type, std::string_view body,
                                    const TableMap& map, const std::vector<ColumnType>& declared);

}  // namespace cdc
