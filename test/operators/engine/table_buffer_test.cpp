#include "operators/engine/table_buffer.h"

#include <doctest/doctest.h>

#include <map>
#include <mutex>
#include <set>
#include <vector>

#include "test/test_rows.h"

namespace cdc {
namespace {

using testing::Insert;
using testing::MakeTable;

// Records every batch; completes it at once, or holds it until the test releases it.
class RecordingWriters final : public TableWriterFactory {
 public:
  struct Call {
    std::string table;
    std::vector<uint64_t> offsets;
  };

  Result<std::unique_ptr<TableWriter>> CreateWriter(const TableWriterContext& context) override {
    return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.table.table));
  }

  void Hold(const std::string& table) {
    std::lock_guard lock(mu);
    held_tables.insert(table);
  }
  void Unhold(const std::string& table) {
    std::lock_guard lock(mu);
    held_tables.erase(table);
  }
  void Fail(const std::string& table, Status status) {
    std::lock_guard lock(mu);
    failures[table] = std::move(status);
  }
  // Completes the oldest held batch of `table`.
  void Release(const std::string& table) {
    std::function<void(Status)> done;
    {
      std::lock_guard lock(mu);
      auto& queue = held[table];
      REQUIRE_FALSE(queue.empty());
      done = std::move(queue.front());
      queue.erase(queue.begin());
    }
    done(Status::Ok());
  }
  std::vector<Call> calls_snapshot() {
    std::lock_guard lock(mu);
    return calls;
  }
  size_t calls_of(const std::string& table) {
    std::lock_guard lock(mu);
    size_t n = 0;
    for (const Call& call : calls) n += call.table == table;
    return n;
  }

  std::mutex mu;
  std::vector<Call> calls;
  std::set<std::string> held_tables;
  std::map<std::string, std::vector<std::function<void(Status)>>> held;
  std::map<std::string, Status> failures;
  int in_flight_overlaps = 0;
  std::map<std::string, bool> in_flight;

 private:
  class Writer final : public TableWriter {
   public:
    Writer(RecordingWriters& owner, std::string table) : owner_(owner), table_(std::move(table)) {}
    void Write(FlushBatch batch, std::function<void(Status)> done) override {
      Status failure;
      {
        std::lock_guard lock(owner_.mu);
        Call call{table_, {}};
        for (const RowChange& change : batch.changes)
          call.offsets.push_back(change.position.offset);
        owner_.calls.push_back(std::move(call));
        if (owner_.in_flight[table_]) ++owner_.in_flight_overlaps;
        auto failed = owner_.failures.find(table_);
        if (failed != owner_.failures.end()) failure = failed->second;
        if (owner_.held_tables.count(table_) != 0 && failure.ok()) {
          owner_.in_flight[table_] = true;
          owner_.held[table_].push_back([this, done = std::move(done)](Status status) {
            {
              std::lock_guard inner(owner_.mu);
              owner_.in_flight[table_] = false;
            }
            done(std::move(status));
          });
          return;
        }
      }
      done(failure);
    }

   private:
    RecordingWriters& owner_;
    std::string table_;
  };
};

std::vector<uint64_t> Range(uint64_t from, uint64_t to) {
  std::vector<uint64_t> out;
  for (uint64_t i = from; i <= to; ++i) out.push_back(i);
  return out;
}

FlushPolicy Policy(size_t flush_rows, size_t capacity_rows) {
  FlushPolicy policy;
  policy.flush_rows = flush_rows;
  policy.capacity_rows = capacity_rows;
  policy.flush_interval = Micros(1'000'000);
  return policy;
}

}  // namespace

TEST_CASE("a table flushes exactly when it reaches flush_rows, with exactly that many rows") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(10, 100), writers, 0, 1, executor, errors);
  auto t = MakeTable("t");
  for (uint64_t i = 1; i <= 9; ++i) REQUIRE(buffer.Append(Insert(t, i, "x", i)).ok());
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().empty());
  REQUIRE(buffer.Append(Insert(t, 10, "x", 10)).ok());
  executor.WaitIdle();
  auto calls = writers.calls_snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].offsets == Range(1, 10));
}

TEST_CASE("a table flushes exactly when its bytes reach flush_bytes") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  auto t = MakeTable("t");
  size_t row_bytes = Insert(t, 1, "x", 1).ByteSize();
  FlushPolicy policy = Policy(1000, 1000);
  policy.flush_bytes = 3 * row_bytes;
  policy.capacity_bytes = 100 * row_bytes;
  TableBuffer buffer(policy, writers, 0, 1, executor, errors);
  REQUIRE(buffer.Append(Insert(t, 1, "x", 1)).ok());
  REQUIRE(buffer.Append(Insert(t, 2, "x", 2)).ok());
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().empty());
  REQUIRE(buffer.Append(Insert(t, 3, "x", 3)).ok());
  executor.WaitIdle();
  auto calls = writers.calls_snapshot();
  REQUIRE(calls.size() == 1);
  CHECK(calls[0].offsets == Range(1, 3));
}

TEST_CASE("FlushHeld flushes every non-empty table whatever it holds, and no empty one") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(100, 1000), writers, 0, 1, executor, errors);
  auto a = MakeTable("a");
  auto b = MakeTable("b");
  REQUIRE(buffer.Append(Insert(a, 1, "x", 1)).ok());
  REQUIRE(buffer.Append(Insert(a, 2, "x", 2)).ok());
  REQUIRE(buffer.Append(Insert(b, 1, "x", 3)).ok());
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().empty());
  buffer.FlushHeld();
  executor.WaitIdle();
  CHECK(writers.calls_of("a") == 1);
  CHECK(writers.calls_of("b") == 1);
  buffer.FlushHeld();  // both empty now
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().size() == 2);
}

TEST_CASE("a table's flushes never overlap and keep source order") {
  Executor executor(4);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(5, 100), writers, 0, 1, executor, errors);
  auto t = MakeTable("t");
  writers.Hold("t");
  for (uint64_t i = 1; i <= 12; ++i) REQUIRE(buffer.Append(Insert(t, i, "x", i)).ok());
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().size() == 1);  // the second batch waits for the first
  writers.Release("t");
  executor.WaitIdle();
  CHECK(writers.calls_snapshot().size() == 2);
  writers.Unhold("t");
  writers.Release("t");
  executor.WaitIdle();
  buffer.FlushHeld();
  executor.WaitIdle();
  auto calls = writers.calls_snapshot();
  REQUIRE(calls.size() == 3);
  CHECK(calls[0].offsets == Range(1, 5));
  CHECK(calls[1].offsets == Range(6, 10));
  CHECK(calls[2].offsets == Range(11, 12));
  CHECK(writers.in_flight_overlaps == 0);
}

TEST_CASE("other tables keep flushing while one table's writer is stalled") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(2, 100), writers, 0, 1, executor, errors);
  auto slow = MakeTable("slow");
  auto fast = MakeTable("fast");
  writers.Hold("slow");
  for (uint64_t i = 1; i <= 2; ++i) REQUIRE(buffer.Append(Insert(slow, i, "x", i)).ok());
  for (uint64_t i = 1; i <= 6; ++i) REQUIRE(buffer.Append(Insert(fast, i, "x", 10 + i)).ok());
  executor.WaitIdle();
  CHECK(writers.calls_of("fast") == 3);
  CHECK(writers.calls_of("slow") == 1);
  writers.Unhold("slow");
  writers.Release("slow");
  executor.WaitIdle();
}

TEST_CASE("a table at capacity stops the producer until a flush frees room") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(10, 20), writers, 0, 1, executor, errors);
  auto t = MakeTable("t");
  writers.Hold("t");
  int resumed = 0;
  for (uint64_t i = 1; i <= 19; ++i) REQUIRE(buffer.Append(Insert(t, i, "x", i)).ok());
  CHECK(buffer.HasRoom([&] { ++resumed; }));
  REQUIRE(buffer.Append(Insert(t, 20, "x", 20)).ok());
  executor.WaitIdle();
  // 10 rows are with the writer and 10 queued: in-flight rows count against capacity.
  CHECK_FALSE(buffer.HasRoom([&] { ++resumed; }));
  CHECK(resumed == 0);
  writers.Release("t");
  executor.WaitIdle();
  CHECK(resumed == 1);
  CHECK(buffer.HasRoom([&] { ++resumed; }));
  writers.Unhold("t");
  writers.Release("t");  // the second batch went to the writer as soon as the first finished
  buffer.FlushAll([](const Status&) {});
  executor.WaitIdle();
  CHECK(buffer.stats().rows_written == 20);
}

TEST_CASE("a failing writer reports its table and error, and FlushAll returns that error") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(100, 1000), writers, 3, 4, executor, errors);
  auto t = MakeTable("orders");
  writers.Fail("orders", Status::IoError("duplicate entry 'x' for key 'uk'"));
  REQUIRE(buffer.Append(Insert(t, 1, "x", 1)).ok());
  Status flushed;
  bool called = false;
  buffer.FlushAll([&](const Status& status) {
    flushed = status;
    called = true;
  });
  executor.WaitIdle();
  REQUIRE(called);
  CHECK_FALSE(flushed.ok());
  CHECK(errors.failed());
  std::string message = errors.status().message();
  CHECK(message.find("db.orders") != std::string::npos);
  CHECK(message.find("sink subtask 3") != std::string::npos);
  CHECK(message.find("duplicate entry 'x' for key 'uk'") != std::string::npos);
}

TEST_CASE("FlushAll writes every row appended before it, however few, and only then reports") {
  Executor executor(2);
  FirstError errors;
  RecordingWriters writers;
  TableBuffer buffer(Policy(100, 1000), writers, 0, 1, executor, errors);
  auto a = MakeTable("a");
  auto b = MakeTable("b");
  writers.Hold("b");
  for (uint64_t i = 1; i <= 3; ++i) REQUIRE(buffer.Append(Insert(a, i, "x", i)).ok());
  for (uint64_t i = 4; i <= 5; ++i) REQUIRE(buffer.Append(Insert(b, i, "x", i)).ok());
  int calls = 0;
  buffer.FlushAll([&](const Status& status) {
    CHECK(status.ok());
    ++calls;
  });
  REQUIRE(buffer.Append(Insert(a, 6, "x", 6)).ok());  // after the request: not waited for
  executor.WaitIdle();
  CHECK(calls == 0);  // b is still with its writer
  writers.Unhold("b");
  writers.Release("b");
  executor.WaitIdle();
  CHECK(calls == 1);
  CHECK(buffer.stats().rows_written >= 5);
}

TEST_CASE("an invalid flush policy names the field and the fix") {
  FlushPolicy policy;
  policy.flush_rows = 100;
  policy.capacity_rows = 50;
  Status status = policy.Validate();
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("capacity_rows (50) is below flush_rows (100)") != std::string::npos);
}

}  // namespace cdc
