#include "connectors/format/maxwell_encoder.h"

#include <memory>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "schema/collation.h"
#include "test/connectors/format/golden_file.h"
#include "test/integration/all_types.h"

namespace cdc {
namespace {

RowChange At(RowChange change) {
  change.position.file = SourceFileName("mysql-bin.000003");
  change.position.offset = 4711;
  change.position.gtid = SourceGtid("0-1-42");
  change.position.server_id = 7;
  change.commit_time_us = 1700000000123456;
  change.transaction_id = 77;
  return change;
}

EncodedMessage Encoded(const Result<EncodedMessage>& message) {
  REQUIRE_MESSAGE(message.ok(), message.status().ToString());
  return *message;
}

std::string Both(const EncodedMessage& message) {
  return message.key + "\n" + message.value;
}

// test.e of Maxwell's dataformat page: id int primary key, m double, c timestamp(6), comment
// varchar(255) charset latin1.
TableSchemaPtr DocTable() {
  std::vector<ColumnSchema> columns(4);
  columns[0].name = "id";
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
  return *TableSchema::Make(TableId{"test", "e"}, columns, {0});
}

Row DocRow(double m, int64_t seconds, uint32_t micros) {
  return {Value::Int(1), Value::Double(m), Value::Timestamp({seconds, micros}, 6),
          Value::String("I am a creature of light.", CollationIdByName("latin1_swedish_ci"))};
}

TEST_CASE("maxwell writes every type of the all-types table as the golden files hold it") {
  const testing::AllTypes all = testing::MakeAllTypes("shop");
  const MaxwellEncoder encoder{MaxwellOptions{}};
  testing::CheckGolden("maxwell-insert-max.json",
                       Both(Encoded(encoder.Encode(At(all.Insert(all.max_row))))));
  testing::CheckGolden("maxwell-insert-min.json",
                       Both(Encoded(encoder.Encode(At(all.Insert(all.min_row))))));
  RowChange update = At(all.Insert(all.max_row));
  update.kind = ChangeKind::kUpdate;
  update.before = all.min_row;
  update.before[0] = all.max_row[0];  // same key, every other column changed
  testing::CheckGolden("maxwell-update.json", Both(Encoded(encoder.Encode(update))));
  RowChange del = At(all.Insert(all.min_row));
  del.kind = ChangeKind::kDelete;
  del.before = all.min_row;
  del.after.clear();
  MaxwellOptions all_fields;
  all_fields.output_server_id = true;
  all_fields.output_primary_keys = true;
  all_fields.output_primary_key_columns = true;
  all_fields.output_nulls = false;
  testing::CheckGolden("maxwell-delete-all-fields.json",
                       Both(Encoded(MaxwellEncoder(all_fields).Encode(del))));
}

TEST_CASE("maxwell writes DDL as table-create, table-alter and table-drop with definitions") {
  const testing::AllTypes all = testing::MakeAllTypes("shop");
  const MaxwellEncoder encoder{MaxwellOptions{}};
  RowChange ddl = At({});
  ddl.kind = ChangeKind::kSchemaChange;
  ddl.table = all.schema.get();
  auto change = std::make_shared<SchemaChange>();
  change->kind = SchemaChangeKind::kCreateTable;
  change->after = all.schema;
  change->statement = "CREATE TABLE all_types (...)";
  ddl.schema_change = change;
  testing::CheckGolden("maxwell-ddl-create.json", Both(Encoded(encoder.Encode(ddl))));
  auto drop = std::make_shared<SchemaChange>();
  drop->kind = SchemaChangeKind::kDropTable;
  drop->before = all.schema;
  drop->statement = "DROP TABLE all_types";
  ddl.schema_change = drop;
  testing::CheckGolden("maxwell-ddl-drop.json", Both(Encoded(encoder.Encode(ddl))));
  RowChange truncate = At({});
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = all.schema.get();
  testing::CheckGolden("maxwell-truncate.json", Both(Encoded(encoder.Encode(truncate))));
}

// The INSERT and UPDATE examples of Maxwell's dataformat page, kept as the page prints them in
// golden/maxwell-doc-*.json: ours are the same messages field by field, but for what we do
// not write (commit, thread_id: see maxwell_encoder.h) and the options the page had off.
TEST_CASE("maxwell writes the dataformat page's examples as Maxwell does") {
  const TableSchemaPtr table = DocTable();
  MaxwellOptions options;
  options.output_gtid_position = false;
  options.output_server_id = true;
  RowChange insert;
  insert.table = table.get();
  insert.after = DocRow(4.2341, 1477028017, 523000);  // 2016-10-21 05:33:37.523 UTC
  insert.commit_time_us = 1477053217000000;
  insert.transaction_id = 23396;
  insert.position.file = SourceFileName("master.000006");
  insert.position.offset = 800911;
  insert.position.server_id = 23042;
  const EncodedMessage message = Encoded(MaxwellEncoder(options).Encode(insert));
  auto reference = nlohmann::json::parse(testing::ReadGolden("maxwell-doc-insert.json"));
  reference.erase("commit");
  reference.erase("thread_id");
  CHECK(nlohmann::json::parse(message.value) == reference);
  CHECK(message.key == R"({"database":"test","table":"e","pk.id":1})");

  RowChange update = insert;
  update.kind = ChangeKind::kUpdate;
  update.before = insert.after;
  update.after = DocRow(5.444, 1477028034, 631000);
  update.commit_time_us = 1477053234000000;
  MaxwellOptions minimal;
  minimal.output_binlog_position = false;
  minimal.output_gtid_position = false;
  minimal.output_commit_info = false;
  CHECK(nlohmann::json::parse(Encoded(MaxwellEncoder(minimal).Encode(update)).value) ==
        nlohmann::json::parse(testing::ReadGolden("maxwell-doc-update.json")));
}

}  // namespace
}  // namespace cdc
