// StartupPosition: where a MysqlCdcSource starts reading, as its startup mode and the server
// say, and the checks of the server that come first.
//
// CheckSourceServer checks what replication needs and fails naming the server variable or
// grant to change: binary logging on, binlog_format=ROW, binlog_row_image=FULL, a server id
// other than the server's own, the grants to read binlog status, and for a snapshot the RELOAD
// grant that opening it at an exact position needs (snapshot/snapshot_opener.h). It returns
// the binlog's end then (SHOW MASTER STATUS, with MariaDB's GTID state there): where a snapshot
// begins, and where startup mode latest streams from. ResolveStartupPosition turns the other
// streaming modes into a position: earliest and timestamp the oldest binlog the server still
// has, specific a file position or MariaDB GTIDs.
//
// Free functions over a connection and values; thread-compatible.
#pragma once

#include <cstdint>
#include <string>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/source/mysql_cdc_source_options.h"
#include "runtime/status.h"

namespace cdc {

// The binlog's end as the source found it at startup.
struct BinlogEnd {
  BinlogPosition position;
  GtidState gtids;  // MariaDB: the GTID state there (BINLOG_GTID_POS); empty elsewhere
};

// Where a stream that does not begin with a snapshot starts.
struct StartupPosition {
  BinlogPosition binlog;      // empty when it starts after MariaDB GTIDs instead
  std::string gtids;          // specific by GTIDs: the GTIDs as given
  GtidState gtid_state;       // `gtids` parsed: the decoder's state before the first commit
  int64_t skip_before_s = 0;  // timestamp: rows logged before this Unix time are passed over
};

// InvalidArgument when `options` streams (any mode but snapshot) without a server id.
[[nodiscard]] Status CheckServerId(const MysqlCdcSourceOptions& options);

// Checks the server `connection` reaches for what the source needs (see above); the binlog's
// end there.
Result<BinlogEnd> CheckSourceServer(MysqlConnection& connection,
                                    const MysqlCdcSourceOptions& options);

// Where startup mode options.startup (latest, earliest, specific or timestamp) streams from;
// `end` is what CheckSourceServer returned. Empty for initial and snapshot. Earliest and
// timestamp ask `connection` for the oldest binlog. InvalidArgument for a start position that
// does not parse.
Result<StartupPosition> ResolveStartupPosition(MysqlConnection& connection,
                                               const MysqlCdcSourceOptions& options,
                                               const BinlogEnd& end);

}  // namespace cdc
