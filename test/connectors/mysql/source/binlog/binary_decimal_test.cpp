#include "connectors/mysql/source/binlog/binary_decimal.h"

#include <doctest/doctest.h>

#include "test/hex.h"

namespace cdc {

using testing::Hex;

TEST_CASE("a binary DECIMAL's size follows its digit groups") {
  CHECK(BinaryDecimalSize(14, 4) == 7);  // 10 integer digits: 1 + 4 bytes; 4 fraction: 2
  CHECK(BinaryDecimalSize(10, 0) == 5);
  CHECK(BinaryDecimalSize(65, 30) == 30);
  CHECK(BinaryDecimalSize(1, 1) == 1);
  CHECK_FALSE(BinaryDecimalSize(0, 0));
  CHECK_FALSE(BinaryDecimalSize(66, 0));
  CHECK_FALSE(BinaryDecimalSize(40, 31));
  CHECK_FALSE(BinaryDecimalSize(4, 5));
}

TEST_CASE("binary DECIMALs decode to their sign, integer digits and fraction digits") {
  // MySQL's documented example (decimal2bin): 1234567890.1234 as DECIMAL(14,4).
  auto positive = DecodeBinaryDecimal(Hex("810DFB38D204D2"), 14, 4);
  REQUIRE(positive);
  CHECK_FALSE(positive->negative);
  CHECK(positive->integer == "1234567890");
  CHECK(positive->fraction == "1234");
  auto negative = DecodeBinaryDecimal(Hex("7EF204C72DFB2D"), 14, 4);
  REQUIRE(negative);
  CHECK(negative->negative);
  CHECK(negative->integer == "1234567890");
  CHECK(negative->fraction == "1234");
  auto zero = DecodeBinaryDecimal(Hex("800000"), 5, 2);  // 0.00: 3 integer digits, 2 fraction
  REQUIRE(zero);
  CHECK_FALSE(zero->negative);
  CHECK(zero->integer == "0");
  CHECK(zero->fraction == "00");
  auto negative_zero = DecodeBinaryDecimal(Hex("7FFFFF"), 5, 2);
  REQUIRE(negative_zero);
  CHECK(negative_zero->negative);
  CHECK(negative_zero->integer == "0");
}

TEST_CASE("a binary DECIMAL of the wrong size or with a digit group out of range is refused") {
  CHECK_FALSE(DecodeBinaryDecimal(Hex("810DFB38D204"), 14, 4));      // a byte short
  CHECK_FALSE(DecodeBinaryDecimal(Hex("810DFB38D204D200"), 14, 4));  // a byte over
  CHECK_FALSE(DecodeBinaryDecimal(Hex("80FFFFFFFF"), 10, 0));        // 4294967295 > 9 digits
  CHECK_FALSE(DecodeBinaryDecimal(Hex("E4"), 2, 0));                 // 100 in a group of two digits
  auto largest = DecodeBinaryDecimal(Hex("E3"), 2, 0);
  REQUIRE(largest);
  CHECK(largest->integer == "99");
}

}  // namespace cdc
