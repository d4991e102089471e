// DebeziumDecoder: reads back the debezium format (DebeziumEncoder's messages, and Debezium's
// own, test/connectors/format/golden/debezium-real.jsonl) into the change it stands for.
//
// It needs the `schema` block (JsonConverter schemas.enable, DebeziumOptions::include_schema):
// a DECIMAL's bytes mean nothing without the scale in its field schema, and a number alone does
// not say whether it counts days, milliseconds or microseconds. A message without it is refused
// with that reason. The table's schema comes from the lookup, by source.db and source.table
// (row changes) or databaseName and tableChanges[0].id (schema changes); columns are matched by
// name. The binary mode is taken from the options (base64 and hex strings look alike).
//
// What a round trip keeps: every value exactly, with these limits of the format: a DATE or
// DATETIME with a zero month or day and the zero TIMESTAMP read back as NULL (nullable columns)
// or the epoch (NOT NULL); decimal.handling.mode double and time.precision.mode connect lose
// what a double and milliseconds cannot hold; a FLOAT is read through a double. Debezium's own
// YEAR 1900 (what it writes for YEAR 0, a year MySQL cannot hold) reads back as 0. Kept from
// source: the position's file, offset, GTID, server id and row index (row + 1; 0 for "r"), the
// commit time (source.ts_us). Not kept: the transaction id. A schema change reads back as its
// kind and statement, with the lookup's table as its schema. A tombstone (empty value) is no
// change: IsTombstone says so, and Decode refuses it.
//
// Immutable; thread-safe when its lookup is.
#pragma once

#include "connectors/format/change_decoder.h"
#include "connectors/format/debezium_options.h"

namespace cdc {

class DebeziumDecoder final : public ChangeDecoder {
 public:
  DebeziumDecoder(TableSchemaLookup lookup, DebeziumOptions options)
      : lookup_(std::move(lookup)), options_(std::move(options)) {}

  Result<DecodedChange> Decode(std::string_view key, std::string_view value) const override;

  static bool IsTombstone(std::string_view value) { return value.empty(); }

 private:
  TableSchemaLookup lookup_;
  DebeziumOptions options_;
};

}  // namespace cdc
