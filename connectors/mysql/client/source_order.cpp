#include "connectors/mysql/client/source_order.h"

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"

namespace cdc {

std::partial_ordering CompareInSource(const SourcePosition& a, const SourcePosition& b) {
  auto x = ParseMariadbGtid(a.gtid);
  auto y = ParseMariadbGtid(b.gtid);
  if (x && y && x->domain == y->domain) {
    if (x->sequence != y->sequence) return x->sequence <=> y->sequence;
    // One sequence number under two server ids is two transactions (a failover lost one);
    // one transaction compares by position only within one binlog file of one server.
    bool two_servers = a.server_id != 0 && b.server_id != 0 && a.server_id != b.server_id;
    if (x->server != y->server || !(a.file == b.file) || two_servers)
      return std::partial_ordering::unordered;
  } else if (x || y || (a.server_id != 0 && b.server_id != 0 && a.server_id != b.server_id)) {
    // Two domains, or a GTID against a bare file position (a snapshot's): their order is one
    // binlog's, and even one server's binlog is renumbered by RESET MASTER. Or no GTIDs and
    // two servers' binlogs.
    return std::partial_ordering::unordered;
  }
  BinlogPosition first{a.file.str(), a.offset};
  BinlogPosition second{b.file.str(), b.offset};
  if (first < second) return std::partial_ordering::less;
  if (second < first) return std::partial_ordering::greater;
  return a.index <=> b.index;
}

}  // namespace cdc
