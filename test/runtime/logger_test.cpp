// Logger: the engine's messages as text or JSON lines, filtered by level, sent where the
// embedding program says.
#include "runtime/logger.h"

#include <doctest/doctest.h>

#include <string>
#include <vector>

namespace cdc {
namespace {

struct CapturingLogger final : Logger {
  std::vector<std::string> lines;
  void Write(LogLevel level, std::string_view component, std::string_view message) override {
    lines.push_back(std::string(LogLevelName(level)) + "|" + std::string(component) + "|" +
                    std::string(message));
  }
  LogLevel min_level() const override { return LogLevel::kWarning; }
};

}  // namespace

TEST_CASE("text lines name the component, and the level unless it is info") {
  CHECK(StreamLogger::Format(LogFormat::kText, LogLevel::kInfo, "mysql source", "snapshot done",
                             0) == "[mysql source] snapshot done\n");
  CHECK(StreamLogger::Format(LogFormat::kText, LogLevel::kWarning, "mysql sink", "retry 1 of 9",
                             0) == "[mysql sink] warning: retry 1 of 9\n");
}

TEST_CASE("JSON lines carry time, level, component and the message, escaped") {
  // 2026-12-03T15:40:00.000123Z
  CHECK(
      StreamLogger::Format(LogFormat::kJson, LogLevel::kError, "mysql sink",
                           "rejected \"k\"\tat\\x\n\x01 caf\xc3\xa9", 1796312400000123) ==
      "{\"time\":\"2026-12-03T15:40:00.000123Z\",\"level\":\"error\",\"component\":\"mysql sink\","
      "\"message\":\"rejected \\\"k\\\"\\tat\\\\x\\n\\u0001 caf\xc3\xa9\"}\n");
}

TEST_CASE("the logger an embedding program sets receives the messages of its levels only") {
  auto capturing = std::make_shared<CapturingLogger>();
  SetLogger(capturing);
  Log(LogLevel::kInfo, "route", "passed by the level filter");
  Log(LogLevel::kWarning, "route", "kept");
  CHECK_FALSE(LogEnabled(LogLevel::kInfo));
  CHECK(LogEnabled(LogLevel::kError));
  SetLogger(nullptr);  // the default again
  CHECK(LogEnabled(LogLevel::kInfo));
  CHECK(capturing->lines == std::vector<std::string>{"warning|route|kept"});
}

TEST_CASE("log levels and formats parse from their names, and refuse others with the choices") {
  CHECK(*ParseLogLevel("debug") == LogLevel::kDebug);
  CHECK(*ParseLogLevel("warn") == LogLevel::kWarning);
  CHECK(*ParseLogFormat("json") == LogFormat::kJson);
  CHECK(ParseLogLevel("verbose").status().message() ==
        "unknown log level 'verbose': use debug, info, warning or error");
  CHECK(ParseLogFormat("xml").status().message() == "unknown log format 'xml': use text or json");
}

}  // namespace cdc
