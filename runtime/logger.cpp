#include "runtime/logger.h"

#include <chrono>
#include <ctime>

#include "runtime/json_string.h"

namespace cdc {
namespace {

std::mutex g_mutex;  // guards g_logger
std::shared_ptr<Logger> g_logger;

std::shared_ptr<Logger> Current() {
  std::lock_guard lock(g_mutex);
  if (g_logger == nullptr) g_logger = std::make_shared<StreamLogger>();
  return g_logger;
}

}  // namespace

Result<LogLevel> ParseLogLevel(std::string_view text) {
  if (text == "debug") return LogLevel::kDebug;
  if (text == "info") return LogLevel::kInfo;
  if (text == "warning" || text == "warn") return LogLevel::kWarning;
  if (text == "error") return LogLevel::kError;
  return Status::InvalidArgument("unknown log level '" + std::string(text) +
                                 "': use debug, info, warning or error");
}

Result<LogFormat> ParseLogFormat(std::string_view text) {
  if (text == "text") return LogFormat::kText;
  if (text == "json") return LogFormat::kJson;
  return Status::InvalidArgument("unknown log format '" + std::string(text) +
                                 "': use text or json");
}

const char* LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug: return "debug";
    case LogLevel::kInfo: return "info";
    case LogLevel::kWarning: return "warning";
    case LogLevel::kError: return "error";
  }
  return "info";
}

std::string StreamLogger::Format(LogFormat format, LogLevel level, std::string_view component,
                                 std::string_view message, int64_t time_us) {
  std::string line;
  if (format == LogFormat::kText) {
    line += '[';
    line += component;
    line += "] ";
    if (level != LogLevel::kInfo) {
      line += LogLevelName(level);
      line += ": ";
    }
    line += message;
    line += '\n';
    return line;
  }
  std::time_t seconds = static_cast<std::time_t>(time_us / 1'000'000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char time[64];
  std::snprintf(time, sizeof time, "%04d-%02d-%02dT%02d:%02d:%02d.%06dZ", utc.tm_year + 1900,
                utc.tm_mon + 1, utc.tm_mday, utc.tm_hour, utc.tm_min, utc.tm_sec,
                static_cast<int>(time_us % 1'000'000));
  line += "{\"time\":\"";
  line += time;
  line += "\",\"level\":\"";
  line += LogLevelName(level);
  line += "\",\"component\":";
  AppendJsonString(component, line);
  line += ",\"message\":";
  AppendJsonString(message, line);
  line += "}\n";
  return line;
}

void StreamLogger::Write(LogLevel level, std::string_view component, std::string_view message) {
  int64_t now_us = std::chrono::duration_cast<std::chrono::microseconds>(
                       std::chrono::system_clock::now().time_since_epoch())
                       .count();
  std::string line = Format(format_, level, component, message, now_us);
  std::lock_guard lock(mutex_);
  std::fwrite(line.data(), 1, line.size(), out_);
  std::fflush(out_);
}

void SetLogger(std::shared_ptr<Logger> logger) {
  std::lock_guard lock(g_mutex);
  g_logger = std::move(logger);
}

bool LogEnabled(LogLevel level) {
  return level >= Current()->min_level();
}

void Log(LogLevel level, std::string_view component, std::string_view message) {
  std::shared_ptr<Logger> logger = Current();
  if (level >= logger->min_level()) logger->Write(level, component, message);
}

}  // namespace cdc
