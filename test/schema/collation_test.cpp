#include "schema/collation.h"

#include <string>

#include <doctest/doctest.h>

namespace cdc {
namespace {

bool Same(std::string_view collation, std::string_view a, std::string_view b) {
  const Collation c = Collation::FromName(collation);
  return c.SortKey(a) == c.SortKey(b);
}

TEST_CASE("collation rules are read from the collation's name") {
  const Collation general = Collation::FromName("utf8mb4_general_ci");
  CHECK(general.name == "utf8mb4_general_ci");
  CHECK(general.case_insensitive);
  CHECK(general.accent_insensitive);
  CHECK(general.pad_space);

  const Collation bin = Collation::FromName("utf8mb4_bin");
  CHECK_FALSE(bin.case_insensitive);
  CHECK_FALSE(bin.accent_insensitive);
  CHECK(bin.pad_space);  // MySQL's pre-0900 _bin collations are PAD SPACE
  CHECK_FALSE(bin.is_binary());

  const Collation uca = Collation::FromName("utf8mb4_0900_ai_ci");
  CHECK(uca.case_insensitive);
  CHECK(uca.accent_insensitive);
  CHECK_FALSE(uca.pad_space);

  const Collation as_ci = Collation::FromName("utf8mb4_0900_as_ci");
  CHECK(as_ci.case_insensitive);
  CHECK_FALSE(as_ci.accent_insensitive);

  const Collation as_cs = Collation::FromName("utf8mb4_0900_as_cs");
  CHECK(as_cs.is_binary());

  CHECK(Collation::FromName("utf8mb4_0900_bin").is_binary());
  CHECK(Collation::FromName("utf8mb4_nopad_bin").is_binary());
  CHECK(Collation::FromName("binary").is_binary());
  CHECK(Collation::FromName("").is_binary());
  CHECK(Collation::FromName("").name.empty());
  CHECK_FALSE(Collation::FromName("utf8mb4_general_nopad_ci").pad_space);
  CHECK(Collation::FromName("latin1_general_cs").pad_space);
  CHECK_FALSE(Collation::FromName("latin1_general_cs").case_insensitive);
  CHECK(Collation::FromName("UTF8MB4_GENERAL_CI").case_insensitive);

  const Collation ai_cs = Collation::FromName("utf8mb4_uca1400_ai_cs");
  CHECK(ai_cs.accent_insensitive);
  CHECK_FALSE(ai_cs.case_insensitive);
}

TEST_CASE("'a' equals 'A' under utf8mb4_general_ci but not under utf8mb4_bin") {
  CHECK(Same("utf8mb4_general_ci", "a", "A"));
  CHECK(Same("utf8mb4_general_ci", "Hello World", "hELLO wORLD"));
  CHECK_FALSE(Same("utf8mb4_bin", "a", "A"));
  CHECK_FALSE(Same("utf8mb4_0900_as_cs", "a", "A"));
  CHECK_FALSE(Same("utf8mb4_general_ci", "a", "b"));
  CHECK(Collation::FromName("utf8mb4_general_ci").SortKey("AbC") == "abc");
}

TEST_CASE("trailing spaces are ignored under PAD SPACE but not under utf8mb4_0900_ai_ci") {
  CHECK(Same("utf8mb4_general_ci", "a ", "a"));
  CHECK(Same("utf8mb4_bin", "a   ", "a"));
  CHECK(Same("latin1_swedish_ci", "A  ", "a"));
  CHECK_FALSE(Same("utf8mb4_0900_ai_ci", "a ", "a"));
  CHECK_FALSE(Same("utf8mb4_general_nopad_ci", "a ", "a"));
  CHECK_FALSE(Same("binary", "a ", "a"));
  // Only trailing spaces: leading spaces, tabs and inner spaces count.
  CHECK_FALSE(Same("utf8mb4_general_ci", " a", "a"));
  CHECK_FALSE(Same("utf8mb4_general_ci", "a\t", "a"));
  CHECK_FALSE(Same("utf8mb4_general_ci", "a b", "ab"));
  CHECK(Collation::FromName("utf8mb4_bin").SortKey("x  ") == "x");
}

TEST_CASE("'é' equals 'E' under general_ci but not under an _as_ci collation") {
  CHECK(Same("utf8mb4_general_ci", "é", "E"));
  CHECK(Same("utf8mb4_0900_ai_ci", "café", "CAFE"));
  CHECK_FALSE(Same("utf8mb4_0900_as_ci", "é", "E"));
  CHECK_FALSE(Same("utf8mb4_0900_as_ci", "é", "e"));
  CHECK(Same("utf8mb4_0900_as_ci", "é", "É"));
  CHECK_FALSE(Same("utf8mb4_bin", "é", "e"));
  // Accents folded but case kept.
  CHECK(Same("utf8mb4_uca1400_ai_cs", "É", "E"));
  CHECK_FALSE(Same("utf8mb4_uca1400_ai_cs", "É", "e"));
}

TEST_CASE("Latin-1 and Latin Extended-A letters fold to their base letter") {
  const Collation c = Collation::FromName("utf8mb4_general_ci");
  CHECK(c.SortKey("ÀÁÂÃÄÅ") == "aaaaaa");
  CHECK(c.SortKey("Ç Ñ Ø Ý ÿ") == "c n o y y");
  CHECK(c.SortKey("Łódź") == "lodz");
  CHECK(c.SortKey("ŠKODA") == "skoda");
  CHECK(c.SortKey("Ÿ") == "y");
  CHECK(c.SortKey("Straße") == "straße");  // ß has no single-letter base here
  CHECK(c.SortKey("Æ") == "æ");
  CHECK(c.SortKey("×÷") == "×÷");  // signs, not letters
}

TEST_CASE("case folds without accent folding for Latin, Greek and Cyrillic letters") {
  const Collation c = Collation::FromName("utf8mb4_0900_as_ci");
  CHECK(c.SortKey("ÉCOLE") == "école");
  CHECK(c.SortKey("ŁĄKA") == "łąka");
  CHECK(c.SortKey("ĹĽŹŽ") == "ĺľźž");    // the odd/even pairs
  CHECK(c.SortKey("ĀĒĪŌŪ") == "āēīōū");  // the even/odd pairs
  CHECK(c.SortKey("ΑΒΓΩ") == "αβγω");
  CHECK(c.SortKey("ΟΔΟΣ") == c.SortKey("οδος"));  // final sigma is sigma
  CHECK(c.SortKey("МОСКВА") == "москва");
  CHECK(c.SortKey("ЁЖ") == "ёж");
  CHECK(c.SortKey("ЂЏ") == "ђџ");
  CHECK(c.SortKey("日本") == "日本");
  CHECK(c.SortKey("😀A") == "😀a");
}

TEST_CASE("text that is not valid UTF-8 is compared as bytes") {
  const Collation c = Collation::FromName("utf8mb4_general_ci");
  const std::string invalid("AB\xff", 3);
  CHECK(c.SortKey(invalid) == invalid);
  CHECK(c.SortKey(invalid + "  ") == invalid);                           // PAD SPACE still applies
  CHECK(c.SortKey(std::string("A\xc3", 2)) == std::string("A\xc3", 2));  // truncated
  CHECK(c.SortKey(std::string("A\xc0\x81", 3)) == std::string("A\xc0\x81", 3));  // overlong
  CHECK(c.SortKey(std::string("A\xed\xa0\x80", 4)) == std::string("A\xed\xa0\x80", 4));
  CHECK(c.SortKey(std::string("A\0B", 3)) == std::string("a\0b", 3));  // NUL is valid
}

TEST_CASE("latin1 collations read their bytes as Latin-1") {
  const Collation c = Collation::FromName("latin1_swedish_ci");
  CHECK(c.SortKey("\xc9T\xc9") == c.SortKey("\xe9t\xe9"));  // ÉTÉ and été in Latin-1
  CHECK(c.SortKey("\xc9") == c.SortKey("e"));
  CHECK(c.SortKey("\x8a") == c.SortKey("\x9a"));  // Š and š in Windows-1252
  CHECK(c.SortKey("ABC") == "abc");
  CHECK(Collation::FromName("latin1_bin").SortKey("\xc9 ") == "\xc9");
}

TEST_CASE("common collation ids map to their names and back") {
  CHECK(CollationNameById(8) == "latin1_swedish_ci");
  CHECK(CollationNameById(33) == "utf8mb3_general_ci");
  CHECK(CollationNameById(45) == "utf8mb4_general_ci");
  CHECK(CollationNameById(46) == "utf8mb4_bin");
  CHECK(CollationNameById(63) == "binary");
  CHECK(CollationNameById(224) == "utf8mb4_unicode_ci");
  CHECK(CollationNameById(255) == "utf8mb4_0900_ai_ci");
  CHECK(CollationNameById(1000).empty());

  CHECK(CollationIdByName("utf8mb4_0900_ai_ci") == 255);
  CHECK(CollationIdByName("utf8_general_ci") == 33);
  CHECK(CollationIdByName("utf8mb3_general_ci") == 33);
  CHECK(CollationIdByName("utf8_bin") == 83);
  CHECK(CollationIdByName("UTF8MB4_BIN") == 46);
  CHECK(CollationIdByName("latin1_german2_ci") == 31);
  CHECK(CollationIdByName("ascii_bin") == 65);
  CHECK(CollationIdByName("no_such_collation") == 0);
  CHECK(CollationIdByName("") == 0);
  for (uint16_t id : {5, 8, 11, 31, 33, 45, 46, 47, 63, 65, 83, 192, 224, 255}) {
    CHECK(CollationIdByName(CollationNameById(id)) == id);
  }
}

}  // namespace
}  // namespace cdc
