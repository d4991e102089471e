#include "connectors/datagen/datagen_source.h"

#include <doctest/doctest.h>

#include <vector>

#include "test/model_table.h"

namespace cdc {
namespace {

class ModelOutput final : public Output {
 public:
  Status Emit(RowChange&& change) override {
    lines.push_back(change.ToString());
    kinds[static_cast<int>(change.kind)]++;
    if (change.kind == ChangeKind::kUpdate && !(change.before[0] == change.after[0])) ++key_updates;
    model.Apply(change);
    return Status::Ok();
  }
  testing::ModelTarget model;
  std::vector<std::string> lines;
  int kinds[3] = {0, 0, 0};
  int key_updates = 0;
};

void Drain(DatagenSource& source, Output& out) {
  while (true) {
    auto result = source.PollNext(out);
    REQUIRE(result.ok());
    if (result->state == PollResult::State::kEndOfInput) return;
  }
}

}  // namespace

TEST_CASE("datagen produces exactly `count` changes that form a consistent table history") {
  DatagenOptions options;
  options.tables = 3;
  options.key_space = 20;
  options.count = 5000;
  options.key_update_percent = 20;
  ManualClock clock;
  DatagenSource source(options);
  REQUIRE(source.Open(SubtaskInfo{"datagen", 0, 1}, clock).ok());
  ModelOutput out;
  Drain(source, out);
  CHECK(out.lines.size() == 5000);
  CHECK(out.model.violations().empty());
  CHECK(out.kinds[0] > 0);
  CHECK(out.kinds[1] > 0);
  CHECK(out.kinds[2] > 0);
  CHECK(out.key_updates > 0);
  CHECK(source.SnapshotState() == "emitted=5000");
}

TEST_CASE("datagen is deterministic for a seed") {
  DatagenOptions options;
  options.count = 300;
  ManualClock clock;
  DatagenSource a(options), b(options);
  options.seed = 2;
  DatagenSource c(options);
  ModelOutput out_a, out_b, out_c;
  for (auto [source, out] : {std::pair{&a, &out_a}, {&b, &out_b}, {&c, &out_c}}) {
    REQUIRE(source->Open(SubtaskInfo{"datagen", 0, 1}, clock).ok());
    Drain(*source, *out);
  }
  CHECK(out_a.lines == out_b.lines);
  CHECK(out_a.lines != out_c.lines);
}

TEST_CASE("datagen subtasks split the count and touch disjoint keys") {
  DatagenOptions options;
  options.key_space = 10;
  options.count = 101;
  ManualClock clock;
  ModelOutput outs[2];
  for (size_t i = 0; i < 2; ++i) {
    DatagenSource source(options);
    REQUIRE(source.Open(SubtaskInfo{"datagen", i, 2}, clock).ok());
    Drain(source, outs[i]);
  }
  CHECK(outs[0].lines.size() == 51);
  CHECK(outs[1].lines.size() == 50);
  for (const auto& [key, row] : outs[0].model.rows()) CHECK(outs[1].model.rows().count(key) == 0);
}

TEST_CASE("datagen's rate limit spaces changes by the clock") {
  DatagenOptions options;
  options.rate = 1000;  // one per millisecond
  ManualClock clock;
  DatagenSource source(options);
  REQUIRE(source.Open(SubtaskInfo{"datagen", 0, 1}, clock).ok());
  ModelOutput out;
  auto first = source.PollNext(out);
  REQUIRE(first.ok());
  CHECK(first->state == PollResult::State::kWait);
  CHECK(first->resume_at == Micros(1000));
  clock.Advance(Micros(10'000));
  REQUIRE(source.PollNext(out).ok());
  CHECK(out.lines.size() == 10);
}

TEST_CASE("datagen rejects bad options with the option's name") {
  DatagenOptions options;
  options.key_update_percent = 150;
  Status status = options.Validate();
  CHECK_FALSE(status.ok());
  CHECK(status.message().find("key_update_percent is 150") != std::string::npos);
  options = DatagenOptions{};
  options.insert_weight = options.update_weight = options.delete_weight = 0;
  CHECK(options.Validate().message().find("insert_weight") != std::string::npos);
}

}  // namespace cdc
