#include "operators/engine/operator_chain.h"

namespace cdc {

class OperatorChain::Stage final : public Output {
 public:
  Stage(std::vector<EdgeOutput*> tap, Operator* next_operator)
      : tap_(std::move(tap)), next_operator_(next_operator) {}

  void set_next_stage(Stage* next) { next_stage_ = next; }

  Status Emit(RowChange&& change) override {
    if (next_operator_ == nullptr) {
      // Last stage: every edge but the last gets a copy.
      if (tap_.empty()) return Status::Ok();
      for (size_t i = 0; i + 1 < tap_.size(); ++i)
        tap_[i]->Add(static_cast<const RowChange&>(change));
      tap_.back()->Add(std::move(change));
      return Status::Ok();
    }
    for (EdgeOutput* edge : tap_) edge->Add(static_cast<const RowChange&>(change));
    return next_operator_->Process(std::move(change), *next_stage_);
  }

 private:
  std::vector<EdgeOutput*> tap_;
  Operator* next_operator_;
  Stage* next_stage_ = nullptr;
};

OperatorChain::OperatorChain(std::vector<std::unique_ptr<Operator>> operators,
                             std::vector<std::vector<EdgeOutput*>> taps)
    : operators_(std::move(operators)) {
  taps.resize(operators_.size() + 1);
  for (size_t k = 0; k <= operators_.size(); ++k) {
    for (EdgeOutput* edge : taps[k]) edges_.push_back(edge);
    Operator* next = k < operators_.size() ? operators_[k].get() : nullptr;
    stages_.push_back(std::make_unique<Stage>(std::move(taps[k]), next));
  }
  for (size_t k = 0; k + 1 < stages_.size(); ++k) stages_[k]->set_next_stage(stages_[k + 1].get());
}

OperatorChain::~OperatorChain() = default;

Status OperatorChain::Open(const std::vector<SubtaskInfo>& infos) {
  for (size_t k = 0; k < operators_.size(); ++k) CDC_RETURN_IF_ERROR(operators_[k]->Open(infos[k]));
  return Status::Ok();
}

Output& OperatorChain::input() {
  return *stages_.front();
}

Status OperatorChain::OnBarrier(const CheckpointBarrier& barrier) {
  for (size_t k = 0; k < operators_.size(); ++k) {
    CDC_RETURN_IF_ERROR(operators_[k]->OnBarrier(barrier, *stages_[k + 1]));
  }
  return Status::Ok();
}

Status OperatorChain::Finish() {
  for (size_t k = 0; k < operators_.size(); ++k) {
    CDC_RETURN_IF_ERROR(operators_[k]->Finish(*stages_[k + 1]));
  }
  return Status::Ok();
}

}  // namespace cdc
