// CheckpointStore: completed checkpoints persisted in a state directory so a restarted job
// resumes where the last one left off. Each checkpoint is one file, "checkpoint-<id>", written
// atomically: a temporary file is written and fsynced, renamed over the final name, and the
// directory is fsynced, so a crash at any moment leaves either the previous checkpoint or the
// new one, never a torn file. The newest `keep` files are kept; older ones are removed.
//
// File format (text header lines, length-prefixed binary-safe sections):
//   cdc-checkpoint 2
//   id <id>
//   section <name> <byte count> <crc32>\n<bytes>\n  (source.<i> for each source state, then
//                                                    any attachments by name; the CRC-32 of
//                                                    the bytes in 8 hex digits)
//   end
// Files of format 1 (written before sections had checksums) are read too.
//
// Thread-compatible: one writer at a time (the job's checkpoint completions are serialised).
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include "runtime/checkpoint_coordinator.h"
#include "runtime/status.h"

namespace cdc {

class CheckpointStore {
 public:
  // Uses `directory`, creating it (and its parents) when missing. IoError naming the directory
  // and the system error when it cannot be created or written.
  static Result<CheckpointStore> Open(std::string directory, size_t keep = 3);

  // Persists `checkpoint` durably, then removes checkpoints older than the newest `keep`.
  Status Save(const CompletedCheckpoint& checkpoint);

  // The newest checkpoint that reads back whole, or nullopt when there is none. A damaged
  // newest file (which a crash cannot make, but a disk or a person can) is an error naming
  // it, so nothing resumes from an older position silently.
  Result<std::optional<CompletedCheckpoint>> LoadLatest() const;

  const std::string& directory() const { return directory_; }
  // The file that holds checkpoint `id`.
  std::string PathOf(uint64_t id) const;

 private:
  CheckpointStore(std::string directory, size_t keep)
      : directory_(std::move(directory)), keep_(keep) {}

  std::string directory_;
  size_t keep_;
};

// The file form of `checkpoint`, and back; exposed for tests.
std::string EncodeCheckpoint(const CompletedCheckpoint& checkpoint);
Result<CompletedCheckpoint> DecodeCheckpoint(std::string_view bytes);

}  // namespace cdc
