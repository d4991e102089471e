// DdlFollower: the schemas of the tables a MysqlCdcSource reads, as of the binlog position it
// decodes. It owns the schema catalog, follows each DDL statement of the stream in it, decides
// which schema changes the captured tables see (a table renamed into the captured set appears
// as a create, one renamed out of it as a drop), and checks each binlog table map against the
// catalog: a table map whose columns differ from the known schema without a DDL for the table
// in the stream is an error, since the position the stream started at may predate a schema
// change.
//
// A statement the parser cannot read stops the job when it names a captured table, unless
// `skip_unparseable_ddl`; one the catalog cannot follow is passed over with a warning, and the
// tables it names then take their columns from their next table maps.
//
// Thread-bound, like the source that holds it.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <vector>

#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/binlog/table_map.h"
#include "connectors/mysql/source/table_filter.h"
#include "schema/ddl_statement.h"
#include "schema/schema_catalog.h"
#include "schema/schema_change.h"

namespace cdc {

// Whether `statement` names `table`: as its subject, the source of a LIKE, either side of a
// rename, or by dropping its database.
bool DdlNames(const DdlStatement& statement, const TableId& table);

class DdlFollower {
 public:
  DdlFollower() = default;
  // `filter` says which tables are captured; `catalog` holds their schemas at the start.
  DdlFollower(TableFilter filter, SchemaCatalog catalog, bool skip_unparseable_ddl)
      : filter_(std::move(filter)),
        catalog_(std::move(catalog)),
        skip_unparseable_ddl_(skip_unparseable_ddl) {}

  const SchemaCatalog& catalog() const { return catalog_; }
  TableSchemaPtr Find(const TableId& table) const { return catalog_.Find(table); }
  // Sets `schema` in the catalog (a table that joined the capture list, as the server has it).
  void Put(TableSchemaPtr schema) { catalog_.Put(std::move(schema)); }
  // Replaces the catalog (the schemas as of a restored checkpoint).
  void Restore(SchemaCatalog catalog) { catalog_ = std::move(catalog); }

  // What `statement` does to table schemas. nullopt when there is nothing to follow: it
  // changes no schema, or it cannot be parsed and names no captured table (or
  // skip_unparseable_ddl is set), which is logged. InvalidArgument, naming the statement, its
  // position and the table, when it cannot be parsed and names a captured table.
  Result<std::optional<DdlStatement>> Parse(const BinlogDecoder::Statement& statement);

  // The captured table that `ddl` truncates; nullptr when `ddl` is no TRUNCATE or its table is
  // unknown or not captured.
  TableSchemaPtr Truncated(const DdlStatement& ddl);

  // Applies `ddl`, parsed from `statement`, to the catalog, except to the `held` tables, whose
  // schemas stay as they are (tables whose snapshot was read after the statement). Returns the
  // schema changes of captured tables, in order, each with the source's GTID state once the
  // statement is applied (`gtids`: the state before it); none when the catalog could not
  // follow the statement (logged; its tables' next table maps then decide their columns).
  std::vector<SchemaChange> Apply(const DdlStatement& ddl,
                                  const BinlogDecoder::Statement& statement,
                                  const std::set<TableId>& held, const GtidState& gtids);

  // The schema to decode the rows of `map` with: the catalog's (with its unique keys) when the
  // columns agree, else the table map's when a DDL named the table, or when
  // `snapshot_holds_event` (a table that joined the capture list, changed before its snapshot:
  // its events up to there are passed over). InvalidArgument otherwise, naming the table and
  // the first column that differs.
  Result<TableSchemaPtr> SchemaOf(const TableMap& map, bool snapshot_holds_event);

 private:
  // The schema changes that captured tables see of `change`.
  std::vector<SchemaChange> CapturedChanges(const SchemaChange& change);
  bool Captured(const TableSchemaPtr& schema) {
    return schema != nullptr && filter_.Accepts(schema->id());
  }

  TableFilter filter_;  // Accepts caches: not const
  SchemaCatalog catalog_;
  bool skip_unparseable_ddl_ = false;
  std::set<TableId> altered_;  // tables a DDL in the stream named: their table maps rule
  std::string unparsed_ddl_;   // why the last DDL that could not be parsed or followed failed
};

}  // namespace cdc
