// MysqlConnectionPool: a small set of connections to one server shared by a sink's
// concurrent flushes. Acquire hands out an idle connection (connecting lazily, up to the
// limit) or waits for one; Release returns it. A connection that failed is closed by its user
// and reconnected on its next Acquire.
//
// Thread-safe.
#pragma once

#include <condition_variable>
#include <memory>
#include <mutex>
#include <vector>

#include "connectors/mysql/mysql_connection.h"

namespace cdc {

class MysqlConnectionPool {
 public:
  MysqlConnectionPool(MysqlOptions options, size_t max_connections);

  // A connected connection, or the error of connecting. The caller must Release it.
  Result<MysqlConnection*> Acquire();
  void Release(MysqlConnection* connection);

  const MysqlOptions& options() const { return options_; }

 private:
  const MysqlOptions options_;
  const size_t max_connections_;
  std::mutex mu_;  // guards everything below; pairs with idle_cv_
  std::condition_variable idle_cv_;
  std::vector<std::unique_ptr<MysqlConnection>> all_;
  std::vector<MysqlConnection*> idle_;
};

}  // namespace cdc
