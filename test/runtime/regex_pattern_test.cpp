// RegexPattern: whole-name matching of configuration patterns, in time linear in the name
// whatever the pattern, with hostile patterns refused at compile time instead of hanging or
// overflowing the stack.
#include "runtime/regex_pattern.h"

#include <doctest/doctest.h>

#include <string>

namespace cdc {

TEST_CASE("a pattern matches whole names only") {
  auto pattern = RegexPattern::Compile(R"(shop\.orders_[0-9]+)");
  REQUIRE_MESSAGE(pattern.ok(), pattern.status().ToString());
  CHECK(pattern->FullMatch("shop.orders_12"));
  CHECK_FALSE(pattern->FullMatch("shop.orders_12x"));
  CHECK_FALSE(pattern->FullMatch("xshop.orders_12"));
  CHECK_FALSE(pattern->FullMatch("shopXorders_1"));
  CHECK(pattern->pattern() == R"(shop\.orders_[0-9]+)");
}

TEST_CASE("patterns that backtrack exponentially in std::regex match in linear time") {
  // std::regex takes about 2^n steps for these on n 'a's (and overflows its stack on long
  // names); a hang here is the failure.
  const std::string name(100000, 'a');
  for (const char* hostile : {"(a*)*b", "(a|aa)*c", "(a+)+$x", "(?:a?){50}a{50}"}) {
    CAPTURE(hostile);
    auto pattern = RegexPattern::Compile(hostile);
    REQUIRE_MESSAGE(pattern.ok(), pattern.status().ToString());
    CHECK_FALSE(pattern->FullMatch(name));
  }
}

TEST_CASE("patterns the engine cannot run safely are refused with the reason") {
  auto nested = RegexPattern::Compile("((a{1000}){1000}){1000}");
  REQUIRE_FALSE(nested.ok());
  CHECK(nested.status().message().find("invalid repetition size") != std::string::npos);
  auto huge = RegexPattern::Compile(
      R"((?:\pL|\pN){1000})");  // every letter or digit of Unicode, 1000 times
  REQUIRE_FALSE(huge.ok());
  CHECK(huge.status().message().find("pattern too large") != std::string::npos);
  auto backreference = RegexPattern::Compile(R"((a)\1)");
  REQUIRE_FALSE(backreference.ok());
  CHECK(backreference.status().message().find("invalid escape sequence") != std::string::npos);
  auto unbalanced = RegexPattern::Compile("shop.(orders");
  REQUIRE_FALSE(unbalanced.ok());
  CHECK(unbalanced.status().message().find("missing )") != std::string::npos);
}

}  // namespace cdc
