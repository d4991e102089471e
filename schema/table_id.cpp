#include "schema/table_id.h"

namespace cdc {

std::string QuoteIdentifier(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out.push_back('`');
    out.push_back(c);
  }
  out.push_back('`');
  return out;
}

std::string TableId::ToString() const {
  return database + "." + table;
}

std::string TableId::Quoted() const {
  return QuoteIdentifier(database) + "." + QuoteIdentifier(table);
}

size_t TableIdHash::operator()(const TableId& id) const {
  const size_t db_hash = std::hash<std::string>{}(id.database);
  const size_t table_hash = std::hash<std::string>{}(id.table);
  // boost::hash_combine's mix: plain XOR would make ("a","b") and ("b","a") collide.
  return db_hash ^ (table_hash + 0x9e3779b97f4a7c15ULL + (db_hash << 6) + (db_hash >> 2));
}

}  // namespace cdc
