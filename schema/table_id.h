// TableId: the identity of a table, its database and table names. Immutable value type.
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace cdc {

// `name` in backticks, backticks inside doubled: a MySQL identifier.
std::string QuoteIdentifier(std::string_view name);

struct TableId {
  std::string database;
  std::string table;

  // "db.t", for logs.
  std::string ToString() const;
  // "`db`.`t`", backticks doubled inside names, for SQL.
  std::string Quoted() const;

  friend bool operator==(const TableId&, const TableId&) = default;
  friend auto operator<=>(const TableId&, const TableId&) = default;
};

struct TableIdHash {
  size_t operator()(const TableId& id) const;
};

}  // namespace cdc
