// Test support for the DDL parser and apply tests: parse a statement expecting success, a
// given statement kind or an error, and print a column in one line.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include <doctest/doctest.h>

#include "schema/ddl_parser.h"

namespace cdc {

inline DdlStatement Parse(std::string_view sql, std::string_view database = "shop") {
  auto statement = ParseDdl(sql, database);
  REQUIRE_MESSAGE(statement.ok(), statement.status().ToString());
  return std::move(statement).value();
}

template <typename T>
T ParseAs(std::string_view sql, std::string_view database = "shop") {
  DdlStatement statement = Parse(sql, database);
  REQUIRE_MESSAGE(std::holds_alternative<T>(statement), "statement kind ", statement.index());
  return std::get<T>(std::move(statement));
}

// The message of the InvalidArgument that parsing `sql` fails with.
inline std::string ErrorOf(std::string_view sql) {
  auto statement = ParseDdl(sql, "shop");
  REQUIRE_FALSE(statement.ok());
  CHECK(statement.status().code() == StatusCode::kInvalidArgument);
  return statement.status().message();
}

// "name sqltype [NOT NULL] [collation]": a column in one line.
inline std::string Summary(const ColumnSchema& column) {
  std::string out = column.name + " " + column.SqlType();
  if (!column.nullable) out += " NOT NULL";
  if (!column.collation.empty()) out += " " + column.collation;
  return out;
}

}  // namespace cdc
