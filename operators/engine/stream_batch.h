// StreamBatch: what travels on a channel between subtasks: row changes in source order,
// optionally followed by one control event (a checkpoint barrier or the end of the input).
// Batching amortises the channel's synchronisation over hundreds of rows.
//
// A movable value, owned by one subtask at a time.
#pragma once

#include <optional>
#include <vector>

#include "runtime/checkpoint_coordinator.h"
#include "schema/row_change.h"

namespace cdc {

// kCaughtUp: the source has caught up (nothing more is ready for now), so sinks write what
// they hold instead of waiting for their flush interval; operators pass it on. Not aligned:
// each copy makes the sink flush what arrived before it.
enum class ControlKind : uint8_t { kBarrier, kEndOfInput, kCaughtUp };

struct ControlEvent {
  ControlKind kind = ControlKind::kEndOfInput;
  CheckpointBarrier barrier;  // kBarrier only
};

struct StreamBatch {
  std::vector<RowChange> rows;
  // rows[i].ByteSize(), computed by the producer while the row is in its cache, so the sink
  // does not touch every value again on another core just to count bytes.
  std::vector<uint32_t> row_bytes;
  std::optional<ControlEvent> control;  // comes after every row of the batch
  // Which of the receiving subtask's producers sent it (the producing subtask's index; 0 on a
  // forward edge), for aligning table barriers (TableBarrierAlignment).
  uint32_t producer = 0;
};

}  // namespace cdc
