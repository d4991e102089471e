#include "operators/engine/source_task.h"

#include <fmt/format.h>

namespace cdc {

class SourceTask::CountingOutput final : public Output {
 public:
  CountingOutput(Output& next, std::atomic<uint64_t>& count) : next_(next), count_(count) {}
  Status Emit(RowChange&& change) override {
    // Rows only: table barriers (truncates, schema changes) are not counted, as the sinks
    // do not count them either.
    if (!IsTableBarrier(change.kind))
      count_.store(count_.load(std::memory_order_relaxed) + 1, std::memory_order_relaxed);
    return next_.Emit(std::move(change));
  }

 private:
  Output& next_;
  std::atomic<uint64_t>& count_;  // written only by the source thread
};

SourceTask::SourceTask(SubtaskInfo info, size_t index, std::unique_ptr<Source> source,
                       std::vector<std::unique_ptr<EdgeOutput>> edges,
                       std::unique_ptr<OperatorChain> chain, std::vector<SubtaskInfo> chain_infos,
                       JobContext& context, std::mutex& trigger_mu)
    : info_(std::move(info)),
      index_(index),
      source_(std::move(source)),
      edges_(std::move(edges)),
      chain_(std::move(chain)),
      chain_infos_(std::move(chain_infos)),
      counting_(std::make_unique<CountingOutput>(chain_->input(), rows_emitted_)),
      context_(context),
      trigger_mu_(trigger_mu) {}

SourceTask::~SourceTask() {
  Join();
}

void SourceTask::Start() {
  thread_ = std::thread([this] { Run(); });
}

void SourceTask::Join() {
  if (thread_.joinable()) thread_.join();
}

void SourceTask::RequestBarrier(const CheckpointBarrier& barrier) {
  barriers_.push_back(barrier);
  barrier_pending_.store(true, std::memory_order_release);
  context_.clock.Interrupt();  // a rate-limited source may be waiting
}

std::vector<CheckpointBarrier> SourceTask::TakeBarriers() {
  std::lock_guard trigger_lock(trigger_mu_);
  barrier_pending_.store(false, std::memory_order_relaxed);
  return std::exchange(barriers_, {});
}

bool SourceTask::PushAll(bool all) {
  for (auto& edge : edges_) {
    if (!edge->PushBlocking(all)) return false;
  }
  return true;
}

Status SourceTask::InjectBarriers(const std::vector<CheckpointBarrier>& barriers) {
  for (const CheckpointBarrier& barrier : barriers) {
    context_.checkpoints.SourceState(barrier.id, index_, source_->SnapshotState());
    CDC_RETURN_IF_ERROR(chain_->OnBarrier(barrier));
    for (auto& edge : edges_) edge->AddControl(ControlEvent{ControlKind::kBarrier, barrier});
    if (!PushAll(true)) return Status::Cancelled("job stopping");
  }
  return Status::Ok();
}

Status SourceTask::RunLoop() {
  CDC_RETURN_IF_ERROR(source_->Open(info_, context_.clock));
  CDC_RETURN_IF_ERROR(chain_->Open(chain_infos_));
  while (!context_.stopping()) {
    if (barrier_pending_.load(std::memory_order_acquire)) {
      CDC_RETURN_IF_ERROR(InjectBarriers(TakeBarriers()));
    }
    uint64_t completed = completed_.load(std::memory_order_acquire);
    if (completed != notified_) {
      notified_ = completed;
      source_->NotifyCheckpointComplete(completed);
    }
    Result<PollResult> polled = source_->PollNext(*counting_);
    if (!polled.ok()) return polled.status();
    const PollResult& result = *polled;
    bool idle = result.state != PollResult::State::kMoreAvailable || result.caught_up;
    if (result.caught_up && rows_emitted() != rows_at_caught_up_) {
      // Caught up: the sinks need not wait for their flush interval to write these rows.
      rows_at_caught_up_ = rows_emitted();
      for (auto& edge : edges_) edge->AddControl(ControlEvent{ControlKind::kCaughtUp, {}});
    }
    if (!PushAll(idle)) return Status::Cancelled("job stopping");
    if (result.state == PollResult::State::kEndOfInput) break;
    if (result.state == PollResult::State::kWait) {
      context_.clock.WaitUntil(result.resume_at, [this] {
        return context_.stopping() || barrier_pending_.load(std::memory_order_acquire) ||
               completed_.load(std::memory_order_acquire) != notified_;
      });
    }
  }
  if (context_.errors.failed()) return Status::Cancelled("job failed");
  if (context_.on_source_ending) context_.on_source_ending();  // this source still accepts it
  CDC_RETURN_IF_ERROR(chain_->Finish());
  // Take the last barriers and close the door to new ones in one step, so every barrier that
  // was handed to any source reaches the sinks before this source's end of input.
  std::vector<CheckpointBarrier> last;
  {
    std::lock_guard trigger_lock(trigger_mu_);
    finished_ = true;
    last = std::exchange(barriers_, {});
  }
  CDC_RETURN_IF_ERROR(InjectBarriers(last));
  for (auto& edge : edges_) edge->AddControl(ControlEvent{ControlKind::kEndOfInput, {}});
  if (!PushAll(true)) return Status::Cancelled("job stopping");
  return Status::Ok();
}

void SourceTask::Run() {
  Status status = RunLoop();
  if (!status.ok() && status.code() != StatusCode::kCancelled) {
    context_.errors.Report(
        status.WithContext(fmt::format("source '{}' subtask {}", info_.name, info_.index)));
  }
  {
    std::lock_guard trigger_lock(trigger_mu_);
    finished_ = true;
  }
  source_->Close();
}

}  // namespace cdc
