// Civil (proleptic Gregorian) dates against days since 1970-01-01, both ways, for any year a
// 64-bit day count reaches: how TIMESTAMP values become wall-clock text and back (Value's text
// form, the snapshot's query text, the line format). The calendar repeats every 400 years
// (146097 days); years are counted from March 1 so the leap day ends the counted year and month
// lengths follow a 153-day pattern (Howard Hinnant's days_from_civil and civil_from_days).
// Pure functions; thread-safe.
#pragma once

#include <cstdint>

namespace cdc {

// The year is 64-bit: a TIMESTAMP far from the epoch may lie outside MySQL's DATE range.
struct CivilDate {
  int64_t year;
  unsigned month;  // 1-12
  unsigned day;    // 1-31
};

// The date `days` days after 1970-01-01 (before it when negative).
CivilDate CivilFromDays(int64_t days);

// Days from 1970-01-01 to year-month-day; requires month 1-12. Days past a month's end count
// on into the next month, as the formula does (callers check the ranges they accept).
int64_t DaysFromCivil(int64_t year, unsigned month, unsigned day);

}  // namespace cdc
