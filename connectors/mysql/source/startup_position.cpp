#include "connectors/mysql/source/startup_position.h"

#include <fmt/format.h>
#include <mysqld_error.h>

#include "connectors/mysql/source/binlog/binlog_gtid_position.h"
#include "connectors/mysql/source/snapshot/snapshot_opener.h"
#include "runtime/ascii.h"

namespace cdc {

Result<BinlogEnd> CheckSourceServer(MysqlConnection& connection,
                                    const MysqlCdcSourceOptions& options) {
  std::string server = options.connection.Describe();
  auto rows =
      connection.Query("SELECT @@log_bin, @@binlog_format, @@binlog_row_image, @@server_id");
  if (!rows.ok()) return rows.status();
  const auto& row = (*rows)[0];
  auto text = [&](size_t i) { return row[i] ? *row[i] : std::string(); };
  if (text(0) != "1" && AsciiLower(text(0)) != "on") {
    return Status::InvalidArgument(fmt::format(
        "binary logging is off on {}: start the server with log_bin (log-bin=mysql-bin in my.cnf)",
        server));
  }
  if (AsciiLower(text(1)) != "row") {
    return Status::InvalidArgument(fmt::format(
        "binlog_format is {} on {}: a CDC source needs ROW; run SET GLOBAL binlog_format = 'ROW' "
        "and set binlog_format=ROW in my.cnf",
        text(1), server));
  }
  if (AsciiLower(text(2)) != "full") {
    return Status::InvalidArgument(fmt::format(
        "binlog_row_image is {} on {}: a CDC source needs FULL row images; run SET GLOBAL "
        "binlog_row_image = 'FULL' and set binlog_row_image=FULL in my.cnf",
        text(2), server));
  }
  if (options.startup != StartupMode::kSnapshot && text(3) == std::to_string(options.server_id)) {
    return Status::InvalidArgument(fmt::format(
        "server id {} is the id of the source server {} itself: give the source another server id",
        options.server_id, server));
  }
  auto status = connection.Query("SHOW MASTER STATUS");
  if (!status.ok()) {
    unsigned int error = connection.last_error().number;
    if (error == ER_SPECIFIC_ACCESS_DENIED_ERROR || error == ER_ACCESS_DENIED_ERROR ||
        error == ER_DBACCESS_DENIED_ERROR) {
      return Status::InvalidArgument(fmt::format(
          "{}; the user may not read binlog status: GRANT REPLICATION SLAVE, REPLICATION CLIENT "
          "ON *.* TO the user (MariaDB 10.5+: REPLICATION SLAVE, BINLOG MONITOR)",
          status.status().message()));
    }
    return status.status();
  }
  if (status->empty() || !(*status)[0][0]) {
    return Status::InvalidArgument(fmt::format(
        "SHOW MASTER STATUS returns nothing on {}: binary logging is off; start the server with "
        "log_bin",
        server));
  }
  auto offset = ParseDecimal((*status)[0][1].value_or(""));
  if (!offset) {
    return Status::IoError(fmt::format("SHOW MASTER STATUS on {} gave no binlog offset", server));
  }
  BinlogEnd end;
  end.position = BinlogPosition{*(*status)[0][0], *offset};
  if (options.startup == StartupMode::kInitial || options.startup == StartupMode::kSnapshot) {
    CDC_RETURN_IF_ERROR(SnapshotOpener::CheckGrant(connection, options.snapshot.locking));
  }
  auto gtids = GtidStateAt(connection, end.position);
  if (!gtids.ok()) return gtids.status();
  end.gtids = gtids->value_or(GtidState());
  return end;
}

Status CheckServerId(const MysqlCdcSourceOptions& options) {
  if (options.server_id == 0 && options.startup != StartupMode::kSnapshot) {
    return Status::InvalidArgument(
        "mysql source: no server id: give the source a server id that no other replica of the "
        "source server uses");
  }
  return Status::Ok();
}

Result<StartupPosition> ResolveStartupPosition(MysqlConnection& connection,
                                               const MysqlCdcSourceOptions& options,
                                               const BinlogEnd& end) {
  StartupPosition start;
  switch (options.startup) {
    case StartupMode::kInitial:
    case StartupMode::kSnapshot: break;
    case StartupMode::kLatest: start.binlog = end.position; break;
    case StartupMode::kEarliest:
    case StartupMode::kTimestamp: {
      auto logs = connection.Query("SHOW BINARY LOGS");
      if (!logs.ok()) return logs.status();
      if (logs->empty() || !(*logs)[0][0])
        return Status::IoError("SHOW BINARY LOGS lists no binlog");
      start.binlog = BinlogPosition{*(*logs)[0][0], 4};
      if (options.startup == StartupMode::kTimestamp)
        start.skip_before_s = options.start_timestamp_ms / 1000;
      break;
    }
    case StartupMode::kSpecific: {
      // A binlog file name has a '.' before its sequence number; GTIDs have none.
      size_t colon = options.start_position.rfind(':');
      if (colon != std::string::npos && options.start_position.find('.') < colon) {
        auto position = BinlogPosition::Parse(options.start_position);
        if (!position.ok()) return position.status();
        start.binlog = *position;
      } else {
        auto gtids = GtidState::Parse(options.start_position);
        if (!gtids.ok()) {
          return Status::InvalidArgument(fmt::format(
              "start position '{}' is neither file:offset (mysql-bin.000003:4) nor MariaDB GTIDs "
              "(0-1-42)",
              options.start_position));
        }
        start.gtids = options.start_position;
        start.gtid_state = *gtids;
      }
      break;
    }
  }
  return start;
}

}  // namespace cdc
