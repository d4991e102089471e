#include "connectors/format/canal_json_decoder.h"

#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "connectors/format/canal_json_encoder.h"
#include "test/connectors/format/golden_file.h"
#include "test/integration/all_types.h"

namespace cdc {
namespace {

struct Fixture {
  testing::AllTypes all = testing::MakeAllTypes("shop");
  TableSchemaPtr tp_int;
  CanalJsonEncoder encoder{[] {
                             CanalJsonOptions options;
                             options.enable_extension = true;
                             return options;
                           }(),
                           [] { return int64_t{1700000000999}; }};
  CanalJsonDecoder decoder{[this](const TableId& id) -> TableSchemaPtr {
    if (id == all.schema->id()) return all.schema;
    if (tp_int != nullptr && id == tp_int->id()) return tp_int;
    return nullptr;
  }};

  Fixture() {
    std::vector<ColumnSchema> columns;
    for (auto [name, type] :
         std::vector<std::pair<const char*, ColumnType>>{{"id", ColumnType::kInt},
                                                         {"c_tinyint", ColumnType::kTinyInt},
                                                         {"c_smallint", ColumnType::kSmallInt},
                                                         {"c_mediumint", ColumnType::kMediumInt},
                                                         {"c_int", ColumnType::kInt},
                                                         {"c_bigint", ColumnType::kBigInt}}) {
      ColumnSchema column;
      column.name = name;
      column.type = type;
      column.nullable = column.name != "id";
      columns.push_back(column);
    }
    tp_int = *TableSchema::Make(TableId{"test", "tp_int"}, columns, {0});
  }

  RowChange At(RowChange change) const {
    change.position.file = SourceFileName("mysql-bin.000003");
    change.position.offset = 4711;
    change.position.gtid = SourceGtid("0-1-42");
    change.commit_time_us = 1700000000123000;
    return change;
  }

  DecodedChange RoundTrip(const RowChange& change) const {
    Result<EncodedMessage> message = encoder.Encode(change);
    REQUIRE_MESSAGE(message.ok(), message.status().ToString());
    Result<DecodedChange> decoded = decoder.Decode(message->key, message->value);
    REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
    return std::move(decoded).value();
  }

  std::string Error(std::string_view value) const {
    Result<DecodedChange> decoded = decoder.Decode({}, value);
    REQUIRE(!decoded.ok());
    return decoded.status().message();
  }
};

void CheckRows(const Row& actual, const Row& expected) {
  REQUIRE(actual.size() == expected.size());
  for (size_t i = 0; i < actual.size(); ++i) {
    CHECK_MESSAGE(actual[i] == expected[i], "column " << i << ": " << actual[i].ToString()
                                                      << " != " << expected[i].ToString());
  }
}

TEST_CASE("canal-json reads every type of the all-types table back to the exact values") {
  Fixture f;
  for (const Row* row : {&f.all.max_row, &f.all.min_row}) {
    const DecodedChange decoded = f.RoundTrip(f.At(f.all.Insert(*row)));
    CHECK(decoded.change.kind == ChangeKind::kInsert);
    CHECK(decoded.table == f.all.schema);
    CheckRows(decoded.change.after, *row);
    CHECK(decoded.change.position.file == SourceFileName("mysql-bin.000003"));
    CHECK(decoded.change.position.offset == 4711);
    CHECK(decoded.change.position.gtid == SourceGtid("0-1-42"));
    CHECK(decoded.change.commit_time_us == 1700000000123000);
  }
  RowChange update = f.At(f.all.Insert(f.all.max_row));
  update.kind = ChangeKind::kUpdate;
  update.before = f.all.min_row;
  DecodedChange decoded = f.RoundTrip(update);
  CHECK(decoded.change.kind == ChangeKind::kUpdate);
  CheckRows(decoded.change.before, f.all.min_row);
  CheckRows(decoded.change.after, f.all.max_row);

  RowChange del = f.At(f.all.Insert(f.all.min_row));
  del.kind = ChangeKind::kDelete;
  del.before = f.all.min_row;
  del.after.clear();
  decoded = f.RoundTrip(del);
  CHECK(decoded.change.kind == ChangeKind::kDelete);
  CheckRows(decoded.change.before, f.all.min_row);
  CHECK(decoded.change.after.empty());
}

TEST_CASE("canal-json loses exactly what the format cannot carry") {
  Fixture f;
  RowChange insert = f.At(f.all.Insert(f.all.max_row));
  insert.commit_time_us = 1700000000123456;  // below the millisecond
  insert.transaction_id = 77;
  insert.position.index = 3;
  insert.position.server_id = 9;
  const DecodedChange decoded = f.RoundTrip(insert);
  CHECK(decoded.change.commit_time_us == 1700000000123000);
  CHECK(decoded.change.transaction_id == 0);
  CHECK(decoded.change.position.index == 0);
  CHECK(decoded.change.position.server_id == 0);
  CheckRows(decoded.change.after, f.all.max_row);  // the values are all exact
}

TEST_CASE("canal-json reads schema changes and truncates back") {
  Fixture f;
  RowChange ddl = f.At({});
  ddl.kind = ChangeKind::kSchemaChange;
  ddl.table = f.all.schema.get();
  auto change = std::make_shared<SchemaChange>();
  change->kind = SchemaChangeKind::kDropTable;
  change->statement = "DROP TABLE all_types";
  ddl.schema_change = change;
  DecodedChange decoded = f.RoundTrip(ddl);
  REQUIRE(decoded.change.kind == ChangeKind::kSchemaChange);
  CHECK(decoded.change.schema_change->kind == SchemaChangeKind::kDropTable);
  CHECK(decoded.change.schema_change->statement == "DROP TABLE all_types");
  CHECK(decoded.change.position.offset == 4711);

  RowChange truncate = f.At({});
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = f.all.schema.get();
  decoded = f.RoundTrip(truncate);
  CHECK(decoded.change.kind == ChangeKind::kTruncate);
}

TEST_CASE("canal-json reads TiCDC's documented messages") {
  Fixture f;
  // The DML example of the TiCDC Canal-JSON page, with its `_tidb` block.
  Result<DecodedChange> decoded =
      f.decoder.Decode({}, testing::ReadGolden("canal-json-ticdc-doc-insert.json"));
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CheckRows(decoded->change.after,
            {Value::Int(2), Value::Int(127), Value::Int(32767), Value::Int(8388607),
             Value::Int(2147483647), Value::Int(9223372036854775807)});
  CHECK(decoded->change.commit_time_us == 1639633141221000);

  // Canal's UPDATE: `old` holds only the changed columns (the page's comparison example).
  decoded = f.decoder.Decode({}, R"({"id":0,"database":"test","table":"tp_int","pkNames":["id"],
      "isDdl":false,"type":"UPDATE","es":1,"ts":2,"sql":"",
      "data":[{"c_bigint":"9223372036854775807","c_int":"0","c_mediumint":"8388607",
               "c_smallint":"32767","c_tinyint":"0","id":"2"}],
      "old":[{"c_int":"2147483647","c_tinyint":"127"}]})");
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CheckRows(decoded->change.before,
            {Value::Int(2), Value::Int(127), Value::Int(32767), Value::Int(8388607),
             Value::Int(2147483647), Value::Int(9223372036854775807)});
  CHECK(decoded->change.after[4] == Value::Int(0));

  // The page's DDL example is database-level: no table to apply it to.
  const std::string error = f.Error(
      R"({"id":0,"database":"test","table":"","pkNames":null,"isDdl":true,"type":"QUERY",
          "es":1639633094670,"ts":1639633095489,"sql":"drop database if exists test",
          "sqlType":null,"mysqlType":null,"data":null,"old":null,
          "_tidb":{"commitTs":429918007904436226}})");
  CHECK(error.find("names no table") != std::string::npos);

  // The page's WATERMARK example.
  Result<CanalJsonMessage> watermark = f.decoder.Read(
      R"({"id":0,"database":"","table":"","pkNames":null,"isDdl":false,"type":"TIDB_WATERMARK",
          "es":1640007049196,"ts":1640007050284,"sql":"","sqlType":null,"mysqlType":null,
          "data":null,"old":null,"_tidb":{"watermarkTs":429918007904436226}})");
  REQUIRE(watermark.ok());
  CHECK(watermark->kind == CanalJsonMessage::Kind::kWatermark);
  CHECK(watermark->watermark_time_us == 1640007049196000);
}

TEST_CASE("canal-json reads watermarks and large-message references through Read") {
  Fixture f;
  const RowChange insert = f.At(f.all.Insert(f.all.max_row));
  Result<EncodedMessage> watermark = f.encoder.EncodeWatermark(insert.position, 5000);
  REQUIRE(watermark.ok());
  Result<CanalJsonMessage> read = f.decoder.Read(watermark->value);
  REQUIRE(read.ok());
  CHECK(read->kind == CanalJsonMessage::Kind::kWatermark);
  CHECK(read->watermark.offset == 4711);
  CHECK(read->watermark.gtid == SourceGtid("0-1-42"));
  CHECK(f.Error(watermark->value).find("TIDB_WATERMARK") != std::string::npos);

  Result<EncodedMessage> key_only = f.encoder.EncodeHandleKeyOnly(insert);
  REQUIRE(key_only.ok());
  read = f.decoder.Read(key_only->value);
  REQUIRE_MESSAGE(read.ok(), read.status().ToString());
  CHECK(read->only_handle_key);
  CHECK(read->change.change.after[0] == f.all.max_row[0]);
  CHECK(read->change.change.after[1].is_null());
  CHECK(f.Error(key_only->value).find("handle-key-only") != std::string::npos);

  Result<EncodedMessage> claim = f.encoder.EncodeClaimCheckReference(insert, "file:///tmp/c/1");
  REQUIRE(claim.ok());
  read = f.decoder.Read(claim->value);
  REQUIRE(read.ok());
  CHECK(read->claim_check_location == "file:///tmp/c/1");
  CHECK(f.Error(claim->value).find("file:///tmp/c/1") != std::string::npos);
}

TEST_CASE("canal-json errors name the table, the column and the text") {
  Fixture f;
  CHECK(f.Error("{\"id\":0,").find("malformed JSON") != std::string::npos);
  CHECK(f.Error("[1]").find("not an object") != std::string::npos);
  CHECK(f.Error(R"({"database":"shop","table":"nope","isDdl":false,"type":"INSERT",
                   "data":[{"id":"1"}]})")
            .find("knows no table shop.nope") != std::string::npos);

  const Result<EncodedMessage> message = f.encoder.Encode(f.At(f.all.Insert(f.all.max_row)));
  REQUIRE(message.ok());
  auto replaced = [&](std::string_view from, std::string_view to) {
    std::string text = message->value;
    const size_t at = text.find(from);
    REQUIRE(at != std::string::npos);
    return text.replace(at, from.size(), to);
  };
  std::string error = f.Error(replaced(R"("ti":"-128")", R"("ti":"300")"));
  CHECK(error.find("shop.all_types column ti (tinyint): \"300\"") != std::string::npos);
  error = f.Error(replaced(R"("e":"2")", R"("e":"9")"));
  CHECK(error.find("column e (enum('a','b''c','d')): \"9\"") != std::string::npos);
  error = f.Error(replaced(R"("y":"2155")", R"("y":"1800")"));
  CHECK(error.find("column y (year): \"1800\"") != std::string::npos);
  error = f.Error(replaced(R"("dec":"-9)", R"("dec":"-1.0000000000000000000000000000001)"));
  CHECK(error.find("column dec (decimal(65,30))") != std::string::npos);
  error = f.Error(replaced(R"("ti":"-128")", R"("ti":"-128","extra":"1")"));
  CHECK(error.find("has no column \"extra\"") != std::string::npos);
  error = f.Error(replaced(R"("ti":"-128",)", ""));
  CHECK(error.find("the row has no column ti") != std::string::npos);
  error = f.Error(replaced(R"("ti":"-128")", R"("ti":[1])"));
  CHECK(error.find("column ti: an array") != std::string::npos);
}

}  // namespace
}  // namespace cdc
