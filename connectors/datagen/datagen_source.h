// DatagenSource: generates a consistent stream of row changes for tests, examples and
// benchmarks: several tables over a key space, a configurable insert / update / delete mix
// (with key-changing updates), a rate limit and a total count, deterministic for a seed.
//
// The stream is a real table history: an update or delete always names a row that exists,
// with its true before-image; an insert never names one that does. Each table is
//   id BIGINT NOT NULL PRIMARY KEY, k INT NOT NULL, c VARCHAR(64) utf8mb4_general_ci,
//   updated_at DATETIME(6)
// (c longer when c_length asks for sysbench-sized rows).
// With parallelism P, subtask i owns the keys with id % P == i and produces its share of
// `count` and `rate`, so subtasks never touch the same row.
//
// Thread-bound, like every Source.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "operators/source.h"

namespace cdc {

struct DatagenOptions {
  std::string database = "datagen";
  std::string table_prefix = "t";  // tables are t0, t1, ...
  size_t tables = 1;
  uint64_t key_space = 1000;  // ids 0 .. key_space - 1 in each table
  uint32_t insert_weight = 50;
  uint32_t update_weight = 30;
  uint32_t delete_weight = 20;
  uint32_t key_update_percent = 0;  // share of updates that move the row to a new id
  uint64_t rate = 0;                // changes per second over all subtasks; 0: unlimited
  uint64_t count = 0;               // changes over all subtasks; 0: until the job stops
  uint64_t seed = 1;
  size_t rows_per_poll = 1024;
  // Length of column c's text: 0 gives a short "v<version>"; sysbench's rows carry 120
  // characters in c (c is then VARCHAR(max(64, c_length))).
  size_t c_length = 0;

  // InvalidArgument naming the option: zero tables or key space, all weights zero, a
  // percentage above 100, zero rows per poll.
  Status Validate() const;
};

class DatagenSource final : public Source {
 public:
  explicit DatagenSource(DatagenOptions options);

  Status Open(const SubtaskInfo& info, Clock& clock) override;
  Result<PollResult> PollNext(Output& out) override;
  // The number of changes emitted so far ("emitted=N").
  std::string SnapshotState() override;

  // The schema of table `index`, for tests that check what was written.
  TableSchemaPtr table(size_t index) const { return tables_[index].schema; }

  // A factory for Job::AddSource.
  static SourceFactory Factory(DatagenOptions options);

 private:
  // By id: kExists when the row is present, plus the row's version in the low bits (bumped on
  // each change), in one word so a change costs one cache miss.
  static constexpr uint32_t kExists = 1u << 31;
  struct TableState {
    TableSchemaPtr schema;
    std::vector<uint32_t> rows;
  };
  struct Pick {
    size_t table;
    uint64_t id;
  };

  uint64_t Next();             // splitmix64
  uint64_t Below(uint64_t n);  // uniform in [0, n) without a division
  Pick PickRow();              // a random owned row, its state prefetched
  Row MakeRow(uint64_t id, uint32_t version);
  // An empty row with room for the columns, allocated one row ahead and prefetched for
  // writing: rows are freed on other threads, so fresh row memory is usually in another
  // core's cache and the first write to it would otherwise stall the source.
  Row TakeSpareRow();
  Status EmitOne(Output& out, int64_t commit_time_us);

  DatagenOptions options_;
  std::vector<TableState> tables_;
  size_t subtask_ = 0;
  size_t parallelism_ = 1;
  uint64_t quota_ = 0;  // this subtask's share of count (0: unbounded)
  double rate_ = 0;     // this subtask's share of rate, per microsecond
  uint64_t emitted_ = 0;
  Clock* clock_ = nullptr;
  Micros started_at_{0};
  int64_t wall_start_us_ = 0;
  uint64_t rng_state_ = 0;
  Pick next_pick_{0, 0};  // chosen one change ahead so its state is in cache when needed
  Row spare_rows_[2];     // see TakeSpareRow
  size_t next_spare_ = 0;
};

}  // namespace cdc
