#include "connectors/mysql/source/snapshot/snapshot_opener.h"

#include <mysqld_error.h>

#include <fmt/format.h>

#include "runtime/ascii.h"

namespace cdc {
namespace {

constexpr const char* kStartSnapshot = "START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY";

Result<BinlogPosition> PositionFromRow(const MysqlConnection::ResultRow& row, const char* what) {
  std::optional<uint64_t> offset;
  if (row.size() >= 2 && row[1]) offset = ParseDecimal(*row[1]);
  if (!row[0] || row[0]->empty() || !offset) {
    return Status::IoError(
        fmt::format("{} returned no binlog file and offset: is binary "
                    "logging on (log_bin)?",
                    what));
  }
  return BinlogPosition{*row[0], *offset};
}

// The binlog's current end (SHOW MASTER STATUS).
Result<BinlogPosition> MasterPosition(MysqlConnection& connection) {
  auto rows = connection.Query("SHOW MASTER STATUS");
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return Status::IoError(
        "SHOW MASTER STATUS returned nothing: binary logging is off; start "
        "the server with log_bin");
  }
  return PositionFromRow((*rows)[0], "SHOW MASTER STATUS");
}

// MariaDB: the position of the session's consistent snapshot, from status variables a
// concurrent SHOW STATUS can overwrite (see the header): only for SnapshotLocking::kNone.
Result<BinlogPosition> SnapshotStatusPosition(MysqlConnection& connection) {
  auto rows = connection.Query("SHOW STATUS LIKE 'binlog_snapshot_%'");
  if (!rows.ok()) return rows.status();
  MysqlConnection::ResultRow position(2);
  for (const auto& row : *rows) {
    if (!row[0]) continue;
    if (*row[0] == "Binlog_snapshot_file") position[0] = row[1];
    if (*row[0] == "Binlog_snapshot_position") position[1] = row[1];
  }
  return PositionFromRow(position, "SHOW STATUS LIKE 'binlog_snapshot_%'");
}

// `error` of `statement`, server error `number`; an access error names the grant to give.
Status GrantError(const Status& error, unsigned int number, const char* statement) {
  if (number != ER_SPECIFIC_ACCESS_DENIED_ERROR && number != ER_ACCESS_DENIED_ERROR &&
      number != ER_DBACCESS_DENIED_ERROR) {
    return error;
  }
  return Status::InvalidArgument(fmt::format(
      "{}; the source's user may not block commits for the instant a table's snapshot opens "
      "({} needs the RELOAD privilege), which keeps a change committed in that instant from "
      "being lost: GRANT RELOAD ON *.* TO the user, or set scan.snapshot.locking: none "
      "(weaker: only safe while nothing writes to the source as snapshots open)",
      error.message(), statement));
}

}  // namespace

Result<SnapshotLocking> ParseSnapshotLocking(std::string_view text) {
  if (text == "minimal") return SnapshotLocking::kMinimal;
  if (text == "none") return SnapshotLocking::kNone;
  return Status::InvalidArgument(
      fmt::format("unknown snapshot locking '{}': use minimal or none", text));
}

bool SnapshotOpener::HasBackupStage(const MysqlConnection& connection) {
  if (!connection.is_mariadb()) return false;
  std::string_view version = connection.server_version();
  size_t dot = version.find('.');
  size_t end = version.find_first_not_of("0123456789", dot + 1);
  if (dot == std::string_view::npos) return false;
  auto major = ParseDecimal(version.substr(0, dot));
  auto minor = ParseDecimal(version.substr(dot + 1, end - dot - 1));
  return major && minor && (*major > 10 || (*major == 10 && *minor >= 4));
}

Status SnapshotOpener::CheckGrant(MysqlConnection& connection, SnapshotLocking locking) {
  if (locking == SnapshotLocking::kNone) return Status::Ok();
  if (HasBackupStage(connection)) {
    // BACKUP STAGE START blocks nothing but other backups: a harmless probe of the privilege.
    Status status = connection.Execute("BACKUP STAGE START");
    if (!status.ok()) return GrantError(status, connection.last_error().number, "BACKUP STAGE");
    return connection.Execute("BACKUP STAGE END");
  }
  // FLUSH TABLES WITH READ LOCK would block the server to probe; read the grants instead.
  auto grants = connection.Query("SHOW GRANTS FOR CURRENT_USER()");
  if (!grants.ok()) return grants.status();
  for (const auto& row : *grants) {
    std::string grant = row[0] ? AsciiLower(*row[0]) : std::string();
    if (grant.find(" on *.*") != std::string::npos &&
        (grant.find("all privileges") != std::string::npos ||
         grant.find("reload") != std::string::npos)) {
      return Status::Ok();
    }
  }
  return GrantError(Status::InvalidArgument("SHOW GRANTS lists no RELOAD on *.*"),
                    ER_SPECIFIC_ACCESS_DENIED_ERROR, "FLUSH TABLES WITH READ LOCK");
}

Result<BinlogPosition> SnapshotOpener::Open(MysqlConnection& reader) {
  if (locking_ == SnapshotLocking::kNone) return OpenUnblocked(reader);
  std::lock_guard lock(mutex_);  // guards blocker_ and stats_
  return OpenBlocked(reader);
}

Result<BinlogPosition> SnapshotOpener::OpenUnblocked(MysqlConnection& reader) {
  if (reader.is_mariadb()) {
    CDC_RETURN_IF_ERROR(reader.Execute(kStartSnapshot));
    auto position = SnapshotStatusPosition(reader);
    if (!position.ok()) (void)reader.Execute("ROLLBACK");
    return position;
  }
  auto position = MasterPosition(reader);
  if (!position.ok()) return position.status();
  CDC_RETURN_IF_ERROR(reader.Execute(kStartSnapshot));
  return position;
}

Result<BinlogPosition> SnapshotOpener::OpenBlocked(MysqlConnection& reader) {
  if (!blocker_.connected()) CDC_RETURN_IF_ERROR(blocker_.Connect(options_));
  const bool backup_stage = HasBackupStage(blocker_);
  const char* block_statement = backup_stage ? "BACKUP STAGE" : "FLUSH TABLES WITH READ LOCK";

  auto block = [&] {
    Status status = backup_stage ? blocker_.Execute("BACKUP STAGE START") : Status::Ok();
    if (status.ok()) {
      status = blocker_.Execute(backup_stage ? "BACKUP STAGE BLOCK_COMMIT"
                                             : "FLUSH TABLES WITH READ LOCK");
    }
    return status;
  };
  Status blocked = block();
  if (!blocked.ok() && IsTransientMysqlError(blocker_.last_error().number)) {
    // The session may have idled out (wait_timeout) since the last table: once more, anew.
    blocker_.Close();
    CDC_RETURN_IF_ERROR(blocker_.Connect(options_));
    blocked = block();
  }
  unsigned int block_error = blocked.ok() ? 0 : blocker_.last_error().number;
  auto since = std::chrono::steady_clock::now();
  Result<BinlogPosition> position = Status::Cancelled("commits were not blocked");
  if (blocked.ok()) {
    // No commit can be between its binlog write and its engine commit now: the binlog's end
    // is exactly what the snapshot sees.
    Status started = reader.Execute(kStartSnapshot);
    position = started.ok() ? MasterPosition(reader) : Result<BinlogPosition>(started);
    if (started.ok() && !position.ok()) (void)reader.Execute("ROLLBACK");
  }
  Status released = blocker_.Execute(backup_stage ? "BACKUP STAGE END" : "UNLOCK TABLES");
  if (blocked.ok() && !released.ok()) block_error = blocker_.last_error().number;
  auto blocked_for = std::chrono::duration_cast<std::chrono::microseconds>(
      std::chrono::steady_clock::now() - since);
  if (!blocked.ok() || !released.ok()) {
    // A session that fails here may still hold the block: closing it releases everything.
    blocker_.Close();
    if (position.ok()) (void)reader.Execute("ROLLBACK");
    Status error = !blocked.ok() ? blocked : released;
    return GrantError(error, block_error, block_statement)
        .WithContext("blocking commits to open a consistent snapshot");
  }
  ++stats_.blocks;
  stats_.total += blocked_for;
  stats_.longest = std::max(stats_.longest, blocked_for);
  return position;
}

CommitBlockStats SnapshotOpener::stats() const {
  std::lock_guard lock(mutex_);
  return stats_;
}

}  // namespace cdc
