// CanalJsonDecoder: reads canal-json messages, written by CanalJsonEncoder, by TiCDC or by
// Canal, back into changes. Values are typed by the table's schema from the lookup (canal-json
// carries every value as a string); `mysqlType` and `sqlType` are not needed and not checked.
// The extension block is read under our name ("_cdc") or TiCDC's ("_tidb"); TiCDC's commitTs
// is a TiDB TSO and is not read.
//
// What a change reads back as (see canal_json_encoder.h for what the format cannot carry):
// kind (INSERT, UPDATE, DELETE; TRUNCATE as a truncate; CREATE, ALTER, CINDEX, DINDEX,
// QUERY, RENAME and ERASE as a schema change of kind create, alter, alter, alter, alter,
// rename and drop, with the statement only), every column's exact value, the commit time as
// `es` milliseconds, and from the extension block the position's file, offset and GTID. An
// UPDATE's `old` may hold only the changed columns (Canal, TiCDC's
// only-output-updated-columns): the others are taken from `data`. Columns are matched by
// name, exactly; a message's column the table does not have, or a table column the message
// lacks, is an error.
//
// Messages that carry no whole change are not errors of the format but are not changes
// either: Decode refuses them with a message saying so, and Read returns them: a watermark,
// a handle-key-only message (the key columns' values, the others NULL), a claim-check
// reference (its location).
//
// Immutable; thread-safe when its lookup is.
#pragma once

#include <string>

#include "connectors/format/change_decoder.h"

namespace cdc {

struct CanalJsonMessage {
  enum class Kind : uint8_t { kChange, kWatermark };
  Kind kind = Kind::kChange;
  DecodedChange change;  // kChange
  // kChange from a large message: only the handle key columns hold values; the others are NULL.
  bool only_handle_key = false;
  std::string claim_check_location;  // kChange: where the whole message is stored, if claim-checked
  SourcePosition watermark;          // kWatermark: every change up to here has been sent
  int64_t watermark_time_us = 0;     // kWatermark: its commit time (`es`)
};

class CanalJsonDecoder final : public ChangeDecoder {
 public:
  explicit CanalJsonDecoder(TableSchemaLookup lookup) : lookup_(std::move(lookup)) {}

  // The change in `value` (the key is not read). Errors (InvalidArgument): malformed JSON, a
  // field of the wrong type, an unknown table, a value that is not one of its column (naming
  // the table, column and text), and the messages that are not a whole change (see above).
  Result<DecodedChange> Decode(std::string_view key, std::string_view value) const override;

  // Any canal-json message, watermarks and large-message references included.
  Result<CanalJsonMessage> Read(std::string_view value) const;

 private:
  TableSchemaLookup lookup_;
};

}  // namespace cdc
