// Rows events (WRITE / UPDATE / DELETE, v1 and v2, and MariaDB's compressed variants): the row images of one table, decoded with
// the table's TABLE_MAP into full rows. Only full images are accepted (binlog_row_image=FULL);
// a partial image is an error naming the setting to change. Pure functions; thread-safe.
#pragma once

#include <string_view>
#include <vector>

#include "connectors/mysql/binlog/binlog_event.h"
#include "connectors/mysql/binlog/table_map.h"
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

// Decodes a rows event's body. `declared` gives each column's declared type from the schema
// catalog (JSON vs TEXT, BINARY vs CHAR) and may be empty; `map` must be the event's table map.
Result<DecodedRows> DecodeRowsEvent(BinlogEventType type, std::string_view body, const TableMap& map,
                                    const std::vector<ColumnType>& declared);

}  // namespace cdc
