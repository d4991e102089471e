// A table's schema before and after one ALTER, as the source's catalog sees them, and that
// ALTER as the schema-change barrier a source emits (position left to the test): for tests of
// what the sink does with a schema change without running a source.
#pragma once

#include <doctest/doctest.h>

#include <memory>
#include <string>
#include <vector>

#include "schema/ddl_parser.h"
#include "schema/row_change.h"
#include "schema/schema_catalog.h"

namespace cdc::testing {

struct CatalogSchemaChange {
  TableSchemaPtr before;
  TableSchemaPtr after;
  RowChange barrier;
};

// `create` (a CREATE TABLE t ...) then `alter` (an ALTER TABLE t ...), in `database`.
inline CatalogSchemaChange SchemaChangeOf(const std::string& database, const std::string& create,
                                          const std::string& alter) {
  SchemaCatalog catalog;
  std::vector<TableId> named;
  std::vector<SchemaChange> changes;
  auto apply = [&](const std::string& sql) {
    auto statement = ParseDdl(sql, database);
    REQUIRE(statement.ok());
    REQUIRE(catalog.Apply(*statement, sql, named, changes).ok());
  };
  CatalogSchemaChange result;
  apply(create);
  result.before = catalog.Find(TableId{database, "t"});
  apply(alter);
  REQUIRE(changes.size() == 1);
  result.after = catalog.Find(TableId{database, "t"});
  result.barrier.kind = ChangeKind::kSchemaChange;
  result.barrier.table = result.after.get();
  result.barrier.schema_change = std::make_shared<const SchemaChange>(changes[0]);
  return result;
}

}  // namespace cdc::testing
