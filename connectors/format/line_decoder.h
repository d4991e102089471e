// LineDecoder: reads back the line format (LineEncoder): one line, without its newline and
// without the print sink's "N> " subtask prefix, into the change it stands for. The key is not
// needed (a line read from the print sink's output has none) and is ignored.
//
// What the line carries, and so what a round trip keeps: the change's kind, its table, every
// value of its images (typed by the table's schema from the lookup; see line_value.h for the
// collation ids and fractional-seconds precisions taken from the schema and for GEOMETRY, which
// cannot be read), and its position's file, offset and GTID. What it does not carry, and so
// reads back as zero or empty: the commit time, the transaction id, the position's row index
// and server id, a truncate's snapshot_reload flag. A schema change reads back as its kind and
// statement only, without the schemas before and after it, its clauses, rename pairs,
// drops_database and source_gtids: the consumer applies the statement to its own catalog.
//
// Names are found through the lookup: "db.t" is split at the dot (and, for names holding dots
// or spaces, at each dot and space in turn) until the lookup knows the table and the rest of the
// line reads as its columns. Columns are matched by name in schema order. A line whose table
// the printer had no schema for ("(no schema)", columns "#1") cannot be read.
//
// Immutable; thread-safe when its lookup is.
#pragma once

#include "connectors/format/change_decoder.h"

namespace cdc {

class LineDecoder final : public ChangeDecoder {
 public:
  explicit LineDecoder(TableSchemaLookup lookup) : lookup_(std::move(lookup)) {}

  Result<DecodedChange> Decode(std::string_view key, std::string_view value) const override;

 private:
  TableSchemaLookup lookup_;
};

}  // namespace cdc
