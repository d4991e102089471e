#include "connectors/format/debezium_encoder.h"

#include <cstdlib>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>
#include <nlohmann/json.hpp>

#include "test/connectors/format/debezium_fixture.h"

namespace cdc {
namespace {

using nlohmann::json;

constexpr int64_t kNowUs = 1'700'000'000'123'456;

DebeziumOptions FixtureOptions() {
  DebeziumOptions options;
  options.topic_prefix = "fixture";  // the capture's topic.prefix
  options.now_us = [] { return kNowUs; };
  return options;
}

// Where our message may differ from Debezium's, and why. Paths are JSON pointers.
using Differences = std::map<std::string, std::string>;

// Checks every leaf of `ours` against `real`, and that both have the same keys, except at the
// paths listed in `allowed`. FLOAT columns (paths ending in "/f") compare as floats: Debezium
// prints Java's Float.toString ("1.4E-45"), we print the shortest text ("1e-45"); both read back
// as the same float.
void CompareFieldByField(const json& ours, const json& real, const std::string& path,
                         const Differences& allowed) {
  if (allowed.count(path) > 0) return;
  CAPTURE(path);
  if (ours.is_object() && real.is_object()) {
    for (const auto& [key, value] : real.items()) {
      const std::string child = path + "/" + key;
      if (allowed.count(child) > 0) continue;
      CHECK_MESSAGE(ours.contains(key), "missing in ours: " << child);
      if (ours.contains(key)) CompareFieldByField(ours[key], value, child, allowed);
    }
    for (const auto& [key, value] : ours.items()) {
      const std::string child = path + "/" + key;
      if (allowed.count(child) == 0) CHECK_MESSAGE(real.contains(key), "only in ours: " << child);
    }
    return;
  }
  if (ours.is_array() && real.is_array()) {
    REQUIRE(ours.size() == real.size());
    for (size_t i = 0; i < ours.size(); ++i) {
      CompareFieldByField(ours[i], real[i], path + "/" + std::to_string(i), allowed);
    }
    return;
  }
  if (path.size() > 2 && path.substr(path.size() - 2) == "/f" && ours.is_number() &&
      real.is_number()) {
    CHECK(static_cast<float>(ours.get<double>()) == static_cast<float>(real.get<double>()));
    return;
  }
  CHECK_MESSAGE(ours == real, "ours " << ours.dump() << " vs Debezium's " << real.dump());
}

// Differences every row-change value has.
Differences RowDifferences() {
  Differences d = {
      {"/payload/ts_ms", "the envelope's processing time: the run's clock"},
      {"/payload/ts_us", "the envelope's processing time: the run's clock"},
      {"/payload/ts_ns", "the envelope's processing time: the run's clock"},
      {"/payload/source/version", "Debezium writes its version, we write options.version"},
  };
  // MariaDB's JSON is LONGTEXT with a CHECK; Debezium's MariaDB connector reads the column as
  // LONGTEXT and gives it no semantic name. Our schema knows the column is JSON and names it
  // io.debezium.data.Json, as Debezium's MySQL connector does for MySQL's JSON type.
  for (const char* image : {"0", "1"}) {
    d[std::string("/schema/fields/") + image + "/fields/19/name"] = "JSON: io.debezium.data.Json";
    d[std::string("/schema/fields/") + image + "/fields/19/version"] = "JSON: semantic version";
  }
  return d;
}

json EncodeToJson(const DebeziumEncoder& encoder, const RowChange& change, json& key) {
  Result<EncodedMessage> message = encoder.Encode(change);
  REQUIRE(message.ok());
  key = json::parse(message->key);
  return json::parse(message->value);
}

}  // namespace

TEST_CASE("every type of the all-types table encodes as Debezium 3.5's MariaDB connector does") {
  const DebeziumEncoder encoder(FixtureOptions());
  const auto& real = testing::RealDebeziumMessages();
  REQUIRE(real.size() == 13);
  for (size_t index : {6, 7, 8, 9, 11}) {
    CAPTURE(index);
    const RowChange change = testing::FixtureChange(index);
    json key;
    const json value = EncodeToJson(encoder, change, key);
    Differences differences = RowDifferences();
    if (index == 6) {
      differences["/payload/source/snapshot"] =
          "Debezium marks the snapshot's last row \"last\" (first, last...); a RowChange does not "
          "say where in the snapshot it is, so every snapshot row is \"true\"";
      differences["/payload/after/f"] =
          "Debezium's snapshot reads FLOAT through the server's text (6 digits: 3.40282E38, not "
          "FLT_MAX); its binlog rows (messages 9 and 11) carry the exact 3.4028235E38, as we do";
    }
    // YEAR 0: Debezium's binlog reader adds 1900 to the stored 0 and writes 1900, a year MySQL
    // cannot hold; we write the column's value, 0. DebeziumDecoder reads 1900 back as 0.
    if (index == 7) differences["/payload/after/y"] = "YEAR 0 (Debezium: 1900)";
    if (index == 8) {
      differences["/payload/before/y"] = "YEAR 0 (Debezium: 1900)";
      differences["/payload/after/y"] = "YEAR 0 (Debezium: 1900)";
    }
    CompareFieldByField(value, real[index].value, "", differences);
    CompareFieldByField(key, real[index].key, "", {});
  }
}

TEST_CASE("a delete's tombstone is its key with an empty value, as Debezium's null-valued one") {
  const DebeziumEncoder encoder(FixtureOptions());
  const auto& real = testing::RealDebeziumMessages();
  REQUIRE(real[10].value.is_null());
  const EncodedMessage tombstone = encoder.EncodeTombstone(testing::FixtureChange(9));
  CHECK(tombstone.value.empty());
  CompareFieldByField(json::parse(tombstone.key), real[10].key, "", {});
}

TEST_CASE("a schema change encodes as Debezium's schema-change event with its table change") {
  const testing::AllTypes& all = testing::FixtureAllTypes();
  std::vector<ColumnSchema> columns = all.schema->columns();
  columns.push_back(testing::AllTypesColumn("added", ColumnType::kInt));
  TableSchemaPtr after = (*TableSchema::Make(all.schema->id(), columns, {0}))
                             ->WithDefaultCollation("utf8mb4_general_ci");
  auto schema_change = std::make_shared<SchemaChange>();
  schema_change->kind = SchemaChangeKind::kAlterTable;
  schema_change->before = all.schema;
  schema_change->after = after;
  schema_change->statement = "ALTER TABLE dbz.all_types ADD COLUMN added INT";
  RowChange change = testing::FixtureChange(11);  // for the position's shape
  const json& real = testing::RealDebeziumMessages()[12].value;
  const json& source = real["payload"]["source"];
  change.kind = ChangeKind::kSchemaChange;
  change.table = after.get();
  change.after.clear();
  change.schema_change = schema_change;
  change.position.offset = source["pos"].get<uint64_t>();
  change.position.gtid = source["gtid"].get<std::string>();
  change.commit_time_us = source["ts_us"].get<int64_t>();

  const DebeziumEncoder encoder(FixtureOptions());
  json key;
  const json value = EncodeToJson(encoder, change, key);
  const std::string columns_path = "/payload/tableChanges/0/table/columns/";
  Differences differences = {
      {"/payload/ts_ms", "the event's processing time: the run's clock"},
      {"/payload/source/version", "Debezium writes its version, we write options.version"},
      // Debezium's DDL parser gives ENUM and SET a length (1 and 5 here: the longest label
      // counted without its doubled quote, and the joined labels); we write none.
      {columns_path + "17/length", "ENUM length"},
      {columns_path + "18/length", "SET length"},
      // Debezium's length of an integer is the display width the DDL text wrote: (20) and (4)
      // in SHOW CREATE TABLE at the snapshot, none in "ADD COLUMN added INT". Our schema keeps
      // no display width; we write MariaDB's default one (11 for INT).
      {columns_path + "21/length", "INT's display width"},
      // MariaDB's JSON column is LONGTEXT to Debezium; JSON to our schema.
      {columns_path + "19/typeName", "JSON, not LONGTEXT"},
      {columns_path + "19/typeExpression", "JSON, not LONGTEXT"},
  };
  CompareFieldByField(value, real, "", differences);
  CompareFieldByField(key, testing::RealDebeziumMessages()[12].key, "", {});
}

// Our own output, byte for byte, for every option (checked in; CDC_UPDATE_GOLDEN=1 rewrites
// it after a deliberate change). Its default-mode lines are the messages the test above
// compares with Debezium's.
TEST_CASE("the debezium format's messages for each option match the golden file") {
  struct Variant {
    const char* name;
    DebeziumOptions options;
  };
  std::vector<Variant> variants;
  variants.push_back({"default", FixtureOptions()});
  DebeziumOptions other = FixtureOptions();
  other.decimal_mode = DebeziumDecimalMode::kString;
  other.time_mode = DebeziumTimeMode::kConnect;
  other.binary_mode = DebeziumBinaryMode::kHex;
  other.bigint_unsigned_mode = DebeziumBigIntUnsignedMode::kPrecise;
  other.connector = "mysql";
  variants.push_back({"string connect hex precise mysql", other});
  DebeziumOptions plain = FixtureOptions();
  plain.include_schema = false;
  plain.decimal_mode = DebeziumDecimalMode::kDouble;
  plain.binary_mode = DebeziumBinaryMode::kBase64;
  variants.push_back({"no schema, double, base64", plain});

  std::string output;
  for (const Variant& variant : variants) {
    const DebeziumEncoder encoder(variant.options);
    for (size_t index : {6, 7, 8, 9}) {
      RowChange change = testing::FixtureChange(index);
      Result<EncodedMessage> message = encoder.Encode(change);
      REQUIRE(message.ok());
      // The BLOB of 60000 zero bytes is shortened so the file stays readable.
      std::string value = message->value;
      for (char zero : {'A', '0'}) {  // zero bytes in base64 and in hex
        const std::string zeros(1000, zero);
        for (size_t at; (at = value.find(zeros + zeros)) != std::string::npos;) {
          value.replace(at, zeros.size(), "");
        }
      }
      output += json{{"variant", variant.name}, {"key", message->key}, {"value", value}}.dump();
      output += "\n";
    }
  }
  const auto path = testing::GoldenPath("debezium.jsonl");
  if (std::getenv("CDC_UPDATE_GOLDEN") != nullptr) {
    std::ofstream(path, std::ios::binary) << output;
  }
  CHECK(output == testing::ReadFile(path));
}

TEST_CASE("debezium options are validated with the field and the fix") {
  DebeziumOptions options;
  CHECK(options.Validate().ok());
  options.topic_prefix = "";
  CHECK(options.Validate().message().find("topic_prefix") != std::string::npos);
  options.topic_prefix = "a b";
  CHECK(options.Validate().message().find("letters, digits") != std::string::npos);
  options.topic_prefix = "shop";
  options.connector = "postgres";
  CHECK(options.Validate().message().find("'mariadb' or 'mysql'") != std::string::npos);
  CHECK(*ParseDebeziumDecimalMode("string") == DebeziumDecimalMode::kString);
  CHECK(*ParseDebeziumTimeMode("connect") == DebeziumTimeMode::kConnect);
  CHECK(*ParseDebeziumBinaryMode("hex") == DebeziumBinaryMode::kHex);
  CHECK(*ParseDebeziumBigIntUnsignedMode("precise") == DebeziumBigIntUnsignedMode::kPrecise);
  CHECK(ParseDebeziumDecimalMode("exact").status().message() ==
        "debezium: decimal.handling.mode 'exact' is not a mode; use one of precise, string, "
        "double");
  CHECK(std::string(DebeziumTimeModeName(DebeziumTimeMode::kAdaptiveTimeMicroseconds)) ==
        "adaptive_time_microseconds");
}

}  // namespace cdc
