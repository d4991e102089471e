#include "schema/character_set.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("each character set has MariaDB's default collation") {
  CHECK(DefaultCollationOfCharset("latin1") == "latin1_swedish_ci");
  CHECK(DefaultCollationOfCharset("utf8mb4") == "utf8mb4_general_ci");
  CHECK(DefaultCollationOfCharset("utf8") == "utf8mb3_general_ci");
  CHECK(DefaultCollationOfCharset("UTF8MB3") == "utf8mb3_general_ci");
  CHECK(DefaultCollationOfCharset("ascii") == "ascii_general_ci");
  CHECK(DefaultCollationOfCharset("binary") == "binary");
  CHECK(DefaultCollationOfCharset("ucs2") == "ucs2_general_ci");
  CHECK(DefaultCollationOfCharset("sjis") == "sjis_japanese_ci");
  CHECK(DefaultCollationOfCharset("latin5") == "latin5_turkish_ci");
  CHECK(DefaultCollationOfCharset("klingon").empty());
}

TEST_CASE("names are canonical: lower case, utf8 spelled utf8mb3") {
  CHECK(CanonicalCharsetName("UTF8") == "utf8mb3");
  CHECK(CanonicalCharsetName("Latin1") == "latin1");
  CHECK(CanonicalCollationName("UTF8_General_CI") == "utf8mb3_general_ci");
  CHECK(CanonicalCollationName("utf8mb4_bin") == "utf8mb4_bin");
}

TEST_CASE("a collation's character set is the word before its first underscore") {
  CHECK(CharsetOfCollation("utf8mb4_unicode_520_ci") == "utf8mb4");
  CHECK(CharsetOfCollation("utf8_bin") == "utf8mb3");
  CHECK(CharsetOfCollation("binary") == "binary");
  CHECK(CharsetOfCollation("LATIN1_BIN") == "latin1");
}

TEST_CASE("the BINARY attribute's collation and the widest character of each set") {
  CHECK(BinCollationOfCharset("utf8mb4") == "utf8mb4_bin");
  CHECK(BinCollationOfCharset("utf8") == "utf8mb3_bin");
  CHECK(BinCollationOfCharset("binary") == "binary");
  CHECK(MaxBytesPerCharacter("utf8mb4") == 4);
  CHECK(MaxBytesPerCharacter("utf8") == 3);
  CHECK(MaxBytesPerCharacter("ucs2") == 2);
  CHECK(MaxBytesPerCharacter("latin1") == 1);
  CHECK(MaxBytesPerCharacter("binary") == 1);
  CHECK(MaxBytesPerCharacter("unknown") == 1);
}

}  // namespace
}  // namespace cdc
