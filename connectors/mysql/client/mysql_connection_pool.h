// MysqlConnectionPool: a small set of connections to one server shared by a sink's
// concurrent flushes. Acquire hands out an idle connection (connecting lazily, up to the
// limit) or waits for one, as a lease (pooled_connection.h) that gives it back when it ends.
// A connection that failed is closed by its user and reconnected on its next Acquire. A
// session setup, when given, runs on every new session before it is handed out (a failure is
// returned by that Acquire).
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <functional>
#include <memory>
#include <mutex>
#include <vector>

#include "connectors/mysql/client/mysql_connection.h"
#include "connectors/mysql/client/pooled_connection.h"

namespace cdc {

class MysqlConnectionPool {
 public:
  using SessionSetup = std::function<Status(MysqlConnection&)>;

  MysqlConnectionPool(MysqlOptions options, size_t max_connections, SessionSetup setup = {});

  // A lease on a connected connection, or the error of connecting. Blocks while every
  // connection is leased. The pool must outlive the lease.
  Result<PooledConnection> Acquire();

  const MysqlOptions& options() const { return options_; }

 private:
  friend class PooledConnection;
  // Makes `connection` idle again (the end of its lease) and wakes one waiting Acquire.
  void TakeBack(MysqlConnection* connection);

  const MysqlOptions options_;
  const size_t max_connections_;
  const SessionSetup setup_;
  std::mutex mu_;  // guards everything below; pairs with idle_cv_
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<MysqlConnection>> all_;
  std::vector<MysqlConnection*> idle_;
};

}  // namespace cdc
