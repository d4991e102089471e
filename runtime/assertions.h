// CDC_ASSERT: for bugs only, never for bad input. Active in every build type, because a broken
// invariant in a replication engine must stop it before it writes wrong data.
#pragma once

#include <cstdio>
#include <cstdlib>

#define CDC_ASSERT(cond)                                                              \
  do {                                                                                \
    if (!(cond)) {                                                                    \
      std::fprintf(stderr, "%s:%d: internal invariant failed: %s\n", __FILE__, __LINE__, \
                   #cond);                                                            \
      std::abort();                                                                   \
    }                                                                                 \
  } while (false)
