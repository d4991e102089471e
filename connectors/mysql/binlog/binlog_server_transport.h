// BinlogServerTransport: binlog events streamed live from a MySQL / MariaDB / PolarDB server
// over the replication protocol, as a replica receives them. MariaDB Connector/C logs in
// (TLS, authentication) and sends COM_BINLOG_DUMP; the transport then reads the raw event
// packets itself and never uses the library's event parser or row extraction.
//
// The session announces what the server needs from a replica: the checksum algorithm it
// understands (@master_binlog_checksum), MariaDB's replica capability (so GTID and annotate
// events arrive as themselves), a heartbeat period (so an idle stream still returns every
// heartbeat and a dead connection is noticed by the read timeout), and for GTID starts the
// replica's GTID position (@slave_connect_state). Server errors become messages naming the
// cause and the fix: a purged start position, a missing REPLICATION SLAVE grant, another replica
// with the same server id; those, which no retry fixes, are InvalidArgument, the rest IoError.
//
// Thread-bound.
#pragma once

#include <memory>
#include <string>

#include "connectors/mysql/binlog/binlog_position.h"
#include "connectors/mysql/binlog/binlog_transport.h"
#include "connectors/mysql/mysql_connection.h"

struct st_mariadb_rpl;

namespace cdc {

struct BinlogServerOptions {
  MysqlOptions connection;
  uint32_t server_id = 0;   // this replica's id: non-zero and unique among the server's replicas
  BinlogPosition start;     // where to start, when `start_gtids` is empty
  std::string start_gtids;  // MariaDB: start after these GTIDs ("0-1-42,1-2-7")
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

 private:
  BinlogServerTransport() = default;
  // The error of a failed read or dump request, with the cause and the fix.
  Status StreamError(const std::string& what);

  BinlogServerOptions options_;
  MysqlConnection connection_;
  st_mariadb_rpl* rpl_ = nullptr;
  bool checksums_ = false;
  SourceFileName file_;
  uint64_t position_ = 0;
};

}  // namespace cdc
