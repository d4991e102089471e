#include "connectors/mysql/sink/mysql_sink_stats.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("a sink's counters start at zero") {
  MysqlSinkCounters counters;
  MysqlSinkStats stats = counters.Read();
  CHECK(stats.rows_written == 0);
  CHECK(stats.array_rows == 0);
  CHECK(stats.transactions == 0);
  CHECK(stats.retries == 0);
  CHECK(stats.failures == 0);
  CHECK(stats.applied_commit_time_us == 0);
}

TEST_CASE("each applied flush is a transaction whose rows add up") {
  MysqlSinkCounters counters;
  counters.AddApplied(10, 4, 1'000);
  counters.AddApplied(3, 0, 2'000);
  MysqlSinkStats stats = counters.Read();
  CHECK(stats.transactions == 2);
  CHECK(stats.rows_written == 13);
  CHECK(stats.array_rows == 4);
}

TEST_CASE("the applied commit time is the newest seen, whatever the order of flushes") {
  MysqlSinkCounters counters;
  counters.AddApplied(1, 0, 5'000);
  counters.AddApplied(1, 0, 3'000);  // another table's flush, older
  CHECK(counters.Read().applied_commit_time_us == 5'000);
  counters.AddApplied(1, 0, 7'000);
  CHECK(counters.Read().applied_commit_time_us == 7'000);
}

TEST_CASE("retries and failures are counted apart from what was applied") {
  MysqlSinkCounters counters;
  counters.AddRetry();
  counters.AddRetry();
  counters.AddFailure();
  MysqlSinkStats stats = counters.Read();
  CHECK(stats.retries == 2);
  CHECK(stats.failures == 1);
  CHECK(stats.transactions == 0);
  CHECK(stats.rows_written == 0);
}

}  // namespace
}  // namespace cdc
