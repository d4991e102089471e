#include "connectors/format/maxwell_decoder.h"

#include <memory>
#include <string>

#include <doctest/doctest.h>

#include "connectors/format/maxwell_encoder.h"
#include "schema/collation.h"
#include "test/connectors/format/golden_file.h"
#include "test/integration/all_types.h"

namespace cdc {
namespace {

struct Fixture {
  testing::AllTypes all = testing::MakeAllTypes("shop");
  TableSchemaPtr doc_table;
  MaxwellEncoder encoder{MaxwellOptions{}};
  MaxwellDecoder decoder{[this](const TableId& id) -> TableSchemaPtr {
    if (id == all.schema->id()) return all.schema;
    if (doc_table != nullptr && id == doc_table->id()) return doc_table;
    return nullptr;
  }};

  Fixture() {
    std::vector<ColumnSchema> columns(4);
    for (ColumnSchema& column : columns) column.name = "id";
    columns[0].type = ColumnType::kInt;
    columns[0].nullable = false;
    columns[1].name = "m";
    columns[1].type = ColumnType::kDouble;
    columns[2].name = "c";
    columns[2].type = ColumnType::kTimestamp;
    columns[2].fsp = 6;
    columns[3].name = "comment";
    columns[3].type = ColumnType::kVarChar;
    columns[3].length = 255;
    columns[3].collation = "latin1_swedish_ci";
    doc_table = *TableSchema::Make(TableId{"test", "e"}, columns, {0});
  }

  RowChange At(RowChange change) const {
    change.position.file = SourceFileName("mysql-bin.000003");
    change.position.offset = 4711;
    change.position.gtid = SourceGtid("0-1-42");
    change.commit_time_us = 1700000000000000;
    change.transaction_id = 77;
    return change;
  }

  DecodedChange RoundTrip(const RowChange& change, const MaxwellEncoder& with) const {
    Result<EncodedMessage> message = with.Encode(change);
    REQUIRE_MESSAGE(message.ok(), message.status().ToString());
    Result<DecodedChange> decoded = decoder.Decode(message->key, message->value);
    REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
    return std::move(decoded).value();
  }
  DecodedChange RoundTrip(const RowChange& change) const { return RoundTrip(change, encoder); }

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

TEST_CASE("maxwell reads every type of the all-types table back to the exact values") {
  Fixture f;
  for (const Row* row : {&f.all.max_row, &f.all.min_row}) {
    const DecodedChange decoded = f.RoundTrip(f.At(f.all.Insert(*row)));
    CHECK(decoded.change.kind == ChangeKind::kInsert);
    CheckRows(decoded.change.after, *row);
    CHECK(decoded.change.position.file == SourceFileName("mysql-bin.000003"));
    CHECK(decoded.change.position.offset == 4711);
    CHECK(decoded.change.position.gtid == SourceGtid("0-1-42"));
    CHECK(decoded.change.commit_time_us == 1700000000000000);
    CHECK(decoded.change.transaction_id == 77);
  }
  RowChange update = f.At(f.all.Insert(f.all.max_row));
  update.kind = ChangeKind::kUpdate;
  update.before = f.all.min_row;
  DecodedChange decoded = f.RoundTrip(update);
  CheckRows(decoded.change.before, f.all.min_row);
  CheckRows(decoded.change.after, f.all.max_row);

  RowChange del = f.At(f.all.Insert(f.all.max_row));
  del.kind = ChangeKind::kDelete;
  del.before = f.all.max_row;
  del.after.clear();
  MaxwellOptions no_nulls;
  no_nulls.output_nulls = false;  // NULLs left out read back as NULL
  decoded = f.RoundTrip(del, MaxwellEncoder(no_nulls));
  CheckRows(decoded.change.before, f.all.max_row);
  del.before = f.all.min_row;
  decoded = f.RoundTrip(del, MaxwellEncoder(no_nulls));
  CheckRows(decoded.change.before, f.all.min_row);
}

TEST_CASE("maxwell loses exactly what the format cannot carry") {
  Fixture f;
  RowChange insert = f.At(f.all.Insert(f.all.max_row));
  insert.commit_time_us = 1700000000987654;
  insert.position.index = 3;
  insert.position.server_id = 9;
  const DecodedChange decoded = f.RoundTrip(insert);
  CHECK(decoded.change.commit_time_us == 1700000000000000);  // seconds
  CHECK(decoded.change.position.index == 0);
  CHECK(decoded.change.position.server_id == 0);  // output_server_id is off by default
  CheckRows(decoded.change.after, f.all.max_row);
}

TEST_CASE("maxwell reads DDL and truncates back") {
  Fixture f;
  RowChange ddl = f.At({});
  ddl.kind = ChangeKind::kSchemaChange;
  ddl.table = f.all.schema.get();
  auto change = std::make_shared<SchemaChange>();
  change->kind = SchemaChangeKind::kAlterTable;
  change->before = f.all.schema;
  change->after = f.all.schema;
  change->statement = "ALTER TABLE all_types COMMENT 'x'";
  ddl.schema_change = change;
  DecodedChange decoded = f.RoundTrip(ddl);
  REQUIRE(decoded.change.kind == ChangeKind::kSchemaChange);
  CHECK(decoded.change.schema_change->kind == SchemaChangeKind::kAlterTable);
  CHECK(decoded.change.schema_change->statement == "ALTER TABLE all_types COMMENT 'x'");
  CHECK(decoded.change.commit_time_us == 1700000000000000);

  RowChange truncate = f.At({});
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = f.all.schema.get();
  CHECK(f.RoundTrip(truncate).change.kind == ChangeKind::kTruncate);
}

TEST_CASE("maxwell reads the dataformat page's messages") {
  Fixture f;
  Result<DecodedChange> decoded =
      f.decoder.Decode({}, testing::ReadGolden("maxwell-doc-insert.json"));
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  const uint16_t latin1 = CollationIdByName("latin1_swedish_ci");
  CheckRows(decoded->change.after,
            {Value::Int(1), Value::Double(4.2341), Value::Timestamp({1477028017, 523000}, 6),
             Value::String("I am a creature of light.", latin1)});
  CHECK(decoded->change.transaction_id == 23396);
  CHECK(decoded->change.position.server_id == 23042);
  CHECK(decoded->change.position.file == SourceFileName("master.000006"));

  decoded = f.decoder.Decode({}, testing::ReadGolden("maxwell-doc-update.json"));
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(decoded->change.before[1] == Value::Double(4.2341));
  CHECK(decoded->change.after[1] == Value::Double(5.444));
  CHECK(decoded->change.before[3] == decoded->change.after[3]);  // not in old: unchanged

  // The page's set example shape, and a JSON column embedded as a document.
  decoded = f.decoder.Decode({}, R"({"database":"shop","table":"all_types","type":"insert",
      "ts":1,"data":{"id":5,"s":["x","z"],"j":{"k":[1,2.5,"s"]},"dtm":"0000-00-00 00:00:00"}})");
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  CHECK(decoded->change.after[18] == Value::Set(5, "x,z"));
  CHECK(decoded->change.after[19] == Value::Json("{\"k\": [1, 2.5, \"s\"]}"));
  CHECK(decoded->change.after[11] == Value::DateTime({}, 6));
}

TEST_CASE("maxwell errors name the table, the column and the text") {
  Fixture f;
  CHECK(f.Error("{\"database\":").find("malformed JSON") != std::string::npos);
  CHECK(f.Error(R"({"database":"shop","table":"nope","type":"insert","data":{}})")
            .find("knows no table shop.nope") != std::string::npos);
  CHECK(f.Error(R"({"database":"shop","type":"database-create","sql":"create database shop"})")
            .find("carries no change of a table") != std::string::npos);
  auto error = [&](std::string_view data) {
    return f.Error(
        std::string(R"({"database":"shop","table":"all_types","type":"insert","data":)") +
        std::string(data) + "}");
  };
  CHECK(error(R"({"ti":300})").find("shop.all_types column ti (tinyint): a number \"300\"") !=
        std::string::npos);
  CHECK(error(R"({"ti":"1"})").find("column ti (tinyint): a string \"1\"") != std::string::npos);
  CHECK(error(R"({"e":"zz"})").find("column e (enum('a','b''c','d')): a string \"zz\"") !=
        std::string::npos);
  CHECK(error(R"({"s":["x","q"]})").find("column s (set('x','y','z')): an array") !=
        std::string::npos);
  CHECK(error(R"({"bin":"not base64!"})").find("column bin (varbinary(16))") != std::string::npos);
  CHECK(error(R"({"nope":1})").find("has no column \"nope\"") != std::string::npos);
}

}  // namespace
}  // namespace cdc
