#include "connectors/format/canal_json_encoder.h"

#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test/connectors/format/golden_file.h"
#include "test/integration/all_types.h"

namespace cdc {
namespace {

constexpr int64_t kEncodeTimeMs = 1700000000999;

CanalJsonEncoder Encoder(bool extension, bool only_updated = false) {
  CanalJsonOptions options;
  options.enable_extension = extension;
  options.only_output_updated_columns = only_updated;
  REQUIRE(options.Validate().ok());
  return CanalJsonEncoder(options, [] { return kEncodeTimeMs; });
}

RowChange At(RowChange change) {
  change.position.file = SourceFileName("mysql-bin.000003");
  change.position.offset = 4711;
  change.position.gtid = SourceGtid("0-1-42");
  change.commit_time_us = 1700000000123456;
  change.transaction_id = 77;
  return change;
}

std::string Value(const Result<EncodedMessage>& message) {
  REQUIRE_MESSAGE(message.ok(), message.status().ToString());
  CHECK(message->key.empty());  // TiCDC writes no key for canal-json
  return message->value;
}

ColumnSchema Column(std::string name, ColumnType type, bool is_unsigned = false) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.is_unsigned = is_unsigned;
  return column;
}

TEST_CASE("canal-json writes every type of the all-types table as the golden files hold it") {
  const testing::AllTypes all = testing::MakeAllTypes("shop");
  const CanalJsonEncoder encoder = Encoder(true);
  testing::CheckGolden("canal-json-insert-max.json",
                       Value(encoder.Encode(At(all.Insert(all.max_row)))));
  testing::CheckGolden("canal-json-insert-min.json",
                       Value(encoder.Encode(At(all.Insert(all.min_row)))));

  RowChange update = At(all.Insert(all.max_row));
  update.kind = ChangeKind::kUpdate;
  update.before = all.min_row;
  testing::CheckGolden("canal-json-update.json", Value(encoder.Encode(update)));
  testing::CheckGolden("canal-json-update-only-updated.json",
                       Value(Encoder(true, true).Encode(update)));

  RowChange del = At(all.Insert(all.max_row));
  del.kind = ChangeKind::kDelete;
  del.before = all.max_row;
  del.after.clear();
  testing::CheckGolden("canal-json-delete.json", Value(encoder.Encode(del)));
  // Without the extension there is no block at all.
  testing::CheckGolden("canal-json-delete-no-extension.json", Value(Encoder(false).Encode(del)));
}

TEST_CASE("canal-json writes DDL and truncates as isDdl messages with Canal's event types") {
  const testing::AllTypes all = testing::MakeAllTypes("shop");
  const CanalJsonEncoder encoder = Encoder(true);
  RowChange ddl = At({});
  ddl.kind = ChangeKind::kSchemaChange;
  ddl.table = all.schema.get();
  auto change = std::make_shared<SchemaChange>();
  change->kind = SchemaChangeKind::kAlterTable;
  change->statement = "ALTER TABLE all_types ADD COLUMN note TEXT";
  ddl.schema_change = change;
  testing::CheckGolden("canal-json-ddl-alter.json", Value(encoder.Encode(ddl)));

  auto expect_type = [&](SchemaChangeKind kind, const char* type) {
    auto other = std::make_shared<SchemaChange>(*change);
    other->kind = kind;
    ddl.schema_change = other;
    const auto json = nlohmann::json::parse(Value(encoder.Encode(ddl)));
    CHECK(json["type"] == type);
    CHECK(json["isDdl"] == true);
  };
  expect_type(SchemaChangeKind::kCreateTable, "CREATE");
  expect_type(SchemaChangeKind::kRenameTable, "RENAME");
  expect_type(SchemaChangeKind::kDropTable, "ERASE");

  RowChange truncate = At({});
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = all.schema.get();
  testing::CheckGolden("canal-json-truncate.json", Value(encoder.Encode(truncate)));
}

TEST_CASE("canal-json watermarks and large-message references carry TiCDC's markers") {
  const testing::AllTypes all = testing::MakeAllTypes("shop");
  const CanalJsonEncoder encoder = Encoder(true);
  const RowChange insert = At(all.Insert(all.max_row));
  testing::CheckGolden("canal-json-watermark.json",
                       Value(encoder.EncodeWatermark(insert.position, insert.commit_time_us)));
  testing::CheckGolden("canal-json-handle-key-only.json",
                       Value(encoder.EncodeHandleKeyOnly(insert)));
  testing::CheckGolden("canal-json-claim-check.json",
                       Value(encoder.EncodeClaimCheckReference(insert, "s3://bucket/k1.json")));

  SUBCASE("without the extension they are refused") {
    const CanalJsonEncoder plain = Encoder(false);
    CHECK(!plain.EncodeWatermark(insert.position, 0).ok());
    const Result<EncodedMessage> key_only = plain.EncodeHandleKeyOnly(insert);
    REQUIRE(!key_only.ok());
    CHECK(key_only.status().message().find("enable_extension") != std::string::npos);
  }
  SUBCASE("a table without a row key has no handle key to send") {
    auto keyless = *TableSchema::Make(TableId{"shop", "log"}, {Column("v", ColumnType::kInt)}, {});
    RowChange change = At({});
    change.table = keyless.get();
    change.after = {Value::Int(1)};
    const Result<EncodedMessage> key_only = encoder.EncodeHandleKeyOnly(change);
    REQUIRE(!key_only.ok());
    CHECK(key_only.status().message().find("shop.log") != std::string::npos);
  }
}

// The DML example of TiCDC's "TiCDC Canal-JSON Protocol" page (table tp_int), kept in
// golden/canal-json-ticdc-doc-insert.json as the page prints it: the same row written by this
// encoder is the same message, field by field, but for `ts` (the encode time) and the extension
// block (TiCDC's holds a TSO).
TEST_CASE("canal-json writes the TiCDC documentation's example row as TiCDC does") {
  std::vector<ColumnSchema> columns = {Column("id", ColumnType::kInt),
                                       Column("c_tinyint", ColumnType::kTinyInt),
                                       Column("c_smallint", ColumnType::kSmallInt),
                                       Column("c_mediumint", ColumnType::kMediumInt),
                                       Column("c_int", ColumnType::kInt),
                                       Column("c_bigint", ColumnType::kBigInt)};
  columns[0].nullable = false;
  auto schema = *TableSchema::Make(TableId{"test", "tp_int"}, columns, {0});
  RowChange insert;
  insert.table = schema.get();
  insert.after = {Value::Int(2),       Value::Int(127),        Value::Int(32767),
                  Value::Int(8388607), Value::Int(2147483647), Value::Int(9223372036854775807)};
  insert.commit_time_us = 1639633141221000;
  const auto ours = nlohmann::json::parse(Value(Encoder(false).Encode(insert)));
  auto reference = nlohmann::json::parse(testing::ReadGolden("canal-json-ticdc-doc-insert.json"));
  reference.erase("_tidb");
  reference["ts"] = kEncodeTimeMs;
  CHECK(ours == reference);
}

// The page's "Binary and Blob types" example: 16 bytes of a VARBINARY column.
TEST_CASE("canal-json writes binary bytes as TiCDC's documentation shows them") {
  auto schema =
      *TableSchema::Make(TableId{"test", "t"}, {Column("c_varbinary", ColumnType::kVarBinary)}, {});
  const unsigned char bytes[] = {5, 7, 10, 15, 36, 50, 43, 99, 120, 60, 38, 255, 254, 45, 55, 70};
  RowChange insert;
  insert.table = schema.get();
  insert.after = {Value::Bytes(std::string(reinterpret_cast<const char*>(bytes), sizeof bytes))};
  const std::string message = Value(Encoder(false).Encode(insert));
  CHECK(message.find(R"("c_varbinary":"\u0005\u0007\n\u000f$2+cx\u003c\u0026ÿþ-7F")") !=
        std::string::npos);
}

TEST_CASE("canal-json promotes an unsigned value's sqlType past the signed range, as TiCDC") {
  std::vector<ColumnSchema> columns = {
      Column("t", ColumnType::kTinyInt, true), Column("s", ColumnType::kSmallInt, true),
      Column("m", ColumnType::kMediumInt, true), Column("i", ColumnType::kInt, true),
      Column("b", ColumnType::kBigInt, true)};
  auto schema = *TableSchema::Make(TableId{"test", "u"}, columns, {});
  RowChange insert;
  insert.table = schema.get();
  insert.after = {Value::UInt(127), Value::UInt(32767), Value::UInt(16777215),
                  Value::UInt(2147483647), Value::UInt(9223372036854775807ull)};
  auto json = nlohmann::json::parse(Value(Encoder(false).Encode(insert)));
  CHECK(json["sqlType"] == nlohmann::json::parse(R"({"t":-6,"s":5,"m":4,"i":4,"b":-5})"));
  CHECK(json["mysqlType"]["i"] == "int unsigned");
  insert.after = {Value::UInt(128), Value::UInt(32768), Value::UInt(8388608),
                  Value::UInt(2147483648u), Value::UInt(9223372036854775808ull)};
  json = nlohmann::json::parse(Value(Encoder(false).Encode(insert)));
  CHECK(json["sqlType"] == nlohmann::json::parse(R"({"t":5,"s":4,"m":4,"i":-5,"b":3})"));
}

TEST_CASE("canal-json options are validated with the field and the fix") {
  CanalJsonOptions options;
  CHECK(options.Validate().ok());
  options.extension_block = "data";
  Status status = options.Validate();
  REQUIRE(!status.ok());
  CHECK(status.message().find("extension_block") != std::string::npos);
  options.extension_block = "";
  CHECK(!options.Validate().ok());
  options.extension_block = "a\"b";
  CHECK(!options.Validate().ok());
}

}  // namespace
}  // namespace cdc
