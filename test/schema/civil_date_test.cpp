#include "schema/civil_date.h"

#include <doctest/doctest.h>

#include <cstdint>
#include <initializer_list>

namespace cdc {

TEST_CASE("civil dates and day counts around the epoch, leap days and the 400-year era") {
  struct Known {
    int64_t year;
    unsigned month, day;
    int64_t days;
  };
  for (const Known& known :
       {Known{1970, 1, 1, 0}, Known{1969, 12, 31, -1}, Known{2000, 2, 29, 11016},
        Known{2000, 3, 1, 11017}, Known{1900, 3, 1, -25508}, Known{2038, 1, 19, 24855},
        Known{0, 3, 1, -719468}, Known{-1, 12, 31, -719529}}) {
    CAPTURE(known.year);
    CAPTURE(known.month);
    CAPTURE(known.day);
    CHECK(DaysFromCivil(known.year, known.month, known.day) == known.days);
    CivilDate date = CivilFromDays(known.days);
    CHECK(date.year == known.year);
    CHECK(date.month == known.month);
    CHECK(date.day == known.day);
  }
}

TEST_CASE("every day count maps to a date and back, far beyond MySQL's years") {
  for (int64_t days = -800'000; days <= 3'000'000; days += 7) {
    CivilDate date = CivilFromDays(days);
    REQUIRE(DaysFromCivil(date.year, date.month, date.day) == days);
  }
  for (int64_t days : {int64_t{-4'000'000'000}, int64_t{4'000'000'000}}) {
    CivilDate date = CivilFromDays(days);
    CHECK(DaysFromCivil(date.year, date.month, date.day) == days);
  }
}

}  // namespace cdc
