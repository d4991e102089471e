// ClaimCheckStorage: where a message-queue sink puts a message too large for the queue
// (TiCDC's large-message-handle-option claim-check), sending in its place a small message that
// names the stored one. Storage is a local or mounted directory ("file:///dir"): each message
// is one file, written under a temporary name, flushed to disk and renamed, so a reference
// never points at a partial file, even across a crash.
//
// Thread-safe.
#pragma once

#include <atomic>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

class ClaimCheckStorage {
 public:
  // `uri` is file:///absolute/dir; the directory is created if missing. InvalidArgument for
  // another scheme or a relative path, IoError when the directory cannot be made.
  static Result<ClaimCheckStorage> Open(const std::string& uri);

  // Stores `bytes` under a new unique name beginning with `name_hint` (sanitised) and returns
  // its location ("file:///dir/name"). IoError naming the file and the cause.
  Result<std::string> Store(std::string_view name_hint, std::string_view bytes);

  ClaimCheckStorage(ClaimCheckStorage&& other) noexcept
      : directory_(std::move(other.directory_)),
        prefix_(std::move(other.prefix_)),
        counter_(other.counter_.load()) {}

 private:
  ClaimCheckStorage(std::string directory, std::string prefix)
      : directory_(std::move(directory)), prefix_(std::move(prefix)) {}

  std::string directory_;
  std::string prefix_;  // unique per process start: names never collide across restarts
  std::atomic<uint64_t> counter_{0};
};

}  // namespace cdc
