#include "connectors/mq/name_glob.h"

#include <doctest/doctest.h>

#include "connectors/mq/table_matcher.h"

namespace cdc {
namespace {

bool Glob(const char* pattern, const char* name) {
  auto glob = NameGlob::Parse(pattern);
  REQUIRE(glob.ok());
  return glob->Matches(name);
}

TEST_CASE("name globs: * and ? and sets, case-insensitively, with escapes") {
  CHECK(Glob("*", ""));
  CHECK(Glob("*", "orders"));
  CHECK(Glob("ord*", "ORDERS"));
  CHECK(Glob("*s", "orders"));
  CHECK_FALSE(Glob("*s", "order"));
  CHECK(Glob("o?der", "order"));
  CHECK_FALSE(Glob("o?der", "oder"));
  CHECK(Glob("t[0-9]", "t7"));
  CHECK_FALSE(Glob("t[0-9]", "tx"));
  CHECK(Glob("t[!0-9]", "tx"));
  CHECK_FALSE(Glob("t[!0-9]", "t1"));
  CHECK(Glob("a*b*c", "axxbyyc"));
  CHECK_FALSE(Glob("a*b*c", "axxbyy"));
  CHECK(Glob("a\\*", "a*"));
  CHECK_FALSE(Glob("a\\*", "ab"));
  CHECK(Glob("**x", "abx"));
}

TEST_CASE("a bad glob is refused with the fix") {
  auto unclosed = NameGlob::Parse("t[0-9");
  REQUIRE_FALSE(unclosed.ok());
  CHECK(unclosed.status().message().find("without its ']'") != std::string::npos);
  auto trailing = NameGlob::Parse("t\\");
  REQUIRE_FALSE(trailing.ok());
  CHECK(trailing.status().message().find("ends in '\\'") != std::string::npos);
}

TEST_CASE("table matchers: schema.table patterns, the last matching one decides, ! excludes") {
  auto matcher = TableMatcher::Parse({"shop.*", "!shop.tmp_*", "audit.log"});
  REQUIRE(matcher.ok());
  CHECK(matcher->Matches(TableId{"shop", "orders"}));
  CHECK(matcher->Matches(TableId{"SHOP", "Orders"}));
  CHECK_FALSE(matcher->Matches(TableId{"shop", "tmp_x"}));
  CHECK(matcher->Matches(TableId{"audit", "log"}));
  CHECK_FALSE(matcher->Matches(TableId{"audit", "logs"}));
  CHECK_FALSE(matcher->Matches(TableId{"other", "orders"}));
  // An exclusion before an inclusion is overridden by it.
  auto reinclude = TableMatcher::Parse({"!shop.tmp_*", "shop.*"});
  REQUIRE(reinclude.ok());
  CHECK(reinclude->Matches(TableId{"shop", "tmp_x"}));
  auto bad = TableMatcher::Parse({"shop"});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message() ==
        "matcher pattern 'shop' is not schema.table: write e.g. shop.* or *.orders");
}

}  // namespace
}  // namespace cdc
