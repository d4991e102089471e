// MaxwellDecoder: reads Maxwell JSON messages, written by MaxwellEncoder or by Maxwell, back into
// changes, typed by the table's schema from the lookup. The key is not read.
//
// What reads back (see maxwell_encoder.h for what the format cannot carry): the kind (insert,
// bootstrap-insert as an insert, update, delete; table-create, table-alter and table-drop as a
// schema change of kind create, alter and drop with the statement only; our "truncate"),
// every column's exact value (JSON as its MySQL text form: ", " and ": " separators, members in
// written order, numbers as written), `ts` as the commit time (seconds; DDL milliseconds),
// `xid` as the transaction id, `position`, `gtid` and `server_id` into the position. An
// update's before image is `data` with `old`'s values over it. A column absent from `data` is
// NULL (Maxwell leaves NULLs out with output_nulls off); a member that is no column of the
// table is an error.
//
// Not changes, and refused with a message saying so: database-create/-alter/-drop (no table),
// bootstrap-start and bootstrap-complete.
//
// Immutable; thread-safe when its lookup is.
#pragma once

#include "connectors/format/change_decoder.h"

namespace cdc {

class MaxwellDecoder final : public ChangeDecoder {
 public:
  explicit MaxwellDecoder(TableSchemaLookup lookup) : lookup_(std::move(lookup)) {}

  // Errors (InvalidArgument): malformed JSON, a field of the wrong type, an unknown table, a
  // value that is not one of its column (naming the table, column and text).
  Result<DecodedChange> Decode(std::string_view key, std::string_view value) const override;

 private:
  TableSchemaLookup lookup_;
};

}  // namespace cdc
