#include "connectors/mysql/client/mysql_connection_pool.h"

#include <algorithm>

namespace cdc {

MysqlConnectionPool::MysqlConnectionPool(MysqlOptions options, size_t max_connections,
                                         SessionSetup setup)
    : options_(std::move(options)),
      max_connections_(std::max<size_t>(max_connections, 1)),
      setup_(std::move(setup)) {}

Result<PooledConnection> MysqlConnectionPool::Acquire() {
  MysqlConnection* connection = nullptr;
  {
    std::unique_lock lock(mu_);
    idle_cv_.wait(lock, [&] { return !idle_.empty() || all_.size() < max_connections_; });
    if (!idle_.empty()) {
      connection = idle_.back();
      idle_.pop_back();
    } else {
      all_.push_back(std::make_unique<MysqlConnection>());
      connection = all_.back().get();
    }
  }
  if (!connection->connected()) {
    Status connected = connection->Connect(options_);
    if (connected.ok() && setup_) connected = setup_(*connection);
    if (!connected.ok()) {
      connection->Close();  // half-prepared sessions are never handed out
      TakeBack(connection);
      return connected;
    }
  }
  return PooledConnection(this, connection);
}

void MysqlConnectionPool::TakeBack(MysqlConnection* connection) {
  {
    std::lock_guard lock(mu_);
    idle_.push_back(connection);
  }
  idle_cv_.notify_one();
}

}  // namespace cdc
