#include "schema/row_key.h"

#include <string>
#include <unordered_set>
#include <vector>

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(std::string name, ColumnType type, std::string collation = "") {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.nullable = false;
  column.collation = std::move(collation);
  return column;
}

// (id BIGINT, code VARCHAR <collation>, qty INT), keyed by `key`.
TableSchemaPtr Table(const std::string& collation, std::vector<size_t> key) {
  auto schema = TableSchema::Make(
      {"shop", "items"},
      {Column("id", ColumnType::kBigInt), Column("code", ColumnType::kVarChar, collation),
       Column("qty", ColumnType::kInt)},
      std::move(key));
  REQUIRE(schema.ok());
  return *schema;
}

Row Item(int64_t id, const std::string& code, int64_t qty) {
  return {Value::Int(id), Value::String(code, 45), Value::Int(qty)};
}

TEST_CASE("equal integer keys hash equal and compare equal, other columns aside") {
  const auto table = Table("utf8mb4_general_ci", {0});
  const Row a = Item(7, "x", 1);
  const Row b = Item(7, "y", 2);
  CHECK(KeyEquals(*table, a, b));
  CHECK(KeyHash(*table, a) == KeyHash(*table, b));
  CHECK_FALSE(KeyEquals(*table, a, Item(8, "x", 1)));
  CHECK(KeyHash(*table, a) != KeyHash(*table, Item(8, "x", 1)));
  CHECK(KeyHash(*table, a) == KeyHash(*table, a));
}

TEST_CASE("text keys hash and compare under the key column's collation") {
  const auto ci = Table("utf8mb4_general_ci", {1});
  CHECK(KeyEquals(*ci, Item(1, "abc", 0), Item(2, "ABC  ", 0)));
  CHECK(KeyHash(*ci, Item(1, "abc", 0)) == KeyHash(*ci, Item(2, "ABC  ", 0)));
  // The non-ASCII path and the ASCII fast path must agree.
  CHECK(KeyEquals(*ci, Item(1, "Café", 0), Item(2, "CAFE", 0)));
  CHECK(KeyHash(*ci, Item(1, "Café", 0)) == KeyHash(*ci, Item(2, "CAFE", 0)));
  CHECK(KeyHash(*ci, Item(1, "a long key, longer than eight bytes É", 0)) ==
        KeyHash(*ci, Item(1, "A LONG KEY, LONGER THAN EIGHT BYTES e  ", 0)));
  CHECK_FALSE(KeyEquals(*ci, Item(1, "abc", 0), Item(1, "abd", 0)));
  CHECK(KeyHash(*ci, Item(1, "abc", 0)) != KeyHash(*ci, Item(1, "abd", 0)));

  const auto bin = Table("utf8mb4_bin", {1});
  CHECK_FALSE(KeyEquals(*bin, Item(1, "abc", 0), Item(1, "ABC", 0)));
  CHECK(KeyEquals(*bin, Item(1, "abc", 0), Item(1, "abc ", 0)));
  CHECK(KeyHash(*bin, Item(1, "abc", 0)) == KeyHash(*bin, Item(1, "abc ", 0)));

  const auto nopad = Table("utf8mb4_0900_ai_ci", {1});
  CHECK_FALSE(KeyEquals(*nopad, Item(1, "abc", 0), Item(1, "abc ", 0)));
  CHECK(KeyEquals(*nopad, Item(1, "abc", 0), Item(1, "ÀBC", 0)));
  CHECK(KeyHash(*nopad, Item(1, "abc", 0)) == KeyHash(*nopad, Item(1, "ÀBC", 0)));

  const auto exact = Table("binary", {1});
  CHECK_FALSE(KeyEquals(*exact, Item(1, "abc", 0), Item(1, "abc ", 0)));
  CHECK(KeyEquals(*exact, Item(1, "abc", 0), Item(9, "abc", 5)));
}

TEST_CASE("KeyEquals and KeyHash agree with the collation's sort keys") {
  const std::vector<std::string> texts = {"",
                                          " ",
                                          "a",
                                          "A",
                                          "a ",
                                          "á",
                                          "Á ",
                                          "b",
                                          "ab",
                                          "AB",
                                          "aB  ",
                                          "straße",
                                          "STRASSE",
                                          "ÉCOLE",
                                          "ecole",
                                          "école",
                                          "Łódź",
                                          "LODZ",
                                          "ΟΔΟΣ",
                                          "οδος",
                                          "12345678",
                                          "12345678 ",
                                          std::string("x\0", 2),
                                          std::string("X\0 ", 3),
                                          std::string("\xff", 1),
                                          "ÿ",
                                          "Ÿ"};
  for (const char* name : {"utf8mb4_general_ci", "utf8mb4_0900_ai_ci", "utf8mb4_0900_as_ci",
                           "utf8mb4_bin", "utf8mb4_0900_bin", "utf8mb4_uca1400_ai_cs"}) {
    const auto table = Table(name, {1});
    const Collation collation = Collation::FromName(name);
    for (const std::string& a : texts) {
      for (const std::string& b : texts) {
        const bool same_key = collation.SortKey(a) == collation.SortKey(b);
        const Row row_a = Item(1, a, 0);
        const Row row_b = Item(1, b, 0);
        CAPTURE(name);
        CAPTURE(a);
        CAPTURE(b);
        CHECK(KeyEquals(*table, row_a, row_b) == same_key);
        CHECK((KeyHash(*table, row_a) == KeyHash(*table, row_b)) == same_key);
      }
    }
  }
}

TEST_CASE("a composite key hashes every key column in key order") {
  const auto table = Table("utf8mb4_general_ci", {0, 1});
  CHECK(KeyEquals(*table, Item(1, "a", 5), Item(1, "A", 6)));
  CHECK(KeyHash(*table, Item(1, "a", 5)) == KeyHash(*table, Item(1, "A", 6)));
  CHECK_FALSE(KeyEquals(*table, Item(1, "a", 5), Item(2, "a", 5)));
  CHECK(KeyHash(*table, Item(1, "a", 5)) != KeyHash(*table, Item(2, "a", 5)));
  CHECK(KeyToString(*table, Item(1, "it's", 5)) == "id=1, code='it\\'s'");
}

TEST_CASE("non-text keys compare exactly by kind and payload") {
  auto schema = TableSchema::Make(
      {"db", "t"}, {Column("k", ColumnType::kVarBinary), Column("v", ColumnType::kInt)}, {0});
  REQUIRE(schema.ok());
  const TableSchema& table = **schema;
  const Row a = {Value::Bytes(std::string("a\0", 2)), Value::Int(1)};
  const Row b = {Value::Bytes("a"), Value::Int(1)};
  CHECK_FALSE(KeyEquals(table, a, b));
  CHECK(KeyHash(table, a) != KeyHash(table, b));
  CHECK(KeyEquals(table, a, {Value::Bytes(std::string("a\0", 2)), Value::Int(2)}));

  const Row null_key = {Value::Null(), Value::Int(1)};
  CHECK(KeyHash(table, null_key) == KeyHash(table, {Value::Null(), Value::Int(2)}));
  CHECK(KeyHash(table, null_key) != KeyHash(table, {Value::Bytes(""), Value::Int(1)}));
  CHECK_FALSE(KeyEquals(table, null_key, {Value::Bytes(""), Value::Int(1)}));
  CHECK(KeyToString(table, null_key) == "k=NULL");
}

TEST_CASE("temporal and floating keys hash by their exact payload") {
  const Value values[] = {
      Value::Double(0.0),
      Value::Double(-0.0),
      Value::Float(0.0F),
      Value::Date({2024, 1, 2}),
      Value::Date({2024, 2, 1}),
      Value::Time({true, 1, 2, 3, 4}, 6),
      Value::Time({false, 1, 2, 3, 4}, 6),
      Value::DateTime({{2024, 1, 2}, 3, 4, 5, 6}, 6),
      Value::DateTime({{2024, 1, 2}, 3, 4, 5, 7}, 6),
      Value::Timestamp({1700000000, 0}),
      Value::Timestamp({1700000001, 0}),
      Value::Int(1),
      Value::UInt(1),
      Value::Decimal("1.0"),
      Value::Decimal("1.00"),
  };
  auto schema = TableSchema::Make({"db", "t"}, {Column("k", ColumnType::kInt)}, {0});
  REQUIRE(schema.ok());
  for (const Value& a : values) {
    for (const Value& b : values) {
      const Row row_a = {a};
      const Row row_b = {b};
      CAPTURE(a.ToString());
      CAPTURE(b.ToString());
      CHECK(KeyEquals(**schema, row_a, row_b) == (a == b));
      CHECK((KeyHash(**schema, row_a) == KeyHash(**schema, row_b)) == (a == b));
    }
  }
}

TEST_CASE("sequential integer keys get distinct, evenly spread hashes") {
  const auto table = Table("utf8mb4_general_ci", {0});
  std::unordered_set<uint64_t> hashes;
  std::vector<int> low_byte_counts(256, 0);
  constexpr int kRows = 1 << 16;
  for (int64_t id = 0; id < kRows; ++id) {
    const uint64_t hash = KeyHash(*table, Item(id, "x", 0));
    hashes.insert(hash);
    ++low_byte_counts[hash & 0xFF];
  }
  CHECK(hashes.size() == kRows);
  // 256 rows expected per bucket; a poor mix of sequential ids leaves buckets empty or full.
  for (int count : low_byte_counts) {
    CHECK(count > 180);
    CHECK(count < 340);
  }
}

TEST_CASE("an update changes the key only when the key columns differ under the collation") {
  RowChange change;
  change.kind = ChangeKind::kUpdate;
  auto table = Table("utf8mb4_general_ci", {1});
  change.table = table.get();
  change.before = Item(1, "abc", 5);
  change.after = Item(2, "ABC", 6);
  CHECK_FALSE(KeyChanged(change));
  change.after = Item(1, "abd", 5);
  CHECK(KeyChanged(change));

  change.kind = ChangeKind::kInsert;
  change.before.clear();
  CHECK_FALSE(KeyChanged(change));

  RowChange keyless;
  keyless.kind = ChangeKind::kUpdate;
  auto keyless_table = Table("utf8mb4_general_ci", {});
  keyless.table = keyless_table.get();
  keyless.before = Item(1, "a", 1);
  keyless.after = Item(2, "b", 2);
  CHECK_FALSE(KeyChanged(keyless));
  CHECK(KeyToString(*keyless.table, keyless.after) == "(no key)");
}

}  // namespace
}  // namespace cdc
