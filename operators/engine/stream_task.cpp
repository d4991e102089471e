#include "operators/engine/stream_task.h"

#include <fmt/format.h>

namespace cdc {

StreamTask::StreamTask(SubtaskInfo info, size_t producers, size_t barrier_copies,
                       size_t channel_capacity, JobContext& context)
    : info_(std::move(info)),
      context_(context),
      gate_(producers),
      alignment_(barrier_copies),
      input_(channel_capacity),
      task_(context.executor, [this] { return Step(); }) {
  input_.SetDataCallback([this] { task_.Wake(); });
}

void StreamTask::HandleControl(const ControlEvent& event) {
  if (event.kind == ControlKind::kCaughtUp) return OnCaughtUp(event);
  if (event.kind == ControlKind::kBarrier) {
    if (gate_.OnBarrier(event.barrier.id)) OnBarrier(event);
    return;
  }
  if (gate_.OnEndOfInput()) OnEndOfInput(event);
}

bool StreamTask::Step() {
  if (context_.errors.failed()) {
    StreamBatch dropped;
    while (input_.TryPop(dropped)) {
    }
    alignment_.Clear();
    return false;
  }
  if (!ReadyForInput()) return false;  // parked until there is room
  StreamBatch batch;
  std::optional<StreamBatch> aligned;  // a table barrier whose every copy is in
  Status status;
  if (alignment_.active()) {
    if (!alignment_.Next(batch, [this](StreamBatch& next) { return input_.TryPop(next); }))
      return false;
    status = alignment_.Split(batch, aligned);
  } else if (!input_.TryPop(batch)) {
    return false;
  }
  if (status.ok()) status = ProcessRows(batch);
  if (status.ok() && aligned) status = ProcessRows(*aligned);
  if (!status.ok()) {
    context_.errors.Report(
        status.WithContext(fmt::format("'{}' subtask {}", info_.name, info_.index)));
    return false;
  }
  if (batch.control) HandleControl(*batch.control);
  AfterBatch();  // what does not fit waits for the next step, before any new input
  return true;
}

}  // namespace cdc
