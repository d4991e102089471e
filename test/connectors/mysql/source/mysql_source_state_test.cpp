// MysqlSourceState: the MySQL source's checkpoint reads back exactly, and every kind of damage
// is refused with the line and what is wrong, never a crash.
#include "connectors/mysql/source/mysql_source_state.h"

#include <doctest/doctest.h>

#include <string>

namespace cdc {
namespace {

const char* const kStreaming =
    "binlog\tmysql-bin.000003:4711\n"
    "gtids\t0-1-42\n"
    "skip\t3\t0-1-43\n"
    "start\tmysql-bin.000002:4\t0-1-7\n"
    "catalog\tserver utf8mb4_general_ci\n"
    "catalog\ttable CREATE TABLE `shop`.`orders` (`id` int NOT NULL, PRIMARY KEY (`id`))\n"
    "captured\tshop\torders\n"
    "captured\tshop\tparts\n"
    "released\tshop\taudit\n"
    "backfill\tshop\tparts\n"
    "backfill\tshop\tusers\treload\n"
    "table\tshop\tparts\tpartial\tmysql-bin.000003:9000\t8192\t3132\n"
    "table-gtids\tshop\tparts\t0-1-50\n";

std::string Replaced(std::string text, const std::string& from, const std::string& to) {
  size_t at = text.find(from);
  REQUIRE(at != std::string::npos);
  return text.replace(at, from.size(), to);
}

std::string Refusal(const std::string& text) {
  auto state = MysqlSourceState::Parse(text);
  REQUIRE_FALSE(state.ok());
  return state.status().message();
}

}  // namespace

TEST_CASE(
    "a streaming state with capture-list changes and a backfill in progress reads back exactly") {
  auto state = MysqlSourceState::Parse(kStreaming);
  REQUIRE_MESSAGE(state.ok(), state.status().ToString());
  CHECK(state->binlog.ToString() == "mysql-bin.000003:4711");
  CHECK(state->gtids.ToString() == "0-1-42");
  CHECK(state->skip.at("0-1-43") == 3);
  CHECK(state->snapshot_start.ToString() == "mysql-bin.000002:4");
  CHECK(state->has_capture_list);
  CHECK(state->captured == std::set<TableId>{{"shop", "orders"}, {"shop", "parts"}});
  CHECK(state->released == std::set<TableId>{{"shop", "audit"}});
  CHECK(state->backfill ==
        std::map<TableId, bool>{{{"shop", "parts"}, false}, {{"shop", "users"}, true}});
  const TableSnapshotState& parts = state->tables.at(TableId{"shop", "parts"});
  CHECK_FALSE(parts.done);
  CHECK(parts.rows == 8192);
  CHECK(parts.last_key == std::vector<std::string>{"12"});
  CHECK(parts.gtids == "0-1-50");
  CHECK(state->Format() == kStreaming);
}

TEST_CASE("a state written before capture lists were kept reads back without one") {
  auto state = MysqlSourceState::Parse("binlog\tmysql-bin.000001:4\n");
  REQUIRE(state.ok());
  CHECK_FALSE(state->has_capture_list);
  CHECK(state->captured.empty());
}

TEST_CASE("each kind of damage to a state is refused with its line and what is wrong") {
  CHECK(Refusal(Replaced(kStreaming, "mysql-bin.000003:4711",
                         "mysql-bin.000003:99999999999999999999999"))
            .find("resume state line 'binlog\tmysql-bin.000003:99999999999999999999999' is "
                  "malformed") == 0);
  CHECK(Refusal(Replaced(kStreaming, "skip\t3", "skip\tthree"))
            .find("the row count is not a number") != std::string::npos);
  CHECK(Refusal(Replaced(kStreaming, "\t3132\n", "\t31x2\n"))
            .find("a key value is not hexadecimal") != std::string::npos);
  CHECK(Refusal(Replaced(kStreaming, "\tpartial\t", "\thalf\t")).find("unknown item") !=
        std::string::npos);
  CHECK(
      Refusal(Replaced(kStreaming, "backfill\tshop\tusers\treload", "backfill\tshop\tusers\tagain"))
          .find("unknown item") != std::string::npos);
  CHECK(Refusal(Replaced(kStreaming, "gtids\t0-1-42", "gtids\t0-1-x"))
            .find("'gtids\t0-1-x' is malformed") != std::string::npos);
  CHECK(Refusal(std::string("table-gtids\tshop\tx\t0-1-1\n") + kStreaming)
            .find("comes before its table's line") != std::string::npos);
  CHECK(Refusal(Replaced(kStreaming, "PRIMARY KEY (`id`))", "PRIMARY KEY (`id`"))
            .find("the resume state's schema catalog does not load") == 0);
  CHECK(Refusal("garbage\x01\x02\n").find("unknown item") != std::string::npos);
  CHECK(Refusal("catalog\tserver utf8mb4_general_ci\n")
            .find("no binlog position and no snapshot progress") != std::string::npos);
  std::string cut = kStreaming;
  CHECK(Refusal(cut.substr(0, cut.find("4711"))).find("is malformed") != std::string::npos);
}

TEST_CASE("a source state is described by its binlog position, else its snapshot progress") {
  CHECK(MysqlSourceState::Describe("binlog\tmysql-bin.000003:4711\ngtids\t0-1-5\n") ==
        "mysql-bin.000003:4711");
  CHECK(MysqlSourceState::Describe("\nstart\tmysql-bin.000001:4\n"
                                   "table\tdb\ta\tdone\tmysql-bin.000001:9\t10\n"
                                   "table\tdb\tb\tpartial\tmysql-bin.000001:9\t3\t01\n") ==
        "snapshot, 1 of 2 tables done");
  CHECK(MysqlSourceState::Describe("") == "the start");
}

}  // namespace cdc
