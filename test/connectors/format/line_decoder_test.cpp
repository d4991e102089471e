#include "connectors/format/line_decoder.h"

#include <limits>
#include <map>
#include <string>
#include <vector>

#include <doctest/doctest.h>

#include "connectors/format/line_encoder.h"
#include "schema/collation.h"

namespace cdc {
namespace {

ColumnSchema Column(std::string name, ColumnType type) {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  return column;
}

// One column of every ColumnType but GEOMETRY (which the line cannot carry; see below), plus
// an unsigned integer, each nullable but the key.
TableSchemaPtr AllTypes(TableId id = {"shop", "all_types"}) {
  std::vector<ColumnSchema> columns;
  ColumnSchema key = Column("id", ColumnType::kBigInt);
  key.nullable = false;
  columns.push_back(key);
  columns.push_back(Column("tiny", ColumnType::kTinyInt));
  columns.push_back(Column("small", ColumnType::kSmallInt));
  columns.push_back(Column("medium", ColumnType::kMediumInt));
  columns.push_back(Column("plain int", ColumnType::kInt));  // a space in a name
  ColumnSchema big_unsigned = Column("u64", ColumnType::kBigInt);
  big_unsigned.is_unsigned = true;
  columns.push_back(big_unsigned);
  columns.push_back(Column("f", ColumnType::kFloat));
  columns.push_back(Column("d", ColumnType::kDouble));
  ColumnSchema decimal = Column("dec", ColumnType::kDecimal);
  decimal.precision = 65;
  decimal.scale = 30;
  columns.push_back(decimal);
  ColumnSchema bit = Column("bits", ColumnType::kBit);
  bit.length = 64;
  columns.push_back(bit);
  columns.push_back(Column("y", ColumnType::kYear));
  columns.push_back(Column("day", ColumnType::kDate));
  ColumnSchema time = Column("t", ColumnType::kTime);
  time.fsp = 6;
  columns.push_back(time);
  ColumnSchema datetime = Column("dt", ColumnType::kDateTime);
  datetime.fsp = 3;
  columns.push_back(datetime);
  ColumnSchema timestamp = Column("ts", ColumnType::kTimestamp);
  timestamp.fsp = 6;
  columns.push_back(timestamp);
  for (auto [name, type] :
       std::vector<std::pair<const char*, ColumnType>>{{"c", ColumnType::kChar},
                                                       {"vc", ColumnType::kVarChar},
                                                       {"tt", ColumnType::kTinyText},
                                                       {"tx", ColumnType::kText},
                                                       {"mt", ColumnType::kMediumText},
                                                       {"lt", ColumnType::kLongText}}) {
    ColumnSchema text = Column(name, type);
    text.length = 255;
    text.collation = std::string(name) == "c" ? "latin1_swedish_ci" : "utf8mb4_general_ci";
    columns.push_back(text);
  }
  for (auto [name, type] :
       std::vector<std::pair<const char*, ColumnType>>{{"bin", ColumnType::kBinary},
                                                       {"vbin", ColumnType::kVarBinary},
                                                       {"tb", ColumnType::kTinyBlob},
                                                       {"b", ColumnType::kBlob},
                                                       {"mb", ColumnType::kMediumBlob},
                                                       {"lb", ColumnType::kLongBlob}}) {
    ColumnSchema binary = Column(name, type);
    binary.length = 16;
    columns.push_back(binary);
  }
  ColumnSchema enumeration = Column("e", ColumnType::kEnum);
  enumeration.labels = {"small", "it's", "large"};
  columns.push_back(enumeration);
  ColumnSchema set = Column("s", ColumnType::kSet);
  set.labels = {"a", "b", "c d"};
  columns.push_back(set);
  columns.push_back(Column("j", ColumnType::kJson));
  auto schema = TableSchema::Make(std::move(id), std::move(columns), {0});
  REQUIRE(schema.ok());
  return *schema;
}

uint16_t Utf8mb4() {
  return CollationIdByName("utf8mb4_general_ci");
}

// Text with every escaped character, and with what separates the line's parts.
constexpr char kTricky[] = "line\nbreak\ttab\rreturn\0nul -> x=1 @9";

// A row of every column's value at an edge of its type.
Row EdgeRow(int64_t id) {
  return {Value::Int(id),
          Value::Int(-128),
          Value::Int(32767),
          Value::Int(-8388608),
          Value::Int(std::numeric_limits<int32_t>::min()),
          Value::UInt(std::numeric_limits<uint64_t>::max()),
          Value::Float(-1.17549435e-38f),
          Value::Double(0.1 + 0.2),
          Value::Decimal("-12345678901234567890123456789012345.123456789012345678901234567890"),
          Value::Bit(0x8000000000000001ull, 64),
          Value::Year(2155),
          Value::Date({0, 0, 0}),
          Value::Time({true, 838, 59, 59, 999999}, 6),
          Value::DateTime({{9999, 12, 31}, 23, 59, 59, 999000}, 3),
          Value::Timestamp({2147483647, 1}, 6),
          Value::String("O'Brien\\ \"quoted\"", CollationIdByName("latin1_swedish_ci")),
          Value::String(std::string(kTricky, sizeof kTricky - 1), Utf8mb4()),
          Value::String("", Utf8mb4()),
          Value::String("NULL", Utf8mb4()),
          Value::String(std::string(300, 'w') + " ünïcödé", Utf8mb4()),
          Value::String("?", Utf8mb4()),
          Value::Bytes(std::string("\0\x01\xff\x80 '", 6)),
          Value::Bytes(""),
          Value::Bytes(std::string(40, '\xab')),
          Value::Bytes("x'00'"),
          Value::Bytes(std::string(1, '\0')),
          Value::Bytes("blob"),
          Value::Enum(2, "it's"),
          Value::Set(0b101, "a,c d"),
          Value::Json(R"({"k": [1, "two\n", null], "s": "it's"})")};
}

Row OtherRow(int64_t id) {
  return {Value::Int(id),
          Value::Int(127),
          Value::Int(-32768),
          Value::Int(8388607),
          Value::Int(0),
          Value::UInt(0),
          Value::Float(-0.0f),
          Value::Double(-1.5e300),
          Value::Decimal("0.000"),
          Value::Bit(0, 64),
          Value::Year(0),
          Value::Date({2024, 2, 29}),
          Value::Time({false, 0, 0, 0, 5}, 6),
          Value::DateTime({{0, 0, 0}, 0, 0, 0, 0}, 3),
          Value::Timestamp({0, 0}, 6),  // the zero timestamp
          Value::String("a", CollationIdByName("latin1_swedish_ci")),
          Value::String("->", Utf8mb4()),
          Value::String(" @1", Utf8mb4()),
          Value::String("x", Utf8mb4()),
          Value::String("y", Utf8mb4()),
          Value::String("z", Utf8mb4()),
          Value::Bytes("1234567890123456"),
          Value::Bytes("v"),
          Value::Bytes("t"),
          Value::Bytes("b"),
          Value::Bytes("m"),
          Value::Bytes("l"),
          Value::Enum(0, ""),  // MySQL's value for an invalid ENUM
          Value::Set(0, ""),
          Value::Json("[]")};
}

Row NullRow(int64_t id) {
  Row row(AllTypes()->columns().size());
  row[0] = Value::Int(id);
  return row;
}

struct Catalog {
  std::map<TableId, TableSchemaPtr> tables;
  TableSchemaLookup Lookup() const {
    return [this](const TableId& id) {
      auto it = tables.find(id);
      return it == tables.end() ? nullptr : it->second;
    };
  }
};

// What the line carries must come back exactly; what it does not (commit time, transaction
// id, the position's index and server id) comes back zero.
void CheckRoundTrip(const RowChange& change, const Catalog& catalog) {
  const LineEncoder encoder;
  Result<EncodedMessage> message = encoder.Encode(change);
  REQUIRE(message.ok());
  Result<DecodedChange> decoded =
      LineDecoder(catalog.Lookup()).Decode(message->key, message->value);
  INFO(message->value);
  REQUIRE_MESSAGE(decoded.ok(), decoded.status().ToString());
  const RowChange& back = decoded->change;
  CHECK(back.kind == change.kind);
  CHECK(back.table == change.table);
  CHECK(decoded->table.get() == change.table);
  REQUIRE(back.before.size() == change.before.size());
  for (size_t i = 0; i < change.before.size(); ++i) {
    CHECK_MESSAGE(back.before[i] == change.before[i], change.table->columns()[i].name);
  }
  REQUIRE(back.after.size() == change.after.size());
  for (size_t i = 0; i < change.after.size(); ++i) {
    CHECK_MESSAGE(back.after[i] == change.after[i], change.table->columns()[i].name);
  }
  CHECK(back.position.file == change.position.file);
  CHECK(back.position.offset == change.position.offset);
  CHECK(back.position.gtid == change.position.gtid);
  CHECK(back.position.index == 0);
  CHECK(back.position.server_id == 0);
  CHECK(back.commit_time_us == 0);
  CHECK(back.transaction_id == 0);
  // Encoding the decoded change gives the same line again; not for a schema change, whose
  // line names the tables of the schemas it does not carry.
  if (change.kind == ChangeKind::kSchemaChange) return;
  Result<EncodedMessage> again = encoder.Encode(back);
  REQUIRE(again.ok());
  CHECK(*again == *message);
}

RowChange Change(ChangeKind kind, const TableSchemaPtr& table, Row before, Row after) {
  RowChange change;
  change.kind = kind;
  change.table = table.get();
  change.before = std::move(before);
  change.after = std::move(after);
  change.position = {"mysql-bin.000042", 123456789, "0-1-42"};
  change.position.index = 3;
  change.position.server_id = 7;
  change.commit_time_us = 1'700'000'000'000'000;
  change.transaction_id = 99;
  return change;
}

}  // namespace

TEST_CASE("inserts and deletes of every column type read back as the values they printed") {
  Catalog catalog;
  const TableSchemaPtr table = AllTypes();
  catalog.tables[table->id()] = table;
  for (const Row& row : {EdgeRow(1), OtherRow(2), NullRow(3)}) {
    CheckRoundTrip(Change(ChangeKind::kInsert, table, {}, row), catalog);
    CheckRoundTrip(Change(ChangeKind::kDelete, table, row, {}), catalog);
  }
}

TEST_CASE("an update reads back both images, changed columns and unchanged ones") {
  Catalog catalog;
  const TableSchemaPtr table = AllTypes();
  catalog.tables[table->id()] = table;
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, EdgeRow(1), OtherRow(1)), catalog);
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, OtherRow(1), NullRow(1)), catalog);
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, EdgeRow(1), EdgeRow(1)), catalog);
  Row mixed = EdgeRow(1);
  mixed[5] = Value::UInt(1);
  mixed[16] = Value::String("->?", Utf8mb4());
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, EdgeRow(1), mixed), catalog);
}

TEST_CASE("an update whose images differ in width reads back with the missing values left out") {
  Catalog catalog;
  const TableSchemaPtr table = AllTypes();
  catalog.tables[table->id()] = table;
  Row narrow = EdgeRow(1);
  narrow.resize(3);
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, narrow, OtherRow(1)), catalog);
  CheckRoundTrip(Change(ChangeKind::kUpdate, table, OtherRow(1), narrow), catalog);
}

TEST_CASE("positions with and without file and gtid, truncates and schema changes read back") {
  Catalog catalog;
  const TableSchemaPtr table = AllTypes();
  catalog.tables[table->id()] = table;
  RowChange insert = Change(ChangeKind::kInsert, table, {}, OtherRow(5));
  insert.position = {"", 4711, ""};
  CheckRoundTrip(insert, catalog);
  insert.position = {"binlog.000001", 4, ""};
  CheckRoundTrip(insert, catalog);
  insert.position = {"", 0, "3e11fa47-71ca-11e1-9e33-c80aa9429562:23"};
  CheckRoundTrip(insert, catalog);

  CheckRoundTrip(Change(ChangeKind::kTruncate, table, {}, {}), catalog);

  auto alter = std::make_shared<SchemaChange>();
  alter->kind = SchemaChangeKind::kAlterTable;
  alter->before = table;
  alter->after = table;
  alter->statement = "ALTER TABLE all_types COMMENT 'x) @5', ADD COLUMN `n: 1` INT";
  RowChange barrier = Change(ChangeKind::kSchemaChange, table, {}, {});
  barrier.schema_change = alter;
  CheckRoundTrip(barrier, catalog);
  Result<DecodedChange> decoded =
      LineDecoder(catalog.Lookup()).Decode("", LineEncoder().Encode(barrier)->value);
  REQUIRE(decoded.ok());
  REQUIRE(decoded->change.schema_change != nullptr);
  CHECK(decoded->change.schema_change->kind == SchemaChangeKind::kAlterTable);
  CHECK(decoded->change.schema_change->statement == alter->statement);
  // Not carried by the line: the schemas before and after.
  CHECK(decoded->change.schema_change->before == nullptr);
  CHECK(decoded->change.schema_change->after == nullptr);
}

TEST_CASE("table names holding dots and spaces are found through the lookup") {
  Catalog catalog;
  const TableSchemaPtr dotted = AllTypes({"my.db", "t. x"});
  const TableSchemaPtr prefix = AllTypes({"my", "db"});  // "my.db" read as a table first
  catalog.tables[dotted->id()] = dotted;
  catalog.tables[prefix->id()] = prefix;
  CheckRoundTrip(Change(ChangeKind::kInsert, dotted, {}, EdgeRow(1)), catalog);
  CheckRoundTrip(Change(ChangeKind::kInsert, prefix, {}, EdgeRow(1)), catalog);
}

TEST_CASE("lines the decoder cannot read are errors that say why") {
  Catalog catalog;
  const TableSchemaPtr table = AllTypes();
  catalog.tables[table->id()] = table;
  const LineDecoder decoder(catalog.Lookup());
  auto error = [&](std::string_view line) {
    Result<DecodedChange> decoded = decoder.Decode("", line);
    REQUIRE(!decoded.ok());
    CHECK(decoded.status().code() == StatusCode::kInvalidArgument);
    return decoded.status().message();
  };
  CHECK(error("insert other.t id=1 @4").find("knows no table") != std::string::npos);
  CHECK(error("delete (no schema) #1=1 #2=5 @b.000002:7").find("without its table's schema") !=
        std::string::npos);
  CHECK(error("upsert shop.all_types id=1 @4").find("expected insert") != std::string::npos);
  CHECK(error("insert shop.all_types id=x @4").find("column id (bigint)") != std::string::npos);
  CHECK(error("insert shop.all_types id=1 tiny=2").find("expected column small") !=
        std::string::npos);
  CHECK(error("insert shop.all_types id=1 @file:").find("source position") != std::string::npos);
  CHECK(error("update shop.all_types id=?->1 tiny=1 small=?->2 @4").find("missing") !=
        std::string::npos);

  // A row wider than its schema names its extra columns by position; they have no type.
  RowChange wide = Change(ChangeKind::kInsert, table, {}, NullRow(1));
  wide.after.push_back(Value::Int(5));
  CHECK(error(wide.ToString()).find("the line has more") != std::string::npos);
}

TEST_CASE("a GEOMETRY value cannot be read back: the line has its SRID and size, not its WKB") {
  ColumnSchema id = Column("id", ColumnType::kInt);
  id.nullable = false;
  auto table = TableSchema::Make({"geo", "places"}, {id, Column("at", ColumnType::kGeometry)}, {0});
  REQUIRE(table.ok());
  Catalog catalog;
  catalog.tables[(*table)->id()] = *table;
  RowChange change = Change(ChangeKind::kInsert, *table, {},
                            {Value::Int(1), Value::Geometry(4326, std::string(21, '\1'))});
  const std::string line = LineEncoder().Encode(change)->value;
  CHECK(line ==
        "insert geo.places id=1 at=GEOMETRY(srid=4326, 21 bytes) @mysql-bin.000042:123456789 (gtid "
        "0-1-42)");
  Result<DecodedChange> decoded = LineDecoder(catalog.Lookup()).Decode("", line);
  REQUIRE(!decoded.ok());
  CHECK(decoded.status().message().find("GEOMETRY as its SRID and size only") != std::string::npos);
  // A NULL geometry has nothing to lose and reads back.
  change.after[1] = Value::Null();
  CheckRoundTrip(change, catalog);
}

}  // namespace cdc
