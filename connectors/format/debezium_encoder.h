// DebeziumEncoder: the debezium format, the change events of Debezium's MySQL / MariaDB
// connector as its JSON converter writes them (schemas.enable on or off), so that consumers
// built for Debezium read our messages.
//
// Row changes (the topic "{prefix}.{db}.{table}"):
//   key   {"schema":{...,"name":"{prefix}.{db}.{table}.Key"},"payload":{"id":1}}: the primary
//         key's columns; a table without a primary key has no key (empty, Kafka's null key).
//   value {"schema":{...Envelope, version 2},"payload":{"before","after","source",
//         "transaction":null,"op","ts_ms","ts_us","ts_ns"}}
//   op: "c" insert, "u" update, "d" delete, "r" a snapshot row (an insert whose position has
//   no row index and no server id: how the MySQL source marks snapshot rows, row_change.h),
//   "t" truncate (no key, before and after null; Debezium skips truncates unless
//   skipped.operations leaves them out).
//   source: version, connector, name (the topic prefix), ts_ms / ts_us / ts_ns (the commit
//   time; MariaDB's binlog has it in seconds), snapshot ("true" for "r", else "false"), db,
//   sequence (null), table, server_id, gtid (null when none), file, pos (our position's
//   offset: the event's end, where Debezium writes the event's start), row (0-based row in the
//   event), thread (null: the binlog's query events are not kept), query (null).
//   The envelope's ts_ms / ts_us / ts_ns are the encoding time (DebeziumOptions::now_us).
// Tombstones (tombstones.on.delete): EncodeTombstone(delete) is the delete's key with an empty
//   value, which the sink sends as Kafka's null value, after the delete's own message.
// Schema changes (the schema-change topic, named the topic prefix): key
//   {"databaseName": db} (io.debezium.connector.{connector}.SchemaChangeKey), value
//   {"source","ts_ms","databaseName","schemaName":null,"ddl","tableChanges":[{"type":
//   CREATE|ALTER|DROP,"id":"\"db\".\"t\"","table":{defaultCharsetName, primaryKeyColumnNames,
//   columns[...], comment}}]}; see EncodeSchemaChange.
//
// Column values (field schema, then value), with Debezium's handling modes (DebeziumOptions).
// Sources: Debezium's MySQL connector documentation, "How Debezium MySQL connectors map data
// types" (basic, temporal, decimal, boolean, spatial types), and Debezium 3.5.0.Final's own
// output for the all-types table (test/connectors/format/golden/debezium-real.jsonl, captured
// by test/debezium/capture-fixture.sh), which every rule below was checked against for the
// default modes:
//   TINYINT int16; SMALLINT int16 (UNSIGNED int32); MEDIUMINT int32; INT int32 (UNSIGNED int64);
//   BIGINT int64; BIGINT UNSIGNED int64, wrapping above 2^63-1 (mode long) or Decimal scale 0
//   (mode precise); FLOAT float (shortest text that reads back as the same float); DOUBLE
//   double; DECIMAL org.apache.kafka.connect.data.Decimal bytes (base64 of the unscaled value's
//   big-endian two's complement in Java BigInteger's fewest bytes; scale and
//   connect.decimal.precision parameters), or string, or double; BIT(1) boolean; BIT(n)
//   io.debezium.data.Bits bytes, little-endian, (n+7)/8 bytes, parameter length; YEAR
//   io.debezium.time.Year int32; DATE io.debezium.time.Date int32 days since the epoch; TIME
//   io.debezium.time.MicroTime int64 microseconds (negative allowed); DATETIME(0..3)
//   io.debezium.time.Timestamp int64 ms, DATETIME(4..6) io.debezium.time.MicroTimestamp int64
//   us, both as if the wall clock were UTC; TIMESTAMP io.debezium.time.ZonedTimestamp string,
//   ISO-8601 UTC with the column's fractional digits ("2038-01-19T03:14:07.999999Z"); with
//   time.precision.mode connect: org.apache.kafka.connect.data.Date / Time (int32 ms) /
//   Timestamp (int64 ms); CHAR/VARCHAR/TEXT string in UTF-8 (latin1 converted); BINARY /
//   VARBINARY / BLOB bytes (base64 in JSON), or a base64 or hex string; ENUM
//   io.debezium.data.Enum and SET io.debezium.data.EnumSet strings with the labels as the
//   "allowed" parameter; JSON io.debezium.data.Json string; GEOMETRY (every spatial type)
//   io.debezium.data.geometry.Geometry struct {wkb: bytes, srid: int32}.
// Zero dates: a DATE or DATETIME with a zero month or day and the zero TIMESTAMP are null in a
// nullable column and the epoch in a NOT NULL one, as Debezium documents.
// Intended differences from Debezium's own messages, and the values the format cannot carry
// exactly, are listed in docs/formats.md ("debezium").
//
// Immutable; thread-safe.
#pragma once

#include "connectors/format/change_encoder.h"
#include "connectors/format/debezium_options.h"

namespace cdc {

class DebeziumEncoder final : public ChangeEncoder {
 public:
  // `options` must be valid (DebeziumOptions::Validate).
  explicit DebeziumEncoder(DebeziumOptions options);

  // A row change's message, or, for kSchemaChange, EncodeSchemaChange's. Errors
  // (InvalidArgument) name the table and column of a value the format cannot write.
  Result<EncodedMessage> Encode(const RowChange& change) const override;
  const char* name() const override { return "debezium"; }

  // The tombstone that follows a delete when tombstones_on_delete is set: the delete's key and
  // an empty value, to be sent as a null value. Requires a kDelete of a table with a key.
  EncodedMessage EncodeTombstone(const RowChange& change) const;

  // EncodeTombstone(change) for a delete of a keyed table when tombstones_on_delete is set.
  std::vector<EncodedMessage> Trailing(const RowChange& change) const override;

  // A schema change's message for the schema-change topic (the topic prefix). tableChanges
  // holds one entry: CREATE or ALTER with the table after the change, DROP with table null; a
  // rename is an ALTER of the new name. Column entries: name, jdbcType (java.sql.Types),
  // typeName, typeExpression, charsetName, length, scale, position, optional, comment,
  // defaultValueExpression, enumValues; nativeType null, autoIncremented and generated false.
  Result<EncodedMessage> EncodeSchemaChange(const RowChange& change) const;

  const DebeziumOptions& options() const { return options_; }

 private:
  int64_t NowMicros() const;
  void AppendSource(const RowChange& change, bool snapshot, std::string& out) const;
  void AppendSourceSchema(std::string& out) const;

  DebeziumOptions options_;
  std::string source_schema_;  // the source block's field schema, fixed per connector
};

}  // namespace cdc
