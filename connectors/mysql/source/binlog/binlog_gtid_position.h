// GtidStateAt: what a MariaDB server says its binlog position is in GTIDs (BINLOG_GTID_POS):
// the last GTID of each domain before it. The same point of history has the same GTID state on
// every server that holds it, where files and offsets differ; the source records it with its
// positions and checks it when it resumes.
//
// Thread-safe as the connection it is given is used by one thread.
#pragma once

#include <optional>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/client/mysql_connection.h"

namespace cdc {

// The GTID state at `position` on a MariaDB server; nullopt when the server does not know the
// position (not an event boundary of its binlog, or no such file) or is not MariaDB.
Result<std::optional<GtidState>> GtidStateAt(MysqlConnection& connection,
                                             const BinlogPosition& position);

}  // namespace cdc
