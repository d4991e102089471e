#include "connectors/mysql/sink/mysql_statements.h"

#include <doctest/doctest.h>

#include <limits>

#include "connectors/mysql/client/sql_literal.h"
#include "test/test_rows.h"

namespace cdc {
namespace {

std::string Literal(const Value& value) {
  std::string sql;
  REQUIRE(AppendSqlLiteral(value, sql).ok());
  return sql;
}

}  // namespace

TEST_CASE("SQL literals read back as exactly the same value") {
  CHECK(Literal(Value::UInt(18446744073709551615ULL)) == "18446744073709551615");
  CHECK(Literal(Value::Int(-9223372036854775807LL - 1)) == "-9223372036854775808");
  CHECK(Literal(Value::Float(3.40282347e38f)) == "3.4028234663852886e+38");  // never past FLT_MAX
  CHECK(Literal(Value::Double(0.1 + 0.2)) == "0.30000000000000004");
  CHECK(Literal(Value::Bit(5, 4)) == "b'0101'");
  CHECK(Literal(Value::String("it's \\ \n\r\x1a", 45)) == "'it\\'s \\\\ \\n\\r\\Z'");
  CHECK(Literal(Value::String(std::string("a\0b", 3), 45)) == "'a\\0b'");
  CHECK(Literal(Value::String("caf\xe9", 8)) == "_latin1'caf\xe9'");
  CHECK(Literal(Value::Bytes(std::string("\x00\xff", 2))) == "x'00ff'");
  CHECK(Literal(Value::DateTime(DateTimeValue{DateValue{2024, 2, 29}, 23, 59, 59, 5}, 6)) ==
        "'2024-02-29 23:59:59.000005'");
  CHECK(Literal(Value::DateTime(DateTimeValue{DateValue{2024, 2, 29}, 1, 2, 3, 0}, 0)) ==
        "'2024-02-29 01:02:03'");
  CHECK(Literal(Value::Timestamp(TimestampValue{-1, 500000}, 6)) == "'1969-12-31 23:59:59.500000'");
  CHECK(Literal(Value::Null()) == "NULL");
  std::string sql;
  Status nan = AppendSqlLiteral(Value::Double(std::numeric_limits<double>::quiet_NaN()), sql);
  CHECK(nan.code() == StatusCode::kInvalidArgument);
}

TEST_CASE("a keyed batch becomes one delete by key and one multi-row upsert") {
  auto t = testing::MakeTable("t");
  std::vector<RowChange> changes = {testing::Insert(t, 1, "a"), testing::Delete(t, 2, "b"),
                                    testing::Insert(t, 3, "c")};
  CompactedBatch batch = CompactByKey(*t, changes);
  StatementDialect dialect;
  auto statements = BuildKeyedStatements(*t, TableId{"tgt", "t`x"}, batch, {}, dialect);
  REQUIRE(statements.ok());
  CHECK(*statements == std::vector<std::string>{
                           "DELETE FROM `tgt`.`t``x` WHERE `id` IN (2)",
                           "INSERT INTO `tgt`.`t``x` (`id`, `v`) VALUES (1, 'a'), (3, 'c') ON "
                           "DUPLICATE KEY UPDATE `v` = VALUES(`v`)"});
  dialect.row_alias = true;  // MySQL 8.0.20+
  statements = BuildKeyedStatements(*t, TableId{"tgt", "t"}, batch, {}, dialect);
  REQUIRE(statements.ok());
  CHECK((*statements)[1] ==
        "INSERT INTO `tgt`.`t` (`id`, `v`) VALUES (1, 'a'), (3, 'c') AS new ON DUPLICATE KEY "
        "UPDATE `v` = new.`v`");
}

TEST_CASE("statements are split to stay under the packet limit") {
  auto t = testing::MakeTable("t");
  std::vector<RowChange> changes;
  for (int64_t id = 0; id < 100; ++id)
    changes.push_back(testing::Insert(t, id, std::string(20, 'x')));
  CompactedBatch batch = CompactByKey(*t, changes);
  StatementDialect dialect;
  dialect.max_statement_bytes = 400;
  auto statements = BuildKeyedStatements(*t, TableId{"db", "t"}, batch, {}, dialect);
  REQUIRE(statements.ok());
  CHECK(statements->size() > 5);
  size_t tuples = 0;
  for (const std::string& sql : *statements) {
    CHECK(sql.size() <= 400);
    for (size_t at = sql.find("'xxxx"); at != std::string::npos; at = sql.find("'xxxx", at + 1))
      ++tuples;
  }
  CHECK(tuples == 100);
}

TEST_CASE("a logical delete is an upsert of the before-image with the flag and time set") {
  auto t = testing::MakeTable("t");
  RowChange deleted = testing::Delete(t, 7, "v");
  deleted.commit_time_us = 1'700'000'000'123'456;
  std::vector<RowChange> changes = {deleted, testing::Insert(t, 8, "w")};
  CompactedBatch batch = CompactByKey(*t, changes);
  LogicalDeleteColumns logical{true, "_is_deleted", "_deleted_at"};
  auto statements = BuildKeyedStatements(*t, TableId{"db", "t"}, batch, logical, {});
  REQUIRE(statements.ok());
  CHECK(*statements == std::vector<std::string>{
                           "INSERT INTO `db`.`t` (`id`, `v`, `_is_deleted`, `_deleted_at`) VALUES "
                           "(7, 'v', 1, '2023-11-14 22:13:20.123456'), (8, 'w', 0, NULL) ON "
                           "DUPLICATE KEY UPDATE `v` = VALUES(`v`), `_is_deleted` = "
                           "VALUES(`_is_deleted`), `_deleted_at` = VALUES(`_deleted_at`)"});
}

}  // namespace cdc

namespace cdc {

TEST_CASE("a batch that starts with a truncate empties the table before the rest") {
  auto t = testing::MakeTable("t");
  RowChange truncate;
  truncate.kind = ChangeKind::kTruncate;
  truncate.table = t.get();
  truncate.commit_time_us = 1'700'000'000'000'000;
  std::vector<RowChange> changes = {testing::Insert(t, 1, "gone"), truncate,
                                    testing::Insert(t, 2, "kept")};
  CompactedBatch batch = CompactByKey(*t, changes);
  CHECK(batch.truncate);
  auto statements = BuildKeyedStatements(*t, TableId{"db", "t"}, batch, {}, {});
  REQUIRE(statements.ok());
  CHECK(*statements == std::vector<std::string>{
                           "TRUNCATE TABLE `db`.`t`",
                           "INSERT INTO `db`.`t` (`id`, `v`) VALUES (2, 'kept') ON DUPLICATE KEY "
                           "UPDATE `v` = VALUES(`v`)"});
  LogicalDeleteColumns logical{true, "_is_deleted", ""};
  statements =
      BuildKeyedStatements(*t, TableId{"db", "t"}, CompactByKey(*t, {truncate}), logical, {});
  REQUIRE(statements.ok());
  CHECK(*statements ==
        std::vector<std::string>{"UPDATE `db`.`t` SET `_is_deleted` = 1 WHERE `_is_deleted` = 0"});
}

}  // namespace cdc
