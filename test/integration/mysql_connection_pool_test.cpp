// Integration tests of MysqlConnectionPool and its leases (PooledConnection) against the
// sandboxed MariaDB (test/run-integration.sh).
#include "connectors/mysql/client/mysql_connection_pool.h"

#include <doctest/doctest.h>

#include <chrono>
#include <future>
#include <memory>
#include <string>
#include <thread>
#include <utility>

#include "test/integration/mysql_test_env.h"

namespace cdc {
namespace {

// The server's id of the session `connection` holds.
std::string SessionId(MysqlConnection& connection) {
  return testing::QueryValue(connection, "SELECT CONNECTION_ID()");
}

// Acquires from `pool` on another thread and waits at most a few seconds, so that a pool whose
// only connection was never given back fails the test instead of hanging it. The pool is
// shared with that thread, which a lost connection would leave waiting.
Result<PooledConnection> AcquireSoon(const std::shared_ptr<MysqlConnectionPool>& pool) {
  auto acquired = std::make_shared<std::promise<Result<PooledConnection>>>();
  std::future<Result<PooledConnection>> lease = acquired->get_future();
  std::thread([pool, acquired] { acquired->set_value(pool->Acquire()); }).detach();
  REQUIRE_MESSAGE(lease.wait_for(std::chrono::seconds(10)) == std::future_status::ready,
                  "Acquire still waits: the pool's only connection did not come back");
  return lease.get();
}

// Uses a lease and returns before its end, as an error path does.
Status FailHalfway(MysqlConnectionPool& pool) {
  auto lease = pool.Acquire();
  if (!lease.ok()) return lease.status();
  if (!(*lease)->Execute("SELECT 1").ok()) return Status::IoError("SELECT 1 failed");
  return Status::InvalidArgument("gave up halfway");
}

TEST_CASE("a connection goes back to its pool when its lease ends") {
  auto pool = std::make_shared<MysqlConnectionPool>(testing::SandboxOptions(), 1);
  std::string first;
  {
    auto lease = pool->Acquire();
    REQUIRE_MESSAGE(lease.ok(), lease.status().ToString());
    first = SessionId(**lease);
  }
  auto again = AcquireSoon(pool);
  REQUIRE_MESSAGE(again.ok(), again.status().ToString());
  CHECK(SessionId(**again) == first);  // the same session, not a new connection
}

TEST_CASE("a lease ended by an early return gives its connection back") {
  auto pool = std::make_shared<MysqlConnectionPool>(testing::SandboxOptions(), 1);
  Status failed = FailHalfway(*pool);
  CHECK(failed.code() == StatusCode::kInvalidArgument);
  CHECK(failed.message() == "gave up halfway");
  auto lease = AcquireSoon(pool);  // a pool of one: waits forever if that lease leaked
  REQUIRE_MESSAGE(lease.ok(), lease.status().ToString());
}

TEST_CASE("a moved lease gives its connection back once, when its last holder ends") {
  auto pool = std::make_shared<MysqlConnectionPool>(testing::SandboxOptions(), 2);
  std::string moved_id;
  std::string other_id;
  {
    auto acquired = pool->Acquire();
    REQUIRE(acquired.ok());
    PooledConnection moved = std::move(acquired).value();
    moved_id = SessionId(*moved);
    auto other = pool->Acquire();
    REQUIRE(other.ok());
    other_id = SessionId(**other);
    CHECK(other_id != moved_id);
    PooledConnection assigned = std::move(moved);
    CHECK(SessionId(*assigned) == moved_id);
  }
  // Both connections are idle once: two leases at the same time get the two sessions.
  auto a = AcquireSoon(pool);
  auto b = AcquireSoon(pool);
  REQUIRE(a.ok());
  REQUIRE(b.ok());
  std::string a_id = SessionId(**a);
  std::string b_id = SessionId(**b);
  CHECK(a_id != b_id);
  CHECK(((a_id == moved_id && b_id == other_id) || (a_id == other_id && b_id == moved_id)));
}

TEST_CASE("a connection its holder closed is reconnected at the next Acquire") {
  auto pool = std::make_shared<MysqlConnectionPool>(testing::SandboxOptions(), 1);
  std::string first;
  {
    auto lease = pool->Acquire();
    REQUIRE(lease.ok());
    first = SessionId(**lease);
    (*lease)->Close();  // as a user that saw it fail does
  }
  auto again = AcquireSoon(pool);
  REQUIRE_MESSAGE(again.ok(), again.status().ToString());
  CHECK((*again)->connected());
  CHECK(SessionId(**again) != first);
}

TEST_CASE("a failed connect leaves the pool's slot free for the next Acquire") {
  MysqlOptions unreachable = testing::SandboxOptions();
  unreachable.port = 1;  // nothing listens there
  auto pool = std::make_shared<MysqlConnectionPool>(unreachable, 1);
  auto first = pool->Acquire();
  CHECK_FALSE(first.ok());
  auto second = AcquireSoon(pool);  // fails again rather than waiting for a connection
  CHECK_FALSE(second.ok());
}

}  // namespace
}  // namespace cdc
