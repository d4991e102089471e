#include "operators/filter/row_filter.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

ColumnSchema Column(std::string name, ColumnType type, std::string collation = "") {
  ColumnSchema column;
  column.name = std::move(name);
  column.type = type;
  column.collation = std::move(collation);
  return column;
}

// `shop`.`orders`: one column of each kind the filter treats differently.
TableSchemaPtr OrdersTable() {
  std::vector<ColumnSchema> columns = {
      Column("id", ColumnType::kBigInt),
      Column("name", ColumnType::kVarChar, "utf8mb4_general_ci"),
      Column("code", ColumnType::kVarChar, "utf8mb4_bin"),
      Column("price", ColumnType::kDecimal),
      Column("qty", ColumnType::kInt),
      Column("ratio", ColumnType::kDouble),
      Column("created", ColumnType::kDateTime),
      Column("day", ColumnType::kDate),
      Column("dur", ColumnType::kTime),
      Column("status", ColumnType::kEnum),
      Column("data", ColumnType::kBlob),
      Column("doc", ColumnType::kJson),
      Column("shape", ColumnType::kGeometry),
      Column("Order Id", ColumnType::kBigInt),
  };
  columns[0].nullable = false;
  columns[4].is_unsigned = true;
  columns[9].labels = {"new", "paid"};
  auto table = TableSchema::Make(TableId{"shop", "orders"}, std::move(columns), {0});
  REQUIRE_MESSAGE(table.ok(), table.status().ToString());
  return *table;
}

Row OrderRow() {
  return Row{
      Value::Int(7),
      Value::String("Alice", 45),
      Value::String("AbC", 46),
      Value::Decimal("0.30"),
      Value::UInt(3),
      Value::Double(0.5),
      Value::DateTime(DateTimeValue{{2024, 1, 31}, 10, 0, 0, 0}),
      Value::Date(DateValue{2024, 1, 31}),
      Value::Time(TimeValue{true, 1, 30, 0, 0}),
      Value::Enum(2, "paid"),
      Value::Bytes(std::string("a\0b", 3)),
      Value::Json("{\"a\":1}"),
      Value::Geometry(0, "wkb"),
      Value::Int(42),
  };
}

// The filter's verdict on `row` (OrderRow() by default); the test fails on any error.
bool Holds(const std::string& expression, const Row& row = OrderRow()) {
  static const TableSchemaPtr table = OrdersTable();
  auto filter = RowFilter::Parse(expression);
  REQUIRE_MESSAGE(filter.ok(), filter.status().ToString());
  auto bound = filter->Bind(*table);
  REQUIRE_MESSAGE(bound.ok(), bound.status().ToString());
  auto matches = bound->Matches(row);
  REQUIRE_MESSAGE(matches.ok(), matches.status().ToString());
  return *matches;
}

Status BindError(const std::string& expression) {
  auto filter = RowFilter::Parse(expression);
  REQUIRE_MESSAGE(filter.ok(), filter.status().ToString());
  auto bound = filter->Bind(*OrdersTable());
  REQUIRE_FALSE(bound.ok());
  return bound.status();
}

std::string ParseError(const std::string& expression) {
  auto filter = RowFilter::Parse(expression);
  REQUIRE_FALSE(filter.ok());
  CHECK(filter.status().code() == StatusCode::kInvalidArgument);
  return filter.status().message();
}

}  // namespace

TEST_CASE("filter comparisons on integers hold exactly as written") {
  CHECK(Holds("id = 7"));
  CHECK_FALSE(Holds("id = 8"));
  CHECK(Holds("id <> 8"));
  CHECK(Holds("id != 8"));
  CHECK(Holds("id < 8"));
  CHECK_FALSE(Holds("id < 7"));
  CHECK(Holds("id <= 7"));
  CHECK(Holds("id > 6"));
  CHECK_FALSE(Holds("id > 7"));
  CHECK(Holds("id >= 7"));
  CHECK(Holds("7 = id"));
  CHECK(Holds("qty = 3"));  // unsigned
  CHECK(Holds("qty > -1"));
  CHECK(Holds("id > -9223372036854775808"));
  CHECK(Holds("ID = 7"));  // names are case-insensitive
  CHECK(Holds("`Order Id` = 42"));
}

TEST_CASE("filter logic combines with AND OR NOT and parentheses at MySQL precedence") {
  CHECK(Holds("id = 7 AND qty = 3"));
  CHECK_FALSE(Holds("id = 7 AND qty = 4"));
  CHECK(Holds("id = 8 OR qty = 3"));
  CHECK_FALSE(Holds("id = 8 or qty = 4"));
  CHECK(Holds("NOT id = 8"));
  CHECK_FALSE(Holds("not (id = 7)"));
  CHECK(Holds("id = 8 AND qty = 4 OR id = 7"));  // AND binds tighter than OR
  CHECK_FALSE(Holds("id = 8 AND (qty = 4 OR id = 7)"));
  CHECK(Holds("TRUE"));
  CHECK_FALSE(Holds("FALSE"));
  CHECK(Holds("qty"));  // a number as a condition: non-zero is true
  CHECK_FALSE(Holds("qty - 3"));
  CHECK(Holds("(id = 7) = TRUE"));
}

TEST_CASE("filter NULLs follow three-valued logic and only TRUE passes a row") {
  Row row = OrderRow();
  row[1] = Value::Null();  // name
  CHECK_FALSE(Holds("name = 'x'", row));
  CHECK_FALSE(Holds("name <> 'x'", row));
  CHECK_FALSE(Holds("NOT (name = 'x')", row));  // NOT unknown is unknown
  CHECK(Holds("name IS NULL", row));
  CHECK_FALSE(Holds("name IS NOT NULL", row));
  CHECK(Holds("code IS NOT NULL", row));
  CHECK_FALSE(Holds("name = 'x' AND id = 7", row));
  CHECK_FALSE(Holds("name = 'x' AND id = 8", row));
  CHECK(Holds("NOT (name = 'x' AND id = 8)", row));  // FALSE AND unknown is FALSE
  CHECK(Holds("name = 'x' OR id = 7", row));         // TRUE OR unknown is TRUE
  CHECK_FALSE(Holds("name = 'x' OR id = 8", row));
  CHECK_FALSE(Holds("NOT (name = 'x' OR id = 8)", row));
  CHECK_FALSE(Holds("NULL = NULL"));
  CHECK(Holds("NULL IS NULL"));
  CHECK_FALSE(Holds("id + NULL = 7"));
  CHECK_FALSE(Holds("name IN ('a', 'b')", row));
  CHECK_FALSE(Holds("NOT (name IN ('a', 'b'))", row));
  CHECK(Holds("id IN (7, NULL)"));
  CHECK_FALSE(Holds("id IN (8, NULL)"));
  CHECK_FALSE(Holds("NOT (id IN (8, NULL))"));  // unknown, not TRUE
  CHECK_FALSE(Holds("id NOT IN (8, NULL)"));
  CHECK_FALSE(Holds("id BETWEEN NULL AND 10"));
  CHECK_FALSE(Holds("NOT (id BETWEEN NULL AND 10)"));
  CHECK(Holds("NOT (id BETWEEN NULL AND 5)"));  // above the high bound: FALSE whatever the low
  CHECK_FALSE(Holds("name LIKE '%'", row));
}

TEST_CASE("filter IN, BETWEEN and LIKE hold with and without NOT") {
  CHECK(Holds("id IN (1, 7, 9)"));
  CHECK_FALSE(Holds("id IN (1, 9)"));
  CHECK(Holds("id NOT IN (1, 9)"));
  CHECK(Holds("id IN (1 + 6)"));
  CHECK(Holds("id BETWEEN 7 AND 10"));
  CHECK(Holds("id BETWEEN 1 AND 7"));
  CHECK_FALSE(Holds("id BETWEEN 8 AND 10"));
  CHECK(Holds("id NOT BETWEEN 8 AND 10"));
  CHECK(Holds("id BETWEEN 1 AND 10 AND qty = 3"));
  CHECK(Holds("name LIKE 'Al%'"));
  CHECK(Holds("name LIKE '_lice'"));
  CHECK(Holds("name LIKE '%i%e'"));
  CHECK_FALSE(Holds("name LIKE 'Al'"));
  CHECK(Holds("name NOT LIKE 'Bo%'"));
  CHECK(Holds("name LIKE 'al%'"));        // _ci: case-insensitive
  CHECK_FALSE(Holds("code LIKE 'abc'"));  // _bin: exact
  CHECK(Holds("code LIKE 'A_C'"));
  CHECK(Holds("id LIKE '7'"));  // numbers match as their text
  CHECK(Holds("created LIKE '2024-01-%'"));
  Row row = OrderRow();
  row[1] = Value::String("50%_off é", 45);
  CHECK(Holds("name LIKE '50\\%\\_off%'", row));
  CHECK_FALSE(Holds("name LIKE '50\\%\\_\\_ff%'", row));
  CHECK(Holds("name LIKE '%OFF _'", row));
  CHECK(Holds("name LIKE '%off e'", row));  // _ci ignores accents
  row[2] = Value::String("é", 46);
  CHECK(Holds("code LIKE '_'", row));  // _bin: _ is one character of two bytes
  CHECK_FALSE(Holds("code LIKE '__'", row));
}

TEST_CASE("filter arithmetic is exact on integers and decimals") {
  CHECK(Holds("id + 1 = 8"));
  CHECK(Holds("id - 10 = -3"));
  CHECK(Holds("id * qty = 21"));
  CHECK(Holds("id % 4 = 3"));
  CHECK(Holds("-id = -7"));
  CHECK(Holds("- -id = 7"));
  CHECK(Holds("1 + 2 * 3 = 7"));
  CHECK(Holds("(1 + 2) * 3 = 9"));
  CHECK(Holds("id / 2 = 3.5"));
  CHECK(Holds("1 / 3 = 0.3333"));  // the dividend's scale plus 4, as MySQL
  CHECK(Holds("2 / 3 = 0.6667"));  // rounded half away from zero
  CHECK(Holds("-2 / 3 = -0.6667"));
  CHECK(Holds("-7 % 3 = -1"));  // the sign of the dividend
  CHECK(Holds("5.5 % 2 = 1.5"));
  CHECK(Holds("0.1 + 0.2 = 0.3"));
  CHECK(Holds("price = 0.1 + 0.2"));  // DECIMAL column '0.30'
  CHECK(Holds("price = 0.3"));
  CHECK(Holds("price * qty = 0.9"));
  CHECK(Holds("price - 0.3 = 0"));
  CHECK_FALSE(Holds("price = 0.30000000000000004"));
  CHECK(Holds("ratio = 0.5"));
  CHECK(Holds("ratio * 2 = 1"));
  CHECK(Holds("id / 0 IS NULL"));  // division by zero is NULL, as MySQL
  CHECK(Holds("id % 0 IS NULL"));
  CHECK(Holds("1e1 = 10"));  // an exponent makes a double
  // Beyond 38 digits arithmetic is approximate, but comparison of decimals stays exact.
  Row row = OrderRow();
  row[3] = Value::Decimal("12345678901234567890123456789012345678901.5");
  CHECK(Holds("price = 12345678901234567890123456789012345678901.5", row));
  CHECK_FALSE(Holds("price = 12345678901234567890123456789012345678901.50001", row));
  CHECK(Holds("price > 12345678901234567890123456789012345678901.4999", row));
  CHECK(Holds("price > 1", row));
  CHECK(Holds("99999999999999999999999999999999999999 * 10 > 1e38"));  // overflow: double
}

TEST_CASE("filter text compares under the column's collation") {
  CHECK(Holds("name = 'alice'"));  // utf8mb4_general_ci
  CHECK(Holds("'ALICE' = name"));
  CHECK(Holds("name = 'Alice   '"));  // PAD SPACE
  CHECK(Holds("name = 'alicé'"));     // accent-insensitive
  CHECK(Holds("name > 'aaa'"));
  CHECK(Holds("name < 'BOB'"));
  CHECK_FALSE(Holds("code = 'abc'"));  // utf8mb4_bin
  CHECK(Holds("code = 'AbC'"));
  CHECK(Holds("code IN ('x', 'AbC')"));
  CHECK_FALSE(Holds("'a' = 'A'"));     // two literals compare as bytes
  CHECK(Holds("'it''s' = 'it\\'s'"));  // both escapes of a quote
  CHECK(Holds("data = 'a\\0b'"));      // binary compares bytes
  CHECK_FALSE(Holds("data = 'A\\0B'"));
  CHECK(Holds("doc = '{\"a\":1}'"));
}

TEST_CASE("filter text and numbers compare as numbers, as MySQL does") {
  CHECK(Holds("id = '7'"));
  CHECK(Holds("id = ' 7.0 '"));
  CHECK(Holds("id < '10'"));   // numerically, not as text
  CHECK(Holds("'7abc' = 7"));  // the numeric prefix
  CHECK(Holds("'abc' = 0"));
  Row row = OrderRow();
  row[1] = Value::String("12", 45);
  CHECK(Holds("name = 12", row));
  CHECK(Holds("name > 9", row));
}

TEST_CASE("filter temporal, ENUM and TIME values compare as MySQL writes them") {
  CHECK(Holds("created = '2024-01-31 10:00:00'"));
  CHECK(Holds("created >= '2024-01-01 00:00:00' AND created < '2024-02-01'"));
  CHECK_FALSE(Holds("created < '2024-01-31 09:59:59'"));
  CHECK(Holds("day = '2024-01-31'"));
  CHECK(Holds("day BETWEEN '2024-01-01' AND '2024-12-31'"));
  CHECK(Holds("dur = '-01:30:00'"));
  CHECK(Holds("status = 'paid'"));
  CHECK_FALSE(Holds("status = 'PAID'"));  // an ENUM without a collation: labels as bytes
  CHECK(Holds("status = 2"));             // by index
  CHECK(Holds("status IN ('new', 'paid')"));
  Row row = OrderRow();
  row[6] = Value::DateTime(DateTimeValue{{2024, 1, 31}, 10, 0, 0, 500}, 6);
  CHECK(Holds("created = '2024-01-31 10:00:00.000500'", row));
}

TEST_CASE("filter syntax errors quote the expression and the position") {
  CHECK(ParseError("a = = 1") ==
        "filter 'a = = 1': syntax error at position 5 near '= 1': expected a column, a literal "
        "or '('");
  CHECK(ParseError("a = 1 b") ==
        "filter 'a = 1 b': syntax error at position 7 near 'b': expected an operator or the end");
  CHECK(ParseError("(a = 1") == "filter '(a = 1': syntax error at the end: expected ')'");
  CHECK(ParseError("") ==
        "filter '': syntax error at the end: expected a column, a literal or '('");
  CHECK(ParseError("name = 'abc").find("position 8 near ''abc': unterminated 'text'") !=
        std::string::npos);
  CHECK(ParseError("a IN 1").find("position 6 near '1': expected '(' after IN") !=
        std::string::npos);
  CHECK(ParseError("a BETWEEN 1 OR 2").find("expected AND in BETWEEN") != std::string::npos);
  CHECK(ParseError("a LIKE b").find("expected a 'pattern' after LIKE") != std::string::npos);
  CHECK(ParseError("a IS 1").find("expected NULL or NOT NULL after IS") != std::string::npos);
  CHECK(ParseError("a = \"x\"").find("position 5") != std::string::npos);
  CHECK(ParseError("a = 1.2.3").find("bad number") != std::string::npos);
  CHECK(ParseError("a # 1").find("position 3") != std::string::npos);
  CHECK(ParseError("and = 1").find("position 1") != std::string::npos);  // reserved word
  CHECK(ParseError("é = = 1").find("position 5") != std::string::npos);  // counts characters
}

TEST_CASE("binding a filter names an unknown column, the table and its columns") {
  Status status = BindError("id = 1 AND nmae = 'x'");
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message() ==
        "filter 'id = 1 AND nmae = 'x'' on table shop.orders: unknown column 'nmae'; the "
        "table's columns are id, name, code, price, qty, ratio, created, day, dur, status, "
        "data, doc, shape, Order Id");
}

TEST_CASE("binding a filter rejects type errors before any row") {
  CHECK(BindError("'abc' + 1 = 1").message() ==
        "filter ''abc' + 1 = 1' on table shop.orders: operator + takes numbers, but 'abc' is "
        "text");
  CHECK(BindError("created + 1 > 0")
            .message()
            .find("operator + takes numbers, but 'created' is a date or time") !=
        std::string::npos);
  CHECK(BindError("-name = 1").message().find("unary -") != std::string::npos);
  CHECK(BindError("created = 20240131")
            .message()
            .find("'created' (a date or time) does not compare with '20240131' (a number)") !=
        std::string::npos);
  CHECK(BindError("data = 1").message().find("binary") != std::string::npos);
  CHECK(BindError("shape = 'x'").message().find("GEOMETRY") != std::string::npos);
  CHECK(BindError("id IN (1, day)").message().find("'day'") != std::string::npos);
  CHECK(BindError("name").message() ==
        "filter 'name' on table shop.orders: 'name' is text, not a condition (true or false); "
        "compare it with a value");
  CHECK(BindError("id = 1 AND name").message().find("'name' is text") != std::string::npos);
  CHECK(BindError("shape LIKE 'x'").message().find("LIKE takes text") != std::string::npos);
  CHECK(Holds("shape IS NOT NULL"));
}

TEST_CASE("a filter is bound once per table and shares its parsed expression") {
  auto filter = RowFilter::Parse("v = 'x'");
  REQUIRE(filter.ok());
  CHECK_FALSE(filter->bound());
  auto unbound = filter->Matches(Row{Value::Int(1), Value::String("x", 45)});
  REQUIRE_FALSE(unbound.ok());
  CHECK(unbound.status().code() == StatusCode::kInternal);

  std::vector<ColumnSchema> a_columns = {Column("id", ColumnType::kBigInt),
                                         Column("v", ColumnType::kVarChar, "utf8mb4_bin")};
  std::vector<ColumnSchema> b_columns = {Column("v", ColumnType::kVarChar, "utf8mb4_general_ci")};
  auto a = TableSchema::Make(TableId{"db", "a"}, a_columns, {});
  auto b = TableSchema::Make(TableId{"db", "b"}, b_columns, {});
  REQUIRE((a.ok() && b.ok()));
  auto on_a = filter->Bind(**a);
  auto on_b = filter->Bind(**b);
  REQUIRE((on_a.ok() && on_b.ok()));
  CHECK(on_a->bound());
  CHECK(on_a->expression() == "v = 'x'");
  CHECK(*on_a->Matches(Row{Value::Int(1), Value::String("x", 46)}));
  CHECK_FALSE(*on_a->Matches(Row{Value::Int(1), Value::String("X", 46)}));  // _bin
  CHECK(*on_b->Matches(Row{Value::String("X", 45)}));                       // _ci
  auto short_row = on_a->Matches(Row{Value::Int(1)});
  REQUIRE_FALSE(short_row.ok());
  CHECK(short_row.status().message().find("the row has 1 values") != std::string::npos);

  auto constant = RowFilter::Parse("1 + 1 = 2");
  REQUIRE(constant.ok());
  CHECK(*constant->Matches(Row{}));  // names no column: needs no binding
}

}  // namespace cdc
