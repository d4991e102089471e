// The operator API: how a user writes a step of a job. An Operator receives row changes one at
// a time, in order, and emits zero or more changes to its Output. Operators are chained on the
// subtask that runs them (Flink's operator chaining): Emit() runs the next operator directly.
//
// Thread-bound: each parallel subtask has its own Operator instance, called from one thread at
// a time; operators never start threads, sleep or block.
#pragma once

#include <cstddef>
#include <functional>
#include <memory>
#include <string>

#include "runtime/checkpoint_coordinator.h"
#include "runtime/status.h"
#include "schema/row_change.h"

namespace cdc {

class Output {
 public:
  virtual ~Output() = default;
  // Hands `change` to the next step. An error stops the job; return it from Process.
  virtual Status Emit(RowChange&& change) = 0;
};

// Where an operator instance runs.
struct SubtaskInfo {
  std::string name;  // the operator's name in the job
  size_t index = 0;  // 0 .. parallelism - 1
  size_t parallelism = 1;
};

class Operator {
 public:
  virtual ~Operator() = default;

  // Called once before the first change.
  virtual Status Open(const SubtaskInfo& /*info*/) { return Status::Ok(); }

  // Processes one change; may emit any number of changes. An error stops the job and is what
  // Job::Run() returns.
  virtual Status Process(RowChange&& change, Output& out) = 0;

  // A checkpoint barrier passes: emit whatever is held back that came before it.
  virtual Status OnBarrier(const CheckpointBarrier& /*barrier*/, Output& /*out*/) {
    return Status::Ok();
  }

  // The input ended: emit whatever is held back.
  virtual Status Finish(Output& /*out*/) { return Status::Ok(); }
};

// Builds one Operator per parallel subtask.
using OperatorFactory = std::function<std::unique_ptr<Operator>(const SubtaskInfo&)>;

}  // namespace cdc
