#include "operators/engine/table_barrier_alignment.h"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "runtime/assertions.h"

namespace cdc {
namespace {

// Copies of one barrier: the same kind of change of the same table at the same position.
bool SameBarrier(const RowChange& a, const RowChange& b) {
  return a.kind == b.kind && a.snapshot_reload == b.snapshot_reload &&
         a.table->id() == b.table->id() && a.position == b.position;
}

std::string Describe(const RowChange& barrier) {
  std::string what =
      barrier.kind == ChangeKind::kSchemaChange && barrier.schema_change != nullptr
          ? barrier.schema_change->ToString()
          : std::string(ChangeKindName(barrier.kind)) + " of " + barrier.table->id().ToString();
  return fmt::format("{} at {}", what, barrier.position.ToString());
}

}  // namespace

TableBarrierAlignment::TableBarrierAlignment(size_t producers)
    : producers_(producers), by_producer_(producers) {}

bool TableBarrierAlignment::Next(StreamBatch& batch, const std::function<bool(StreamBatch&)>& pop) {
  if (!released_.empty()) {
    batch = std::move(released_.front());
    released_.pop_front();
  } else if (!pop(batch)) {
    return false;
  }
  // A batch of a producer waiting at the barrier is parked, in its order, and the next taken.
  while (batch.producer < producers_ && by_producer_[batch.producer].arrived) {
    by_producer_[batch.producer].parked.push_back(std::move(batch));
    batch = StreamBatch{};
    if (!released_.empty()) {
      batch = std::move(released_.front());
      released_.pop_front();
    } else if (!pop(batch)) {
      return false;
    }
  }
  return true;
}

Status TableBarrierAlignment::Split(StreamBatch& batch, std::optional<StreamBatch>& aligned) {
  auto first = std::find_if(batch.rows.begin(), batch.rows.end(),
                            [](const RowChange& change) { return IsTableBarrier(change.kind); });
  if (first == batch.rows.end()) return Status::Ok();
  CDC_ASSERT(batch.producer < producers_);
  size_t at = static_cast<size_t>(first - batch.rows.begin());
  RowChange copy = std::move(*first);
  uint32_t copy_bytes = batch.row_bytes[at];
  StreamBatch rest;
  rest.producer = batch.producer;
  rest.rows.assign(std::make_move_iterator(batch.rows.begin() + static_cast<ptrdiff_t>(at) + 1),
                   std::make_move_iterator(batch.rows.end()));
  rest.row_bytes.assign(batch.row_bytes.begin() + static_cast<ptrdiff_t>(at) + 1,
                        batch.row_bytes.end());
  rest.control = batch.control;
  batch.rows.resize(at);
  batch.row_bytes.resize(at);
  batch.control.reset();

  Producer& producer = by_producer_[batch.producer];
  CDC_ASSERT(!producer.arrived && producer.parked.empty());
  if (!rest.rows.empty() || rest.control) producer.parked.push_back(std::move(rest));
  if (!barrier_) {
    barrier_ = std::move(copy);
  } else if (!SameBarrier(*barrier_, copy)) {
    return Status::InvalidArgument(fmt::format(
        "two upstream subtasks delivered different table barriers in the same place ({}, and "
        "{}): barriers of several source subtasks cannot be ordered after two redistributing "
        "steps; give the source parallelism 1, or key the stream once (source -> KeyBy() -> "
        "sink)",
        Describe(*barrier_), Describe(copy)));
  }
  producer.arrived = true;
  if (++arrived_ < producers_) return Status::Ok();

  // Every copy is in: the barrier goes once, then every producer's parked batches, in order.
  StreamBatch alone;
  alone.producer = batch.producer;
  alone.rows.push_back(std::move(*barrier_));
  alone.row_bytes.push_back(copy_bytes);
  aligned = std::move(alone);
  barrier_.reset();
  arrived_ = 0;
  for (Producer& each : by_producer_) {
    each.arrived = false;
    for (StreamBatch& parked : each.parked) released_.push_back(std::move(parked));
    each.parked.clear();
  }
  return Status::Ok();
}

void TableBarrierAlignment::Clear() {
  for (Producer& producer : by_producer_) producer = Producer{};
  barrier_.reset();
  arrived_ = 0;
  released_.clear();
}

}  // namespace cdc
