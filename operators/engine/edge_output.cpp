#include "operators/engine/edge_output.h"

#include <algorithm>
#include <cstdint>

namespace cdc {

EdgeOutput::EdgeOutput(Partitioning partitioning, const std::vector<Channel<StreamBatch>*>& targets,
                       size_t batch_rows, uint32_t producer_index)
    : partitioning_(partitioning), batch_rows_(batch_rows), producer_index_(producer_index) {
  targets_.reserve(targets.size());
  for (Channel<StreamBatch>* channel : targets) {
    targets_.push_back(Target{channel, channel->MakeProducer(), StreamBatch{}});
  }
}

size_t EdgeOutput::Route(const RowChange& change) {
  switch (partitioning_) {
    case Partitioning::kForward: return 0;
    case Partitioning::kHash: return router_.Route(change).Subtask(targets_.size());
    case Partitioning::kTableHash:
      return change.table != nullptr ? SubtaskForHash(change.table->id_hash(), targets_.size()) : 0;
    case Partitioning::kRebalance: return next_++ % targets_.size();
    case Partitioning::kBroadcast: break;
  }
  return 0;
}

void EdgeOutput::Add(RowChange&& change) {
  auto bytes = static_cast<uint32_t>(std::min<size_t>(change.ByteSize(), UINT32_MAX));
  // A table barrier (truncate, schema change) goes to every subtask, since each holds part of
  // the table, and is pushed at once: a subtask waiting at the barrier must not wait behind a
  // batch that this producer holds back.
  bool table_barrier = IsTableBarrier(change.kind);
  if (table_barrier) urgent_ = true;
  if (partitioning_ == Partitioning::kBroadcast || table_barrier) {
    for (size_t i = 0; i + 1 < targets_.size(); ++i) {
      targets_[i].pending.rows.push_back(change);
      targets_[i].pending.row_bytes.push_back(bytes);
    }
    targets_.back().pending.rows.push_back(std::move(change));
    targets_.back().pending.row_bytes.push_back(bytes);
    return;
  }
  StreamBatch& pending = targets_[Route(change)].pending;
  pending.rows.push_back(std::move(change));
  pending.row_bytes.push_back(bytes);
}

void EdgeOutput::Add(const RowChange& change) {
  Add(RowChange(change));
}

void EdgeOutput::AddControl(const ControlEvent& event) {
  for (Target& target : targets_) target.pending.control = event;
}

bool EdgeOutput::PushBlocking(bool all) {
  for (Target& target : targets_) {
    StreamBatch& pending = target.pending;
    if (pending.rows.empty() && !pending.control) continue;
    bool due = all || urgent_ || pending.control || pending.rows.size() >= batch_rows_ ||
               target.channel->empty();
    if (!due) continue;
    StreamBatch batch = std::move(pending);
    pending = StreamBatch{};
    pending.rows.reserve(batch_rows_);
    pending.row_bytes.reserve(batch_rows_);
    batch.producer = producer_index_;
    if (!target.producer.Push(std::move(batch))) return false;
  }
  urgent_ = false;
  return true;
}

bool EdgeOutput::TryPushAll(const std::function<void()>& on_space) {
  for (Target& target : targets_) {
    StreamBatch& pending = target.pending;
    while (!pending.rows.empty() || pending.control) {
      pending.producer = producer_index_;
      if (target.producer.TryPush(pending)) {
        pending = StreamBatch{};
        break;
      }
      if (target.channel->OnSpace(on_space)) return false;
      // The channel had room by the time we registered: try again.
    }
  }
  return true;
}

}  // namespace cdc
