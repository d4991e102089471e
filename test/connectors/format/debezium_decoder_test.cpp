#include "connectors/format/debezium_decoder.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "connectors/format/debezium_encoder.h"
#include "test/connectors/format/debezium_fixture.h"

namespace cdc {
namespace {

TableSchemaLookup FixtureLookup() {
  return [](const TableId& id) -> TableSchemaPtr {
    const testing::AllTypes& all = testing::FixtureAllTypes();
    return id == all.schema->id() ? all.schema : nullptr;
  };
}

// The row the format carries for `row`: what a round trip gives back. Zero dates have no
// Debezium value: null in a nullable column (the min row's DATE and DATETIME).
Row AsCarried(Row row) {
  for (Value& value : row) {
    if (value.kind() == ValueKind::kDate && value.date().month == 0) value = Value::Null();
    if (value.kind() == ValueKind::kDateTime && value.datetime().date.month == 0) {
      value = Value::Null();
    }
  }
  return row;
}

void CheckRow(const Row& got, const Row& expected) {
  REQUIRE(got.size() == expected.size());
  for (size_t i = 0; i < expected.size(); ++i) {
    CAPTURE(testing::FixtureAllTypes().schema->columns()[i].name);
    CHECK(got[i].ToString() == expected[i].ToString());
    CHECK(got[i] == expected[i]);
  }
}

DebeziumOptions Variant(int n) {
  DebeziumOptions options;
  options.topic_prefix = "fixture";
  if (n == 1) {
    options.bigint_unsigned_mode = DebeziumBigIntUnsignedMode::kPrecise;
    options.binary_mode = DebeziumBinaryMode::kHex;
    options.decimal_mode = DebeziumDecimalMode::kString;
    options.connector = "mysql";
  }
  if (n == 2) options.binary_mode = DebeziumBinaryMode::kBase64;
  return options;
}

}  // namespace

TEST_CASE("every type of the all-types table reads back from our messages to the exact values") {
  const testing::AllTypes& all = testing::FixtureAllTypes();
  for (int n = 0; n < 3; ++n) {
    CAPTURE(n);
    const DebeziumOptions options = Variant(n);
    const DebeziumEncoder encoder(options);
    const DebeziumDecoder decoder(FixtureLookup(), options);
    for (size_t index : {6, 7, 8, 9, 11}) {
      CAPTURE(index);
      const RowChange change = testing::FixtureChange(index);
      Result<EncodedMessage> message = encoder.Encode(change);
      REQUIRE(message.ok());
      Result<DecodedChange> decoded = decoder.Decode(message->key, message->value);
      REQUIRE_MESSAGE(decoded.ok(), decoded.status().message());
      const RowChange& got = decoded->change;
      CHECK(got.kind == change.kind);
      CHECK(got.table == all.schema.get());
      CHECK(got.position == change.position);
      CHECK(got.commit_time_us == change.commit_time_us);
      CheckRow(got.before, AsCarried(change.before));
      CheckRow(got.after, AsCarried(change.after));
    }
  }
}

TEST_CASE("time.precision.mode connect and decimal.handling.mode double read back what they keep") {
  DebeziumOptions options = Variant(0);
  options.time_mode = DebeziumTimeMode::kConnect;
  options.decimal_mode = DebeziumDecimalMode::kDouble;
  const DebeziumEncoder encoder(options);
  const DebeziumDecoder decoder(FixtureLookup(), options);
  const RowChange change = testing::FixtureChange(11);
  Result<EncodedMessage> message = encoder.Encode(change);
  REQUIRE(message.ok());
  Result<DecodedChange> decoded = decoder.Decode(message->key, message->value);
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().message());
  const Row& got = decoded->change.after;
  // Milliseconds: the microseconds of TIME and DATETIME are cut.
  CHECK(got[10] == Value::Time(TimeValue{true, 838, 59, 58, 999000}, 6));
  CHECK(got[11] == Value::DateTime(DateTimeValue{DateValue{9999, 12, 31}, 23, 59, 59, 999000}, 6));
  // A double holds 17 significant digits of the 65: -1e35 is the double nearest the value.
  CHECK(got[6].ToString() == "-99999999999999996863366107917975552.000000000000000000000000000000");
  CHECK(got[12] == change.after[12]);  // TIMESTAMP is a string in every mode
}

TEST_CASE("Debezium's own messages read back to the values the capture wrote") {
  const testing::AllTypes& all = testing::FixtureAllTypes();
  const DebeziumDecoder decoder(FixtureLookup(), Variant(0));
  const auto& real = testing::RealDebeziumMessages();
  for (size_t index : {6, 7, 8, 9, 11}) {
    CAPTURE(index);
    const RowChange expected = testing::FixtureChange(index);
    Result<DecodedChange> decoded =
        decoder.Decode(real[index].key.dump(), real[index].value.dump());
    REQUIRE_MESSAGE(decoded.ok(), decoded.status().message());
    const RowChange& got = decoded->change;
    CHECK(got.kind == expected.kind);
    CHECK(got.position == expected.position);
    Row after = AsCarried(expected.after);
    // Debezium's snapshot (message 6) read the FLOAT through the server's 6-digit text.
    if (index == 6) after[4] = Value::Float(3.40282e38f);
    CheckRow(got.before, AsCarried(expected.before));
    CheckRow(got.after, after);
  }
  // The schema change: its kind and statement.
  Result<DecodedChange> ddl = decoder.Decode(real[12].key.dump(), real[12].value.dump());
  REQUIRE(ddl.ok());
  CHECK(ddl->change.kind == ChangeKind::kSchemaChange);
  CHECK(ddl->change.schema_change->kind == SchemaChangeKind::kAlterTable);
  CHECK(ddl->change.schema_change->statement == "ALTER TABLE dbz.all_types ADD COLUMN added INT");
  CHECK(ddl->table == all.schema);
}

TEST_CASE("a message without its schema block, a tombstone and an unknown table are refused") {
  DebeziumOptions options = Variant(0);
  options.include_schema = false;
  const DebeziumEncoder encoder(options);
  const DebeziumDecoder decoder(FixtureLookup(), options);
  Result<EncodedMessage> message = encoder.Encode(testing::FixtureChange(7));
  REQUIRE(message.ok());
  Result<DecodedChange> decoded = decoder.Decode(message->key, message->value);
  REQUIRE_FALSE(decoded.ok());
  CHECK(decoded.status().message().find("no schema block") != std::string::npos);
  CHECK(decoded.status().message().find("cannot be decoded exactly") != std::string::npos);

  CHECK(DebeziumDecoder::IsTombstone(""));
  CHECK(decoder.Decode("{}", "").status().message().find("tombstone") != std::string::npos);

  const DebeziumDecoder nobody([](const TableId&) { return TableSchemaPtr(); }, Variant(0));
  const auto& real = testing::RealDebeziumMessages();
  CHECK(nobody.Decode("", real[7].value.dump()).status().message() ==
        "debezium: a change of dbz.all_types, which the lookup does not know");
}

}  // namespace cdc
