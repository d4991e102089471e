// BinlogPosition: a place in a server's binlog, a file name and a byte offset in it. Prints and
// parses the form users write in configuration ("mysql-bin.000003:4711"). An immutable value
// type.
#pragma once

#include <cstdint>
#include <optional>
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

}  // namespace cdc
