// TableMap: a TABLE_MAP event, which names the table and describes its columns for the rows
// events that follow: binlog types and metadata, nullability, and with
// binlog_row_metadata=FULL the optional metadata (signedness, collations, column names,
// ENUM/SET labels, primary key). Immutable once parsed.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "connectors/mysql/source/binlog/binlog_value_decoder.h"
#include "runtime/status.h"

namespace cdc {

struct TableMapColumn {
  BinlogType type = BinlogType::kNull;
  uint16_t meta = 0;  // as BinlogColumn::meta describes
  bool nullable = true;
  bool is_unsigned = false;         // from the signedness metadata
  uint16_t collation_id = 0;        // character columns, from the charset metadata; 0 if not sent
  std::string name;                 // from the column-name metadata; empty if not sent
  std::vector<std::string> labels;  // ENUM / SET members, if sent
};

struct TableMap {
  uint64_t table_id = 0;
  std::string database;
  std::string table;
  std::vector<TableMapColumn> columns;
  std::vector<size_t> primary_key;  // from the primary-key metadata, if sent
  bool has_names = false;           // binlog_row_metadata=FULL sent column names
};

// Parses a TABLE_MAP event's body (after the common header, without the checksum).
Result<TableMap> ParseTableMap(std::string_view body);

}  // namespace cdc
