// OperatorTask: an operator subtask between the sources and the sinks: the rows of its input
// run through a chain of operators (OperatorChain) into the outgoing edges. Barriers and end
// of input pass through the operators and then on to every edge; the source's "caught up"
// signal is passed on once per run of rows, so copies from several producers do not multiply
// downstream. While an outgoing channel is full the task takes no input (StreamTask).
//
// Thread-safety: as StreamTask; everything of its own runs inside the task.
#pragma once

#include <memory>
#include <vector>

#include "operators/engine/edge_output.h"
#include "operators/engine/operator_chain.h"
#include "operators/engine/stream_task.h"

namespace cdc {

class OperatorTask final : public StreamTask {
 public:
  // `chain` runs `chain_infos[k]` as operator k's subtask and feeds `edges`; see StreamTask
  // for the other arguments.
  OperatorTask(SubtaskInfo info, size_t producers, size_t barrier_copies, size_t channel_capacity,
               std::vector<std::unique_ptr<EdgeOutput>> edges, std::unique_ptr<OperatorChain> chain,
               std::vector<SubtaskInfo> chain_infos, JobContext& context);

  // Opens the operators.
  [[nodiscard]] Status Open() override;

 private:
  bool ReadyForInput() override { return PushOutputs(); }
  [[nodiscard]] Status ProcessRows(StreamBatch& batch) override;
  void OnCaughtUp(const ControlEvent& event) override;
  void OnBarrier(const ControlEvent& event) override;
  void OnEndOfInput(const ControlEvent& event) override;
  void AfterBatch() override { PushOutputs(); }

  // Pushes every pending batch; false (and a wake registered) while a channel is full.
  bool PushOutputs();

  std::vector<std::unique_ptr<EdgeOutput>> edges_;
  std::unique_ptr<OperatorChain> chain_;
  std::vector<SubtaskInfo> chain_infos_;
  bool rows_since_caught_up_ = false;  // rows processed since the last kCaughtUp passed on
};

}  // namespace cdc
