#include "connectors/mysql/source/binlog/binlog_decoder.h"

#include <doctest/doctest.h>

#include "test/collecting_output.h"

namespace cdc {

TEST_CASE("events passed over are only those that carry no change; the rest stop with the fix") {
  BinlogDecoder decoder{TableFilter(), nullptr};
  testing::CollectingOutput out;
  auto handle = [&](uint8_t type, uint16_t flags) {
    BinlogEvent event;
    event.header.type = type;
    event.header.flags = flags;
    event.header.next_position = 120;
    return decoder.Handle(event, "mysql-bin.000002", out);
  };
  CHECK(handle(4, 0).ok());       // rotate
  CHECK(handle(160, 0).ok());     // annotate rows
  CHECK(handle(200, 0x80).ok());  // unknown but flagged ignorable
  CHECK(
      handle(39, 0).message() ==
      "the binlog event of type 39 ending at mysql-bin.000002:120 is a partial JSON update, which "
      "carries no full row image: set binlog_row_value_options='' on the source server");
  CHECK(handle(40, 0x80).message().find("binlog_transaction_compression=OFF") != std::string::npos);
  CHECK(handle(26, 0).message().find("INCIDENT") != std::string::npos);
  CHECK(handle(200, 0).message().find("not known to this decoder") != std::string::npos);
  CHECK(out.changes.empty());
}

}  // namespace cdc
