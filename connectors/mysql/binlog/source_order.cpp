#include "connectors/mysql/binlog/source_order.h"

#include <charconv>
#include <optional>
#include <string_view>

#include "connectors/mysql/binlog/binlog_position.h"

namespace cdc {
namespace {

struct MariadbGtid {
  uint64_t domain = 0;
  uint64_t server = 0;
  uint64_t sequence = 0;
};

std::optional<uint64_t> Number(std::string_view text) {
  uint64_t value = 0;
  auto [end, error] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || error != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

// "domain-server-sequence"; nullopt for anything else (none, a MySQL "uuid:n").
std::optional<MariadbGtid> ParseGtid(const SourceGtid& gtid) {
  std::string_view prefix = gtid.prefix();  // "domain-server-"
  size_t dash = prefix.find('-');
  if (!gtid.numbered() || prefix.empty() || prefix.back() != '-' || dash + 1 == prefix.size()) {
    return std::nullopt;
  }
  auto domain = Number(prefix.substr(0, dash));
  auto server = Number(prefix.substr(dash + 1, prefix.size() - dash - 2));
  if (!domain || !server) return std::nullopt;
  return MariadbGtid{*domain, *server, gtid.sequence()};
}

}  // namespace

std::partial_ordering CompareInSource(const SourcePosition& a, const SourcePosition& b) {
  auto x = ParseGtid(a.gtid);
  auto y = ParseGtid(b.gtid);
  if (x && y && x->domain == y->domain) {
    if (x->sequence != y->sequence) return x->sequence <=> y->sequence;
    // One sequence number under two server ids is two transactions (a failover lost one);
    // one transaction compares by position only within one binlog file of one server.
    bool two_servers = a.server_id != 0 && b.server_id != 0 && a.server_id != b.server_id;
    if (x->server != y->server || !(a.file == b.file) || two_servers) return std::partial_ordering::unordered;
  } else if (x || y) {
    // Two domains, or a GTID against a bare file position (a snapshot's): their order is one
    // binlog's, and even one server's binlog is renumbered by RESET MASTER.
    return std::partial_ordering::unordered;
  } else if (a.server_id != 0 && b.server_id != 0 && a.server_id != b.server_id) {
    return std::partial_ordering::unordered;  // no GTIDs, two servers' binlogs
  }
  BinlogPosition first{a.file.str(), a.offset};
  BinlogPosition second{b.file.str(), b.offset};
  if (first < second) return std::partial_ordering::less;
  if (second < first) return std::partial_ordering::greater;
  return a.index <=> b.index;
}

}  // namespace cdc
