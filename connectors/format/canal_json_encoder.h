// CanalJsonEncoder: the canal-json format, Alibaba Canal's FlatMessage as TiCDC writes it, one
// message per change:
//
//   {"id":0,"database":"shop","table":"orders","pkNames":["id"],"isDdl":false,"type":"UPDATE",
//    "es":1639633141221,"ts":1639633142960,"sql":"","sqlType":{"id":-5,"qty":4},
//    "mysqlType":{"id":"bigint","qty":"int"},"data":[{"id":"1","qty":"6"}],
//    "old":[{"id":"1","qty":"5"}],"_cdc":{"commitPosition":"mysql-bin.000001:4711"}}
//
// Where each rule comes from (references read for this encoder):
// - Field names and their order: Canal's FlatMessage (alibaba/canal, protocol/.../FlatMessage.java:
//   id, database, table, pkNames, isDdl, type, es, ts, sql, sqlType, mysqlType, data, old) and
//   TiCDC's "TiCDC Canal-JSON Protocol" page (docs.pingcap.com/tidb/stable/ticdc-canal-json),
//   whose examples this encoder's golden files follow. TiCDC's own row writer puts `old` before
//   `data` (tiflow pkg/sink/codec/canal/canal_json_row_event_encoder.go); readers go by name.
// - `id` is 0, `sql` "" for rows, `es` the commit time and `ts` the encode time, both in
//   milliseconds (TiCDC page, field table). `ts` comes from the injected wall clock.
// - `type`: INSERT, UPDATE, DELETE; a DDL is isDdl true with `sql` the statement and Canal's
//   event type as TiCDC maps it (tiflow canal_entry.go convertDdlEventType): CREATE for a
//   created table, ALTER, RENAME, ERASE for a dropped table, TRUNCATE for a truncate (whose
//   statement we write as "TRUNCATE TABLE `db`.`t`": the change carries no text);
//   pkNames, sqlType, mysqlType, data and old are null (TiCDC page, DDL example).
// - `pkNames`: the PRIMARY KEY's columns, null for a table without one (tiflow
//   PrimaryKeyColumnNames).
// - `sqlType`: java.sql.Types codes as TiCDC maps MySQL types (TiCDC page, "SQL Type field";
//   tiflow internal/java.go MySQLType2JavaType): TINYINT -6, SMALLINT 5, MEDIUMINT and INT 4,
//   BIGINT -5; an UNSIGNED value above the signed range moves up one (TINYINT 5, SMALLINT 4,
//   INT -5, BIGINT 3; MEDIUMINT stays 4), judged on the value written (NULL: not promoted);
//   FLOAT 7, DOUBLE 8, DECIMAL 3, BIT -7, YEAR 12, DATE 91, TIME 92, DATETIME and TIMESTAMP
//   93, CHAR 1, VARCHAR 12, *TEXT 2005 (CLOB), BINARY, VARBINARY and *BLOB 2004 (BLOB), ENUM 4,
//   SET -7, JSON 12, GEOMETRY -2 (BINARY).
// - `mysqlType`: the type name without parameters, " unsigned" added to unsigned numbers
//   except BIT and YEAR ("int unsigned", "decimal", "varchar", "enum"; tiflow
//   utils/mysql_types.go and pkg/sink/codec/canal/type_test.go).
// - `data`: one object of column -> string or null; `old` for an UPDATE the whole before image
//   (TiCDC's default) or, with only_output_updated_columns, the changed columns (Canal);
//   null for INSERT and DELETE, a DELETE's row in `data` (TiCDC page, "Changes in the Old
//   field of the Delete events").
// - Value text (tiflow canal_entry.go formatValue, canal_test_util.go): integers in decimal;
//   FLOAT and DOUBLE as the shortest round-trip digits without an exponent (Go's 'f', -1);
//   DECIMAL as stored; BIT as its unsigned number; YEAR as a number ("2155", "0"); DATE
//   "YYYY-MM-DD", TIME "[-]HH:MM:SS[.f]", DATETIME "YYYY-MM-DD HH:MM:SS[.f]" with the column's
//   fractional digits; TIMESTAMP likewise in UTC (TiCDC uses the changefeed's time zone; we
//   always write UTC); text as UTF-8 (latin1 columns transcoded, as Canal decodes by charset);
//   binary bytes as ISO-8859-1 characters (TiCDC page, "Binary and Blob types"); ENUM as its
//   1-based index and SET as its member bitmask, in decimal (TiCDC's test table: enum "1",
//   set "3"); JSON as its text; GEOMETRY (which TiCDC does not carry) as the 4-byte
//   little-endian SRID and WKB, as ISO-8859-1 characters. Strings are escaped as Go's writers
//   do (<, >, & and control bytes as \u00XX, TiCDC page's escape table).
// - Extension block (`enable_extension`, TiCDC's `_tidb`; ours is named by
//   extension_block, "_cdc"): commitPosition ("file:offset", or the offset for a source
//   without files) and gtid when the change has one, onlyHandleKey: true in a handle-key-only
//   message and claimCheckLocation in a claim-check reference (TiCDC's large-message docs,
//   ticdc-sink-to-kafka "Handle messages that exceed the Kafka Topic limit", whose examples
//   carry the key columns only). TiCDC's commitTs (a TiDB TSO) has no meaning here and is not
//   written.
// - Watermarks: type TIDB_WATERMARK, database and table "", isDdl false, es the watermark's
//   commit time, the block holding watermarkPosition (TiCDC: watermarkTs) and gtid.
// - The key is empty: TiCDC writes none for canal-json; the sink partitions by itself.
//
// What the format cannot carry (CanalJsonDecoder reads back everything else exactly): the
// commit time below the millisecond, the transaction id, the position's row index and server
// id; a NaN's payload bits (MySQL stores no NaN). ISO-8859-1 and the escapes are lossless.
//
// Immutable; thread-safe when its clock is.
#pragma once

#include <cstdint>
#include <functional>
#include <string_view>

#include "connectors/format/canal_json_options.h"
#include "connectors/format/change_encoder.h"

namespace cdc {

// Milliseconds since the epoch, UTC: the encode time written as `ts`.
using WallClockMillis = std::function<int64_t()>;

// The system clock's wall time in milliseconds.
int64_t SystemWallClockMillis();

class CanalJsonEncoder final : public ChangeEncoder {
 public:
  // Requires options.Validate().ok().
  explicit CanalJsonEncoder(CanalJsonOptions options, WallClockMillis now = SystemWallClockMillis);

  // The change's message; never fails for a change with a schema. Errors (InvalidArgument):
  // a change without a table schema, an image whose width is not the schema's.
  Result<EncodedMessage> Encode(const RowChange& change) const override;
  const char* name() const override { return "canal-json"; }

  // The change's message with only its handle key columns (the row key: primary key, else the
  // shortest NOT NULL unique key) in sqlType, mysqlType, data and old, marked onlyHandleKey:
  // what TiCDC's large-message-handle-option=handle-key-only sends for a message too large.
  // Errors: the extension is off (the marker lives in its block), the table has no row key,
  // the change is not an insert, update or delete.
  Result<EncodedMessage> EncodeHandleKeyOnly(const RowChange& change) const override;

  // The small message that stands for a claim-checked one: the handle key columns as above and
  // claimCheckLocation `location` (where the sink stored the whole message). Errors as
  // EncodeHandleKeyOnly's.
  Result<EncodedMessage> EncodeClaimCheckReference(const RowChange& change,
                                                   std::string_view location) const override;

  // A TIDB_WATERMARK message: every change committed at or before `position` has been sent.
  // Error (InvalidArgument): the extension is off (TiCDC sends watermarks only with it).
  Result<EncodedMessage> EncodeWatermark(const SourcePosition& position,
                                         int64_t commit_time_us) const;

 private:
  enum class RowMode : uint8_t { kFull, kHandleKeyOnly, kClaimCheck };
  Result<EncodedMessage> EncodeRow(const RowChange& change, RowMode mode,
                                   std::string_view location) const;
  Result<EncodedMessage> EncodeTableBarrier(const RowChange& change) const;
  void AppendExtension(const SourcePosition& position, RowMode mode, std::string_view location,
                       std::string& out) const;

  CanalJsonOptions options_;
  WallClockMillis now_;
};

}  // namespace cdc
