// LineEncoder: the line format, the print sink's readable one-line text of a change:
//
//   insert shop.orders id=1 qty=5 note='x' @mysql-bin.000001:4711
//   update shop.orders id=1 qty=5->6 note='x'->NULL @mysql-bin.000001:4800 (gtid 0-1-9)
//   delete shop.orders id=1 qty=6 note=NULL @4811
//   truncate shop.orders @4900
//   schema change shop.orders (alter table shop.orders: ALTER TABLE orders ADD c INT) @5000
//
// The value is RowChange::ToString(), the text the engine's logs use too, byte for byte (so the
// print sink's output did not change when the format moved here; line_encoder_test.cpp pins it).
// Values are written as Value::ToString() does: numbers bare, temporal values and text quoted
// with \\ \' \n \r \t \0 escaped, binary as x'..', BIT as b'..', NULL as NULL, GEOMETRY as its SRID
// and size only. An update's column that did not change is written once; one that did is
// "before->after". The line carries no commit time and no transaction id; LineDecoder says
// exactly what it reads back.
//
// The key is the table's quoted name ("`shop`.`orders`"), empty for a change without a schema:
// on a partitioned queue one table's lines keep their order.
//
// Immutable; thread-safe.
#pragma once

#include "connectors/format/change_encoder.h"

namespace cdc {

class LineEncoder final : public ChangeEncoder {
 public:
  // Never fails: every change has a line.
  Result<EncodedMessage> Encode(const RowChange& change) const override;
  const char* name() const override { return "line"; }
};

}  // namespace cdc
