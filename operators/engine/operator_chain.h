// OperatorChain: the operators of one subtask, run one after another on the subtask's thread
// (Flink's operator chaining), with the edges that leave the chain. Edges may leave at any
// position ("taps"): tap k carries the output of the first k operators, so one stream can fan
// out to several consumers. A change reaches a tap's edges (copied) before it is moved into
// the next operator.
//
// Thread-bound: owned by one subtask.
#pragma once

#include <memory>
#include <vector>

#include "operators/engine/edge_output.h"
#include "operators/operator.h"

namespace cdc {

class OperatorChain {
 public:
  // `taps[k]` (k = 0 .. operators.size()) are the edges fed by the output of the first k
  // operators. The chain does not own the edges.
  OperatorChain(std::vector<std::unique_ptr<Operator>> operators,
                std::vector<std::vector<EdgeOutput*>> taps);
  ~OperatorChain();

  // Opens every operator; `infos[k]` names operator k's subtask.
  Status Open(const std::vector<SubtaskInfo>& infos);

  // The chain's entry: a change from the source or the subtask's input.
  Output& input();

  // Passes a barrier through the operators in order (each may emit what it held back);
  // the caller then sends the barrier on every edge.
  Status OnBarrier(const CheckpointBarrier& barrier);

  // The input ended: finishes the operators in order.
  Status Finish();

  // Every edge leaving the chain, once each.
  const std::vector<EdgeOutput*>& edges() const { return edges_; }

 private:
  class Stage;

  std::vector<std::unique_ptr<Operator>> operators_;
  std::vector<std::unique_ptr<Stage>> stages_;  // stage k feeds tap k and operator k
  std::vector<EdgeOutput*> edges_;
};

}  // namespace cdc
