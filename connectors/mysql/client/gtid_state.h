// GtidState: the GTIDs of the last transactions a stream has seen, per MariaDB replication
// domain or MySQL source, in the form each server resumes from ("0-1-42,1-2-7"); and
// MariadbGtid, one MariaDB GTID's parts. Value types; not synchronised.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/status.h"
#include "schema/source_gtid.h"

namespace cdc {

// A MariaDB GTID's parts, "domain-server-sequence".
struct MariadbGtid {
  uint64_t domain = 0;
  uint64_t server = 0;
  uint64_t sequence = 0;
};

// `gtid` as a MariaDB GTID; nullopt for anything else (none, MySQL's "uuid:n").
std::optional<MariadbGtid> ParseMariadbGtid(const SourceGtid& gtid);

// The GTIDs a stream has seen, in the form each server resumes from. MariaDB: per replication
// domain, the last GTID "domain-server-sequence" (MariaDB's gtid_slave_pos). MySQL: per source
// uuid, the set of transaction numbers as merged intervals ("uuid:1-5:7-9", MySQL's
// gtid_executed), since MySQL transactions of one source may commit out of number order.
class GtidState {
 public:
  // "0-1-42,1-2-7" (MariaDB), "uuid:1-42:50,uuid2:7" (MySQL) or a mix; InvalidArgument naming
  // the bad item otherwise.
  static Result<GtidState> Parse(std::string_view text);
  // Records `gtid` ("d-s-n" or "uuid:n"): the latest of its MariaDB domain, or one more number
  // in its MySQL source's set.
  void Update(const std::string& gtid);
  bool empty() const { return mariadb_.empty() && mysql_.empty(); }
  bool has_mariadb() const { return !mariadb_.empty(); }
  // True when every MariaDB domain of this state has the same GTID in `other` (which may hold
  // more domains): both name one point of a MariaDB binlog's history.
  bool AgreesWith(const GtidState& other) const;
  // True when the MariaDB transaction `gtid` ("d-s-n") is at or before this state: its domain
  // is here with a sequence number of n or more. False for other GTIDs.
  bool Contains(const SourceGtid& gtid) const;
  // True when every MariaDB domain of `other` is here at the same or a later sequence number.
  bool Covers(const GtidState& other) const;
  // True when a server whose @@gtid_binlog_state is `binlog_state` (the last GTID of each
  // domain and server id, "0-1-42,0-2-40") has logged every MariaDB GTID of this state: for
  // "d-s-n" it lists d-s-m with m >= n. False when a failover lost one of them.
  bool HeldBy(std::string_view binlog_state) const;
  // MariaDB GTIDs by domain, then MySQL sets by uuid, comma-separated.
  std::string ToString() const;
  friend bool operator==(const GtidState&, const GtidState&) = default;

 private:
  using Intervals = std::vector<std::pair<uint64_t, uint64_t>>;  // sorted, disjoint, inclusive
  static void Add(Intervals& set, uint64_t first, uint64_t last);

  std::map<std::string, std::string> mariadb_;  // domain -> gtid
  std::map<std::string, Intervals> mysql_;      // source uuid -> transaction numbers
};

}  // namespace cdc
