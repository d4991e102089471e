#include "schema/source_gtid.h"

#include <doctest/doctest.h>

#include <string>

namespace cdc {

TEST_CASE("source GTIDs keep their text, with the prefix interned and the number inline") {
  const std::string uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  for (const std::string& text :
       {std::string("0-1-42"), std::string("0-4294967295-18446744073709551615"), uuid + ":7",
        std::string("odd-text"), std::string("0-1-042"), std::string("x:"), std::string("")}) {
    CHECK(SourceGtid(text).str() == text);
  }
  SourceGtid mariadb("0-12345-1234567890");
  CHECK(mariadb.prefix() == "0-12345-");
  CHECK(mariadb.numbered());
  CHECK(mariadb.sequence() == 1234567890);
  CHECK(SourceGtid(uuid + ":7").prefix() == uuid + ":");
  CHECK_FALSE(SourceGtid("0-1-042").numbered());  // not canonical: kept whole
  CHECK(SourceGtid().empty());
  CHECK(SourceGtid("") == SourceGtid());

  // Equal GTIDs are equal values; one prefix is one interned string.
  CHECK(SourceGtid("0-1-42") == SourceGtid(std::string("0-1-") + "42"));
  CHECK_FALSE(SourceGtid("0-1-42") == SourceGtid("0-1-43"));
  CHECK_FALSE(SourceGtid("0-1-42") == SourceGtid("0-2-42"));
  CHECK(SourceGtid("0-1-42").prefix().data() == SourceGtid("0-1-43").prefix().data());
  // With a hint of the same prefix, its interned prefix is taken.
  SourceGtid next("0-12345-1234567891", mariadb);
  CHECK(next.prefix().data() == mariadb.prefix().data());
  CHECK(next.str() == "0-12345-1234567891");
  SourceGtid other("1-12345-5", mariadb);
  CHECK(other.str() == "1-12345-5");
}

}  // namespace cdc
