// Status and Result<T>: how every fallible call in this codebase reports failure.
//
// A Status is either OK or carries a code and a message that names what failed, where, and
// what to do about it. Result<T> holds a value or a non-OK Status. Both are immutable values,
// safe to copy between threads.
#pragma once

#include <cassert>
#include <optional>
#include <string>
#include <utility>
#include <variant>

namespace cdc {

enum class StatusCode {
  kOk,
  kInvalidArgument,  // bad input: configuration, YAML, a value
  kIoError,          // a server, a file, the network
  kCancelled,        // the job was stopped before this finished
  kInternal,         // a bug: an invariant did not hold
};

class [[nodiscard]] Status {
 public:
  Status() = default;

  static Status Ok() { return Status(); }
  static Status InvalidArgument(std::string message) {
    return Status(StatusCode::kInvalidArgument, std::move(message));
  }
  static Status IoError(std::string message) {
    return Status(StatusCode::kIoError, std::move(message));
  }
  static Status Cancelled(std::string message) {
    return Status(StatusCode::kCancelled, std::move(message));
  }
  static Status Internal(std::string message) {
    return Status(StatusCode::kInternal, std::move(message));
  }

  bool ok() const { return code_ == StatusCode::kOk; }
  StatusCode code() const { return code_; }
  const std::string& message() const { return message_; }

  // "OK", or the code's name followed by the message.
  std::string ToString() const;

  // A copy whose message is prefixed with `context` ("flushing `db`.`t`: ...").
  Status WithContext(const std::string& context) const;

 private:
  Status(StatusCode code, std::string message) : code_(code), message_(std::move(message)) {}

  StatusCode code_ = StatusCode::kOk;
  std::string message_;
};

const char* StatusCodeName(StatusCode code);

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : value_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Status status) : status_(std::move(status)) {  // NOLINT: implicit by design
    assert(!status_.ok() && "a Result built from a Status must carry an error");
  }

  bool ok() const { return status_.ok(); }
  const Status& status() const { return status_; }

  // Require ok().
  T& value() & { return *value_; }
  const T& value() const& { return *value_; }
  T&& value() && { return std::move(*value_); }
  T* operator->() { return &*value_; }
  const T* operator->() const { return &*value_; }
  T& operator*() & { return *value_; }
  const T& operator*() const& { return *value_; }

 private:
  Status status_;
  std::optional<T> value_;
};

}  // namespace cdc

// Returns early from the enclosing function when `expr` yields a non-OK Status.
#define CDC_RETURN_IF_ERROR(expr)              \
  do {                                         \
    ::cdc::Status cdc_status_ = (expr);        \
    if (!cdc_status_.ok()) return cdc_status_; \
  } while (false)
