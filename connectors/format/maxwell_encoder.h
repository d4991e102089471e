// MaxwellEncoder: Maxwell's JSON (zendesk/maxwell), one message per change:
//
//   key:   {"database":"shop","table":"orders","pk.id":1}
//   value: {"database":"shop","table":"orders","type":"update","ts":1477053234,"xid":23396,
//           "position":"master.000006:800911","gtid":"0-1-42","data":{"id":1,"m":5.444},
//           "old":{"m":4.2341}}
//
// Where each rule comes from (references read for this encoder):
// - Row fields and their order: Maxwell's RowMap.toJSON (database, table, type, ts, xid,
//   [commit], position, gtid, server_id, primary_key, primary_key_columns, data, old), each
//   optional one behind its output_* setting (MaxwellOptions); the examples of Maxwell's
//   "dataformat" page (docs/docs/dataformat.md) are the golden files' model.
// - `type` insert / update / delete; `ts` the commit time in seconds; `xid` the transaction id
//   (written when known); `commit: true` is not written: Maxwell marks a transaction's last row
//   with it and a single change does not know whether it is its transaction's last.
// - `data` the whole row (after the change; a delete's row before it), NULL columns included
//   unless output_nulls is off; `old` the previous values of the columns that changed, only
//   for an update that changed some (dataformat page, UPDATE).
// - Values as Maxwell's ColumnDef classes type them (schema/columndef/*.java): integers,
//   YEAR and BIT (unsigned, BitColumnDef) as JSON numbers; FLOAT and DOUBLE as numbers in
//   Java's Float/Double.toString form ("3.4028235E38", "4.2341"); DECIMAL as a number in
//   BigDecimal.toString form (plain, or "1E-30" below 1e-6, as Jackson writes a BigDecimal);
//   DATE "YYYY-MM-DD", DATETIME and TIMESTAMP "YYYY-MM-DD HH:MM:SS[.f]" with the column's
//   fractional digits (ColumnDefWithLength), TIMESTAMP in UTC (DateTimeColumnDef's UTC
//   formatter), zero dates as zeros; TIME "[-]HH:MM:SS[.f]" as MySQL prints it (Maxwell's
//   java.sql.Time cannot hold negative or 24h+ times; we write the true value); text as UTF-8
//   (latin1 transcoded, StringColumnDef); BINARY, VARBINARY and BLOB in base64; ENUM as its
//   label; SET as an array of labels (dataformat page, "sets"); JSON embedded as a document.
//   Strings are escaped as Jackson escapes them.
// - GEOMETRY: Maxwell writes WKT text; we write the base64 of the 4-byte little-endian SRID and
//   WKB (lossless; a WKT converter is not written). A documented difference.
// - DDL (dataformat page, CREATE TABLE / ALTER TABLE): type table-create, table-alter (also for
//   a rename) or table-drop, with database, table, `old` (alter: the definition before),
//   `def` (create, alter: the definition after), ts in milliseconds, sql and position. A
//   definition is {"database","charset","table","columns":[{"type","name",...}],
//   "primary-key"} with "signed" for integers, "column-length" for fractional seconds,
//   "charset" for text and "enum-values" for ENUM and SET. Maxwell has no message for TRUNCATE
//   (it skips the statement); we write type "truncate" with the statement, so that a consumer
//   can empty its copy, and document it as ours.
// - The key (Kafka's key, "hash" format, RowMap.pkToJsonHash): {"database","table","pk.<col>"}
//   for each primary key column (lower-cased name, typed value); a table without a primary key
//   gets no pk fields (Maxwell adds a random "_uuid"; we keep keys deterministic).
//
// What the format cannot carry (MaxwellDecoder reads back everything else exactly): the commit
// time below the second (DDL: below the millisecond), the position's row index, the server id
// unless output_server_id is on; the transaction id when output_commit_info is off; whether a
// value absent from `data` under output_nulls=false was NULL (it reads back as NULL).
//
// Immutable; thread-safe.
#pragma once

#include "connectors/format/change_encoder.h"
#include "connectors/format/maxwell_options.h"

namespace cdc {

class MaxwellEncoder final : public ChangeEncoder {
 public:
  explicit MaxwellEncoder(MaxwellOptions options) : options_(options) {}

  // Errors (InvalidArgument): a change without a table schema, an image whose width is not
  // the schema's.
  Result<EncodedMessage> Encode(const RowChange& change) const override;
  const char* name() const override { return "maxwell"; }

 private:
  Result<EncodedMessage> EncodeTableBarrier(const RowChange& change) const;

  MaxwellOptions options_;
};

}  // namespace cdc
