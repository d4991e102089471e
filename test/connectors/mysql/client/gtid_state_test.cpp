#include "connectors/mysql/client/gtid_state.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("GTID states keep the last GTID per domain") {
  auto state = GtidState::Parse("0-1-42, 1-2-7");
  REQUIRE(state.ok());
  state->Update("0-1-43");
  state->Update("2-1-1");
  CHECK(state->ToString() == "0-1-43,1-2-7,2-1-1");
  CHECK_FALSE(GtidState::Parse("0-1").ok());
  CHECK_FALSE(GtidState::Parse("a-b-c").ok());
}

TEST_CASE("a GTID state agrees with another that has the same GTID in each of its domains") {
  auto ours = GtidState::Parse("0-1-42,7-1-3");
  auto server = GtidState::Parse("7-1-3,0-1-42,9-2-1");  // a domain more, another order
  REQUIRE(ours.ok());
  REQUIRE(server.ok());
  CHECK(ours->AgreesWith(*server));
  CHECK_FALSE(server->AgreesWith(*ours));  // 9-2-1 is not in ours
  CHECK_FALSE(ours->AgreesWith(*GtidState::Parse("0-1-43,7-1-3")));
  CHECK_FALSE(ours->AgreesWith(*GtidState::Parse("0-2-42,7-1-3")));  // another server's 42
  CHECK(GtidState().AgreesWith(*server));
  CHECK(ours->has_mariadb());
  CHECK_FALSE(GtidState().has_mariadb());
}

TEST_CASE("a GTID state contains the transactions at or before it in each of its domains") {
  auto state = GtidState::Parse("0-1-42,7-2-3");
  REQUIRE(state.ok());
  CHECK(state->Contains("0-1-42"));
  CHECK(state->Contains("0-5-17"));  // an earlier one of the domain, from another server
  CHECK_FALSE(state->Contains("0-1-43"));
  CHECK_FALSE(state->Contains("9-1-1"));  // a domain it has not seen
  CHECK_FALSE(state->Contains("3e11fa47-71ca-11e1-9e33-c80aa9429562:5"));
  CHECK_FALSE(state->Contains(""));
  CHECK(state->Covers(*GtidState::Parse("0-1-40,7-2-3")));
  CHECK_FALSE(state->Covers(*GtidState::Parse("0-1-40,7-2-4")));
  CHECK_FALSE(state->Covers(*GtidState::Parse("8-1-1")));
  CHECK(state->Covers(GtidState()));
  // Held by a server that logged them, whatever else it logged; not by one that lost 0-1-42.
  CHECK(state->HeldBy("0-1-42,0-9-50,7-2-8"));
  CHECK(state->HeldBy("7-2-3, 0-2-60, 0-1-45"));
  CHECK_FALSE(state->HeldBy("0-1-41,0-2-42,7-2-3"));
  CHECK_FALSE(state->HeldBy("0-1-42"));
  CHECK(GtidState().HeldBy(""));
}

TEST_CASE("MySQL GTID sets keep every transaction number as merged intervals") {
  const std::string uuid = "3e11fa47-71ca-11e1-9e33-c80aa9429562";
  auto mysql = GtidState::Parse(uuid + ":23");
  REQUIRE(mysql.ok());
  CHECK(mysql->ToString() == uuid + ":23");
  auto set =
      GtidState::Parse(uuid + ":1-5:7:9-10, 0-1-42, aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  REQUIRE_MESSAGE(set.ok(), set.status().ToString());
  CHECK(set->ToString() ==
        "0-1-42," + uuid + ":1-5:7:9-10,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  set->Update(uuid + ":6");  // joins 1-5 and 7
  CHECK(set->ToString() == "0-1-42," + uuid + ":1-7:9-10,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  set->Update(uuid + ":8");   // joins everything
  set->Update(uuid + ":12");  // out of order: a gap stays open
  set->Update(uuid + ":3");   // already in the set
  CHECK(set->ToString() == "0-1-42," + uuid + ":1-10:12,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  auto overlapping = GtidState::Parse(uuid + ":5-9:1-6:20");
  REQUIRE(overlapping.ok());
  CHECK(overlapping->ToString() == uuid + ":1-9:20");
  CHECK(GtidState::Parse(uuid + ":5-3").status().message().find("not a MySQL GTID set") !=
        std::string::npos);
  CHECK_FALSE(GtidState::Parse(uuid + ":0").ok());
  CHECK_FALSE(GtidState::Parse(uuid + ":").ok());
  CHECK_FALSE(GtidState::Parse(":5").ok());
  CHECK_FALSE(GtidState::Parse(uuid + ":1-x").ok());
}

}  // namespace cdc
