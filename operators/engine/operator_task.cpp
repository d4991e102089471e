#include "operators/engine/operator_task.h"

namespace cdc {

OperatorTask::OperatorTask(SubtaskInfo info, size_t producers, size_t barrier_copies,
                           size_t channel_capacity, std::vector<std::unique_ptr<EdgeOutput>> edges,
                           std::unique_ptr<OperatorChain> chain,
                           std::vector<SubtaskInfo> chain_infos, JobContext& context)
    : StreamTask(std::move(info), producers, barrier_copies, channel_capacity, context),
      edges_(std::move(edges)),
      chain_(std::move(chain)),
      chain_infos_(std::move(chain_infos)) {}

Status OperatorTask::Open() {
  return chain_->Open(chain_infos_);
}

bool OperatorTask::PushOutputs() {
  for (auto& edge : edges_) {
    if (!edge->TryPushAll([this] { Wake(); })) return false;
  }
  return true;
}

Status OperatorTask::ProcessRows(StreamBatch& batch) {
  Output& input = chain_->input();
  if (!batch.rows.empty()) rows_since_caught_up_ = true;
  for (RowChange& change : batch.rows) CDC_RETURN_IF_ERROR(input.Emit(std::move(change)));
  return Status::Ok();
}

void OperatorTask::OnCaughtUp(const ControlEvent& event) {
  // Passed on once per rows processed since the last one, so copies from several producers
  // do not multiply downstream.
  if (!rows_since_caught_up_) return;
  rows_since_caught_up_ = false;
  for (auto& edge : edges_) edge->AddControl(event);
}

void OperatorTask::OnBarrier(const ControlEvent& event) {
  Status status = chain_->OnBarrier(event.barrier);
  if (!status.ok()) return context().errors.Report(status);
  for (auto& edge : edges_) edge->AddControl(event);
}

void OperatorTask::OnEndOfInput(const ControlEvent& event) {
  Status status = chain_->Finish();
  if (!status.ok()) return context().errors.Report(status);
  for (auto& edge : edges_) edge->AddControl(event);
}

}  // namespace cdc
