// The dispatch rules of a message-queue sink (Kafka, Pulsar), as TiCDC's [sink] section names
// them: which topic and partition a table's changes go to (`dispatchers`), which of its columns
// they carry (`column-selectors`), and what happens to a message over the size limit. The rules
// are data; TopicDispatcher, PartitionDispatcher and ColumnSelector apply them.
//
// Plain value types.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace cdc {

// How a table's row changes are spread over its topic's partitions (TiCDC's `partition`).
enum class PartitionDispatch : uint8_t {
  kDefault,     // index-value when the table has exactly one unique key (the primary key
                // counts), else table
  kTable,       // by database and table name: one partition per table
  kIndexValue,  // by the primary key's values, or by the unique index named in `index`
  kColumns,     // by the values of the columns named in `columns`
  kTs,          // by the commit time
};

// "default", "table", "index-value", "columns", "ts"
const char* PartitionDispatchName(PartitionDispatch dispatch);
std::optional<PartitionDispatch> ParsePartitionDispatch(std::string_view name);

// One `dispatchers` rule: tables its matcher takes go to `topic` (a topic expression;
// empty: the default topic) and are partitioned by `partition`. The first rule whose matcher
// takes a table decides; tables no rule takes go to the default topic, partitioned by default.
struct DispatchRule {
  std::vector<std::string> matcher;  // TiCDC table-filter patterns: "db.*", "!db.tmp_*"
  std::string topic;                 // "[prefix]{schema}[middle][{table}][suffix]" or a name
  PartitionDispatch partition = PartitionDispatch::kDefault;
  std::string index;                 // kIndexValue: a unique index; empty: the primary key
  std::vector<std::string> columns;  // kColumns: the columns, in order
};

// One `column-selectors` rule: the tables its matcher takes keep only the columns that
// `columns` selects ("*" and "?" wildcards, "!" excludes; the last pattern that matches a
// column decides). Tables no rule takes keep every column.
struct ColumnSelectorRule {
  std::vector<std::string> matcher;
  std::vector<std::string> columns;
};

// What to do with a message larger than the limit (TiCDC's large-message-handle-option).
enum class LargeMessageHandling : uint8_t {
  kNone,           // stop with the table, the key and the size
  kHandleKeyOnly,  // send only the handle key, marked onlyHandleKey
  kClaimCheck,     // store the message at claim_check_storage_uri, send a reference
};

}  // namespace cdc
