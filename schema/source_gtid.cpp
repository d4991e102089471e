#include "schema/source_gtid.h"

#include <charconv>

#include "schema/interned_text.h"

namespace cdc {

SourceGtid::SourceGtid(std::string_view text, const SourceGtid& like) {
  if (text.empty()) return;
  size_t separator = text.find_last_of("-:");
  std::string_view digits =
      separator == std::string_view::npos ? std::string_view() : text.substr(separator + 1);
  uint64_t number = 0;
  auto [end, error] = std::from_chars(digits.data(), digits.data() + digits.size(), number);
  // A canonical number only ("42", not "042"), so str() gives the text back.
  numbered_ = !digits.empty() && error == std::errc() && end == digits.data() + digits.size() &&
              (digits.size() == 1 || digits[0] != '0');
  std::string_view prefix = numbered_ ? text.substr(0, separator + 1) : text;
  sequence_ = numbered_ ? number : 0;
  prefix_ = like.prefix_ != nullptr && like.numbered_ == numbered_ && *like.prefix_ == prefix
                ? like.prefix_
                : &InternText(prefix);
}

std::string SourceGtid::str() const {
  if (prefix_ == nullptr) return std::string();
  return numbered_ ? *prefix_ + std::to_string(sequence_) : *prefix_;
}

}  // namespace cdc
