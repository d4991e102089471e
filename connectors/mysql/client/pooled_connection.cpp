#include "connectors/mysql/client/pooled_connection.h"

#include <utility>

#include "connectors/mysql/client/mysql_connection_pool.h"

namespace cdc {

PooledConnection::PooledConnection(PooledConnection&& other) noexcept
    : pool_(std::exchange(other.pool_, nullptr)),
      connection_(std::exchange(other.connection_, nullptr)) {}

PooledConnection& PooledConnection::operator=(PooledConnection&& other) noexcept {
  if (this != &other) {
    End();
    pool_ = std::exchange(other.pool_, nullptr);
    connection_ = std::exchange(other.connection_, nullptr);
  }
  return *this;
}

PooledConnection::~PooledConnection() {
  End();
}

void PooledConnection::End() {
  if (connection_ != nullptr) pool_->TakeBack(connection_);
  pool_ = nullptr;
  connection_ = nullptr;
}

}  // namespace cdc
