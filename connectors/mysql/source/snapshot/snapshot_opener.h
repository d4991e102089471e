// SnapshotOpener: opens a consistent snapshot on a reader's connection and tells the binlog
// position that snapshot stands at, exactly, whatever other sessions do meanwhile.
//
// Why it blocks commits: a commit writes its transaction to the binlog first and makes its
// rows visible afterwards. A position read while a commit is between those steps is past a
// transaction the snapshot cannot see, and the stream resumed there would never deliver it.
// MariaDB's Binlog_snapshot_file / Binlog_snapshot_position status variables avoid that in
// principle, but the server copies them through process-wide variables that any concurrent
// SHOW STATUS (another snapshot worker, a monitoring agent) can overwrite before they are read
// back: a later position, and a lost update. So, with locking kMinimal, commits are blocked
// on a connection of the opener's own for the instant it takes to open the snapshot and read
// SHOW MASTER STATUS; nothing can be in flight then, and the position is the snapshot's.
//   MariaDB 10.4+   BACKUP STAGE START, BACKUP STAGE BLOCK_COMMIT ... BACKUP STAGE END
//   otherwise       FLUSH TABLES WITH READ LOCK ... UNLOCK TABLES (as Debezium and Flink CDC)
// Both need the RELOAD privilege. Reads are never blocked; writes wait only for their commit.
// BLOCK_COMMIT first waits for DDL in progress to finish (BACKUP STAGE BLOCK_DDL), and FLUSH
// TABLES WITH READ LOCK for running statements, so a long ALTER delays the snapshot's start.
//
// kNone opens the snapshot without blocking anything: MariaDB's status variables (exposed to
// the overwrite above), MySQL's SHOW MASTER STATUS before the snapshot (exposed to commits in
// flight). A change committed in the instant a snapshot opens can be lost; for accounts that
// cannot get RELOAD on sources whose writes are stopped while the snapshot opens.
//
// Thread-safe: snapshot workers call Open concurrently; the opener serialises them (the server
// allows one backup stage at a time anyway).
#pragma once

#include <chrono>
#include <cstdint>
#include <mutex>
#include <string_view>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/client/mysql_options.h"

namespace cdc {

enum class SnapshotLocking : uint8_t { kMinimal, kNone };

// "minimal" or "none".
Result<SnapshotLocking> ParseSnapshotLocking(std::string_view text);

// How long commits were blocked, over every snapshot opened so far.
struct CommitBlockStats {
  uint64_t blocks = 0;
  std::chrono::microseconds total{0};
  std::chrono::microseconds longest{0};
};

class SnapshotOpener {
 public:
  SnapshotOpener(MysqlOptions connection, SnapshotLocking locking)
      : options_(std::move(connection)), locking_(locking) {}

  // Starts START TRANSACTION WITH CONSISTENT SNAPSHOT, READ ONLY on `reader` and returns the
  // binlog position at which that snapshot stands: every transaction before it is in the
  // snapshot, none after it. On failure no transaction is left open on `reader` and the
  // server's commits are not left blocked.
  Result<BinlogPosition> Open(MysqlConnection& reader);

  CommitBlockStats stats() const;

  // Checks, on `connection`, that its user may block commits as Open does (kMinimal); the
  // error names the grant and the weaker option. OK for kNone.
  static Status CheckGrant(MysqlConnection& connection, SnapshotLocking locking);

 private:
  // Whether the server has BACKUP STAGE (MariaDB 10.4+); else FLUSH TABLES WITH READ LOCK.
  static bool HasBackupStage(const MysqlConnection& connection);
  Result<BinlogPosition> OpenBlocked(MysqlConnection& reader);
  Result<BinlogPosition> OpenUnblocked(MysqlConnection& reader);

  const MysqlOptions options_;
  const SnapshotLocking locking_;
  mutable std::mutex mutex_;  // guards blocker_ and stats_
  MysqlConnection blocker_;   // the session that blocks commits; connected on first use
  CommitBlockStats stats_;
};

}  // namespace cdc
