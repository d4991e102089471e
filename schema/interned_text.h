// InternText: one process-wide table of immutable strings that never shrinks, for the few
// distinct texts that millions of values repeat (binlog file names, GTID prefixes): a value
// keeps a pointer to the interned string instead of a copy.
//
// Thread-safe (the table is locked while interning); an interned string never moves and lives
// until the process ends.
#pragma once

#include <string>
#include <string_view>

namespace cdc {

// The interned copy of `text`: equal texts give the same string.
const std::string& InternText(std::string_view text);

}  // namespace cdc
