// Logger: where the engine's messages go. Library code never writes to stderr itself: it calls
// Log(level, component, message), and the program that embeds the engine decides, with
// SetLogger, where lines go and which levels pass (Flink's and Debezium's slf4j role). The
// default writes text lines to stderr from level info on:
//   [mysql source] snapshot done: ...             (info)
//   [mysql sink] warning: the target rejected ... (warning, error and debug name their level)
// or, with LogFormat::kJson, one JSON object a line:
//   {"time":"2026-12-03T15:40:00.123456Z","level":"info","component":"mysql
//   source","message":"..."}
//
// Thread-safe: Log may be called from any thread; each line is written whole.
#pragma once

#include <cstdint>
#include <cstdio>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "runtime/status.h"

namespace cdc {

enum class LogLevel : uint8_t { kDebug, kInfo, kWarning, kError };
enum class LogFormat : uint8_t { kText, kJson };

// "debug", "info", "warning" (or "warn"), "error".
Result<LogLevel> ParseLogLevel(std::string_view text);
// "text", "json".
Result<LogFormat> ParseLogFormat(std::string_view text);
const char* LogLevelName(LogLevel level);

class Logger {
 public:
  virtual ~Logger() = default;
  // Called only for levels the logger accepts (see min_level); must be thread-safe.
  virtual void Write(LogLevel level, std::string_view component, std::string_view message) = 0;
  virtual LogLevel min_level() const { return LogLevel::kInfo; }
};

// Lines to a C stream (stderr by default), in `format`, from `min_level` on.
class StreamLogger final : public Logger {
 public:
  explicit StreamLogger(LogFormat format = LogFormat::kText, LogLevel min_level = LogLevel::kInfo,
                        std::FILE* out = stderr)
      : format_(format), min_level_(min_level), out_(out) {}
  void Write(LogLevel level, std::string_view component, std::string_view message) override;
  LogLevel min_level() const override { return min_level_; }

  // The line Write writes (with its newline); exposed for tests. `time_us`: Unix microseconds.
  static std::string Format(LogFormat format, LogLevel level, std::string_view component,
                            std::string_view message, int64_t time_us);

 private:
  LogFormat format_;
  LogLevel min_level_;
  std::FILE* out_;
  std::mutex mutex_;  // one line at a time
};

// Replaces the process's logger (null: the default StreamLogger again).
void SetLogger(std::shared_ptr<Logger> logger);
// Whether a message of `level` would be written (to skip formatting one that would not).
bool LogEnabled(LogLevel level);
void Log(LogLevel level, std::string_view component, std::string_view message);

}  // namespace cdc
