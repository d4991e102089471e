// CanalJsonOptions: how a CanalJsonEncoder writes its messages. The pipeline YAML's names are
// the sink's business (`enable-extension`, with TiCDC's `enable-tidb-extension` accepted as an
// alias); these are the encoder's own.
//
// A plain value type.
#pragma once

#include <string>

#include "runtime/status.h"

namespace cdc {

struct CanalJsonOptions {
  // Write the extension block (commit position, GTID, and the large-message fields) into every
  // change message, and allow watermark messages: TiCDC's enable-tidb-extension.
  bool enable_extension = false;
  // The extension block's field name. TiCDC names its block "_tidb"; ours holds other fields
  // (a binlog position, not a TiDB TSO), so it has a name of its own.
  std::string extension_block = "_cdc";
  // An UPDATE's `old` holds only the columns whose value changed, as Canal writes it, instead
  // of the whole before image, as TiCDC writes it by default: TiCDC's
  // only-output-updated-columns.
  bool only_output_updated_columns = false;

  // InvalidArgument naming the field and the fix: an empty extension block name, one that is a
  // canal-json field ("data", "old", ...) or holds characters a JSON key must escape.
  Status Validate() const;
};

}  // namespace cdc
