// ChangeDecoder: a change-event format's reading half: it turns one message (key and value, as
// a ChangeEncoder of the same format wrote them) back into the change it stands for, a RowChange
// (insert, update, delete, truncate, or a schema change barrier).
//
// Typed values need the table's schema (a column printed as 5 may be a signed or an unsigned
// integer, a quoted text a DATE or an ENUM label), and a message carries at most the table's
// name: the decoder asks a TableSchemaLookup, as a Kafka consumer asks a schema registry. The
// lookup is the caller's: a SchemaCatalog, a registry client, a test's map.
//
// Implementations say their thread-safety; Decode is const so that an immutable decoder can be
// shared by consumer threads whose lookup is thread-safe.
#pragma once

#include <functional>
#include <string_view>

#include "runtime/status.h"
#include "schema/row_change.h"
#include "schema/table_schema.h"

namespace cdc {

// The schema of `table` as the decoder should read its messages, or null when it knows no such
// table. Called from Decode, on the decoding thread.
using TableSchemaLookup = std::function<TableSchemaPtr(const TableId& table)>;

// A decoded change and the schema its `change.table` points into: RowChange does not own its
// schema, so the decoded change travels with the owner.
struct DecodedChange {
  RowChange change;
  TableSchemaPtr table;  // change.table == table.get()
};

class ChangeDecoder {
 public:
  virtual ~ChangeDecoder() = default;

  // The change in the message (`key`, `value`). Errors (InvalidArgument) name the table, the
  // column and the text that could not be read, or the table the lookup does not know.
  virtual Result<DecodedChange> Decode(std::string_view key, std::string_view value) const = 0;
};

}  // namespace cdc
