// BinlogTransport: where binlog events come from, one at a time and in binlog order: a live
// server's replication stream (BinlogServerTransport) or binlog files (BinlogFileTransport).
// A transport frames events, verifies and strips their CRC-32 trailers, and knows which binlog
// file each event belongs to; turning events into changes is the BinlogDecoder's job.
//
// Thread-bound: used by one thread at a time.
#pragma once

#include <string>

#include "connectors/mysql/source/binlog/binlog_event.h"
#include "runtime/status.h"
#include "schema/source_file_name.h"

namespace cdc {

class BinlogTransport {
 public:
  virtual ~BinlogTransport() = default;

  // Reads the next event into `event`, whose body stays valid until the next call. False when
  // the input ends: the last file is read, or a non-blocking server stream reached the end.
  virtual Result<bool> Next(BinlogEvent& event) = 0;

  // The binlog file ("mysql-bin.000003") of the event last returned.
  virtual const SourceFileName& file() const = 0;

  // False when the next Next() would likely wait for the server: the stream has caught up,
  // and nothing arrived within `wait_ms`. A hint only (bytes buffered inside the client
  // library are not seen); files never wait.
  virtual bool HasPending(int /*wait_ms*/ = 0) const { return true; }
};

}  // namespace cdc
