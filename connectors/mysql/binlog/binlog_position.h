// BinlogPosition: a place in a server's binlog, a file name and a byte offset in it; and
// GtidState, the GTIDs of the last transactions seen per replication domain. Both print and
// parse the forms users write in configuration ("mysql-bin.000003:4711", "0-1-42,1-2-7").
// Immutable value types.
#pragma once

#include <cstdint>
#include <map>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

struct BinlogPosition {
  std::string file;     // "mysql-bin.000003"; empty when unknown
  uint64_t offset = 0;  // byte offset in the file

  bool empty() const { return file.empty(); }
  std::string ToString() const;  // "mysql-bin.000003:4711"
  // "file:offset"; InvalidArgument naming the expected form otherwise.
  static Result<BinlogPosition> Parse(std::string_view text);

  friend bool operator==(const BinlogPosition&, const BinlogPosition&) = default;
  // Binlog order: by the file's sequence number (the digits after the last '.', compared as a
  // number, so .999999 < .1000000), then by offset.
  friend bool operator<(const BinlogPosition& a, const BinlogPosition& b);
  friend bool operator<=(const BinlogPosition& a, const BinlogPosition& b) { return !(b < a); }
};

// MariaDB's GTID position: per domain, the last GTID "domain-server-sequence". MySQL GTIDs
// ("uuid:number") are kept per source uuid the same way.
class GtidState {
 public:
  // "0-1-42,1-2-7" (MariaDB) or "uuid:42" (MySQL); InvalidArgument for anything else.
  static Result<GtidState> Parse(std::string_view text);
  // Records `gtid` as the latest of its domain (or source uuid).
  void Update(const std::string& gtid);
  bool empty() const { return last_.empty(); }
  std::string ToString() const;
  friend bool operator==(const GtidState&, const GtidState&) = default;

 private:
  std::map<std::string, std::string> last_;  // domain or uuid -> gtid
};

}  // namespace cdc
