// CDC_ASSERT: for bugs only, never for bad input. Active in every build type, because a broken
// invariant in a replication engine must stop it before it writes wrong data.
#pragma once

#include <cstdlib>
#include <string>

#include "runtime/logger.h"

#define CDC_ASSERT(cond)                                                  \
  do {                                                                    \
    if (!(cond)) {                                                        \
      ::cdc::Log(::cdc::LogLevel::kError, "assert",                       \
                 std::string(__FILE__) + ":" + std::to_string(__LINE__) + \
                     ": internal invariant failed: " #cond);              \
      std::abort();                                                       \
    }                                                                     \
  } while (false)
