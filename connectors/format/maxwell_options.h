// MaxwellOptions: which of Maxwell's optional fields a MaxwellEncoder writes, named after
// Maxwell's own output_* settings (Maxwell's config docs). The defaults are Maxwell's, except
// that the binlog position and GTID are on: a consumer of this format needs them to resume, and
// the decoder reads them back into the change's position.
//
// A plain value type.
#pragma once

#include "runtime/status.h"

namespace cdc {

struct MaxwellOptions {
  bool output_binlog_position = true;       // "position": "file:offset" (Maxwell's default: off)
  bool output_gtid_position = true;         // "gtid", when the change has one (Maxwell's: off)
  bool output_server_id = false;            // "server_id", when the position knows it
  bool output_commit_info = true;           // "xid", the transaction id, when known
  bool output_nulls = true;                 // NULL columns in "data" (else left out)
  bool output_primary_keys = false;         // "primary_key": the key's values
  bool output_primary_key_columns = false;  // "primary_key_columns": the key's column names

  // Every combination is valid; kept for the sink's uniform option checks.
  Status Validate() const { return Status::Ok(); }
};

}  // namespace cdc
