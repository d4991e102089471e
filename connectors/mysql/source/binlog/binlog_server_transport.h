// BinlogServerTransport: binlog events streamed live from a MySQL / MariaDB / PolarDB server
// over the replication protocol, as a replica receives them. MariaDB Connector/C logs in
// (TLS, authentication) and sends COM_BINLOG_DUMP; the transport then reads the raw event
// packets itself and never uses the library's event parser or row extraction.
//
// The session announces what the server needs from a replica: the checksum algorithm it
// understands (@master_binlog_checksum), MariaDB's replica capability (so GTID and annotate
// events arrive as themselves), a heartbeat period (so an idle stream still returns every
// heartbeat and a dead connection is noticed by the read timeout), and for GTID starts the
// replica's GTID position (@slave_connect_state). A MariaDB start at a file position is first
// checked against the GTIDs the caller recorded for it (BINLOG_GTID_POS): a position that names
// another point of history on this server (after a failover to another server, or RESET
// MASTER) is replaced by those GTIDs, so the stream resumes where it stopped. Server errors become
// messages naming the cause and the fix: a purged start position, a missing REPLICATION SLAVE
// grant, another replica with the same server id; those, which no retry fixes, are InvalidArgument,
// the rest IoError.
//
// Thread-bound.
#pragma once

#include <memory>
#include <string>

#include "connectors/mysql/client/binlog_position.h"
#include "connectors/mysql/client/gtid_state.h"
#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/source/binlog/binlog_transport.h"

struct st_mariadb_rpl;

namespace cdc {

struct BinlogServerOptions {
  MysqlOptions connection;
  uint32_t server_id = 0;   // this replica's id: non-zero and unique among the server's replicas
  BinlogPosition start;     // where to start, when `start_gtids` is empty
  std::string start_gtids;  // MariaDB: start after these GTIDs ("0-1-42,1-2-7")
  // With `start`: the GTIDs of the transactions before it, as the caller recorded them (empty
  // when it has none). A MariaDB server is asked what `start` is in its binlog
  // (BINLOG_GTID_POS): when that is not this point of history (another server after a
  // failover, or a binlog rebuilt by RESET MASTER), the stream starts after these GTIDs
  // instead, and moved_to_gtids() says why.
  GtidState start_state;
  uint32_t heartbeat_ms = 1000;
  // End the stream (Next returns false) at the server's current end instead of waiting.
  bool stop_at_end = false;
};

class BinlogServerTransport final : public BinlogTransport {
 public:
  ~BinlogServerTransport() override;

  static Result<std::unique_ptr<BinlogServerTransport>> Open(const BinlogServerOptions& options);

  Result<bool> Next(BinlogEvent& event) override;
  const SourceFileName& file() const override { return file_; }
  // Whether the connection's socket has bytes to read, waiting up to `wait_ms` for some.
  bool HasPending(int wait_ms = 0) const override;
  // The server or client error number of the last failure (0: none, or not from the server).
  unsigned int last_error_number() const { return connection_.last_error().number; }
  // MariaDB, started at a file position: the server's GTID state there, every domain (empty
  // when the stream started after GTIDs or the server is MySQL).
  const GtidState& gtids_at_start() const { return gtids_at_start_; }
  // Why the stream started after `start_state` instead of at `start`; empty when it did not.
  const std::string& moved_to_gtids() const { return moved_to_gtids_; }
  // When it did: the server's @@gtid_binlog_state (the last GTID of each domain and server).
  const std::string& server_binlog_state() const { return server_binlog_state_; }

 private:
  BinlogServerTransport() = default;
  // MariaDB, starting at a file position: keeps it when the server's GTID state there agrees
  // with options_.start_state, else starts after those GTIDs (see BinlogServerOptions).
  Status PlaceStart();
  // The error of a failed read or dump request, with the cause and the fix.
  Status StreamError(const std::string& what);

  BinlogServerOptions options_;
  MysqlConnection connection_;
  st_mariadb_rpl* rpl_ = nullptr;
  bool checksums_ = false;
  GtidState gtids_at_start_;
  std::string moved_to_gtids_;
  std::string server_binlog_state_;
  SourceFileName file_;
  uint64_t position_ = 0;
};

}  // namespace cdc
