#include "connectors/kafka/delivery_state.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

TEST_CASE("delivery records round-trip and name their table and subtask") {
  DeliveryRecord record;
  record.parallelism = 4;
  record.position.file = SourceFileName("mysql-bin.000042");
  record.position.offset = 123456789;
  record.position.index = 17;
  record.position.server_id = 3;
  record.position.gtid = SourceGtid("0-3-999");
  std::string text = DeliveryState::Encode(record);
  CHECK(text == "v1\t4\tmysql-bin.000042\t123456789\t17\t3\t0-3-999");
  auto decoded = DeliveryState::Decode(text);
  REQUIRE(decoded.ok());
  CHECK(decoded->parallelism == 4);
  CHECK(decoded->position == record.position);
  DeliveryRecord bare;
  auto plain = DeliveryState::Decode(DeliveryState::Encode(bare));
  REQUIRE(plain.ok());
  CHECK(plain->position == SourcePosition{});
  CHECK(DeliveryState::Key(TableId{"shop", "orders"}, 2) == "shop.orders|2");
  CHECK(DeliveryState::BarrierKey(TableId{"shop", "orders"}) == "shop.orders|barrier");
  CHECK_FALSE(DeliveryState::Decode("v2\t1").ok());
  CHECK(DeliveryState::Decode("junk").status().message() ==
        "'junk' is not a delivery record of this sink");
}

}  // namespace
}  // namespace cdc
