#include "connectors/mysql/source/binlog/binlog_gtid_position.h"

#include <fmt/format.h>

#include "connectors/mysql/client/sql_literal.h"

namespace cdc {

Result<std::optional<GtidState>> GtidStateAt(MysqlConnection& connection,
                                             const BinlogPosition& position) {
  if (!connection.is_mariadb() || position.empty()) return std::optional<GtidState>();
  std::string sql = "SELECT BINLOG_GTID_POS(";
  AppendQuoted(position.file, sql);
  sql += fmt::format(", {})", position.offset);
  auto rows = connection.Query(sql);
  if (!rows.ok()) return rows.status();
  if (rows->empty() || !(*rows)[0][0]) return std::optional<GtidState>();
  auto parsed = GtidState::Parse(*(*rows)[0][0]);
  if (!parsed.ok()) return std::optional<GtidState>();
  return std::optional<GtidState>(std::move(parsed).value());
}

}  // namespace cdc
