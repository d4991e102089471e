// PooledConnection: a lease on one connection of a MysqlConnectionPool. The connection is the
// holder's until the lease ends (it is destroyed, or assigned over), then it goes back to the
// pool as it is: a holder that saw the connection fail closes it (MysqlConnection::Close), and
// the pool reconnects it on a later Acquire. The pool must outlive its leases.
//
// Movable, not copyable; a moved-from lease holds nothing. Thread-bound: one holder at a time
// uses the connection, as with MysqlConnection itself.
#pragma once

namespace cdc {

class MysqlConnection;
class MysqlConnectionPool;

class PooledConnection {
 public:
  PooledConnection(PooledConnection&& other) noexcept;
  PooledConnection& operator=(PooledConnection&& other) noexcept;
  PooledConnection(const PooledConnection&) = delete;
  PooledConnection& operator=(const PooledConnection&) = delete;
  ~PooledConnection();

  // The leased connection. Require a lease that was not moved from.
  MysqlConnection& operator*() const { return *connection_; }
  MysqlConnection* operator->() const { return connection_; }

 private:
  friend class MysqlConnectionPool;  // the only maker of leases
  PooledConnection(MysqlConnectionPool* pool, MysqlConnection* connection)
      : pool_(pool), connection_(connection) {}

  // Gives the connection back to the pool, once.
  void End();

  MysqlConnectionPool* pool_;
  MysqlConnection* connection_;
};

}  // namespace cdc
