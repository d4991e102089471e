#include "runtime/regex_pattern.h"

#include <re2/re2.h>

namespace cdc {

Result<RegexPattern> RegexPattern::Compile(const std::string& pattern) {
  RE2::Options options;
  options.set_log_errors(false);  // the error is returned, not printed
  options.set_max_mem(1 << 20);   // bounds the compiled program: a huge repetition is refused
  auto compiled = std::make_shared<const RE2>(pattern, options);
  if (!compiled->ok()) return Status::InvalidArgument(compiled->error());
  return RegexPattern(pattern, std::move(compiled));
}

bool RegexPattern::FullMatch(std::string_view text) const {
  return RE2::FullMatch(re2::StringPiece(text.data(), text.size()), *compiled_);
}

}  // namespace cdc
