// Comparing a copied table's definition with its source's, as information_schema shows them:
// COLUMNS (name, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, CHARACTER_SET_NAME,
// COLLATION_NAME, and the ON UPDATE part of EXTRA), STATISTICS (INDEX_NAME, SEQ_IN_INDEX,
// COLUMN_NAME, SUB_PART, NON_UNIQUE, INDEX_TYPE, COLLATION) and TABLES (TABLE_COMMENT,
// TABLE_COLLATION). Only the differences the MySQL sink documents may be allowed: its
// logical-delete columns, unique keys it keeps as plain indexes under logical deletes, and
// columns a projection drops (with the indexes over them). AUTO_INCREMENT, generated columns,
// the engine and partitioning are never compared.
#pragma once

#include <doctest/doctest.h>
#include <fmt/format.h>

#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/client/sql_literal.h"
#include "runtime/ascii.h"

namespace cdc::testing {

// What a copy may differ in from its source.
struct DefinitionAllowance {
  std::set<std::string> target_only_columns;  // the logical-delete columns
  std::set<std::string>
      unique_made_plain;                  // index names: NON_UNIQUE 0 on the source, 1 on the copy
  std::set<std::string> dropped_columns;  // source columns a projection drops
};

// One table's definition as lines of text. `source` says which side it is, for the allowance.
inline std::string TableDefinition(MysqlConnection& connection, const std::string& database,
                                   const std::string& table, const DefinitionAllowance& allowance,
                                   bool source) {
  std::string where = " WHERE TABLE_SCHEMA = ";
  AppendQuoted(database, where);
  where += " AND TABLE_NAME = ";
  AppendQuoted(table, where);
  const std::set<std::string>& skipped =
      source ? allowance.dropped_columns : allowance.target_only_columns;
  auto skip = [&skipped](const std::string& column) {
    return skipped.count(AsciiLower(column)) != 0;
  };
  auto text = [](const std::optional<std::string>& value) {
    return value ? "'" + *value + "'" : std::string("NULL");
  };

  std::string out;
  auto tables = connection.Query(
      "SELECT TABLE_COMMENT, TABLE_COLLATION FROM information_schema.TABLES" + where);
  REQUIRE_MESSAGE(tables.ok(), tables.status().ToString());
  REQUIRE_MESSAGE(tables->size() == 1, fmt::format("{}.{} does not exist", database, table));
  out +=
      fmt::format("table comment {} collation {}\n", text((*tables)[0][0]), text((*tables)[0][1]));

  auto columns = connection.Query(
      "SELECT COLUMN_NAME, COLUMN_TYPE, IS_NULLABLE, COLUMN_DEFAULT, COLUMN_COMMENT, "
      "CHARACTER_SET_NAME, COLLATION_NAME, EXTRA FROM information_schema.COLUMNS" +
      where + " ORDER BY ORDINAL_POSITION");
  REQUIRE_MESSAGE(columns.ok(), columns.status().ToString());
  for (const auto& row : *columns) {
    if (skip(*row[0])) continue;
    const std::string extra = AsciiLower(row[7].value_or(""));
    const size_t on_update = extra.find("on update ");
    out += fmt::format("column {} {} null {} default {} comment {} charset {} collation {} {}\n",
                       *row[0], *row[1], *row[2], text(row[3]), text(row[4]), text(row[5]),
                       text(row[6]), on_update == std::string::npos ? "" : extra.substr(on_update));
  }

  auto statistics = connection.Query(
      "SELECT INDEX_NAME, SEQ_IN_INDEX, COLUMN_NAME, SUB_PART, NON_UNIQUE, INDEX_TYPE, COLLATION "
      "FROM information_schema.STATISTICS" +
      where + " ORDER BY INDEX_NAME, SEQ_IN_INDEX");
  REQUIRE_MESSAGE(statistics.ok(), statistics.status().ToString());
  std::set<std::string> dropped_indexes;  // over a column the projection drops
  if (source) {
    for (const auto& row : *statistics) {
      if (row[2] && skip(*row[2])) dropped_indexes.insert(*row[0]);
    }
  }
  for (const auto& row : *statistics) {
    if (dropped_indexes.count(*row[0]) != 0) continue;
    std::string non_unique = *row[4];
    if (allowance.unique_made_plain.count(*row[0]) != 0 && non_unique == (source ? "0" : "1")) {
      non_unique = "unique made plain";
    }
    out += fmt::format("index {} {} {} prefix {} non_unique {} type {} order {}\n", *row[0],
                       *row[1], text(row[2]), text(row[3]), non_unique, *row[5], text(row[6]));
  }
  return out;
}

// The first difference between source_database.table and target_database.table (which may be
// on two servers), as both definitions; empty when they are equal but for `allowance`.
inline std::string DefinitionDifference(MysqlConnection& source, const std::string& source_database,
                                        MysqlConnection& target, const std::string& target_database,
                                        const std::string& table,
                                        const DefinitionAllowance& allowance = {}) {
  std::string from = TableDefinition(source, source_database, table, allowance, true);
  std::string to = TableDefinition(target, target_database, table, allowance, false);
  if (from == to) return "";
  return fmt::format("{}.{} definition:\n{}differs from {}.{}:\n{}", source_database, table, from,
                     target_database, table, to);
}

}  // namespace cdc::testing
