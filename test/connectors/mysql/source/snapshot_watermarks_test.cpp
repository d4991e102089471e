// SnapshotWatermarks: which stream events a table's snapshot already holds, by binlog
// position, and by GTIDs once the stream moved to other history.
#include "connectors/mysql/source/snapshot_watermarks.h"

#include <doctest/doctest.h>

namespace cdc {
namespace {

BinlogPosition At(uint64_t offset, const char* file = "mysql-bin.000002") {
  return BinlogPosition{file, offset};
}

TableSnapshotState SnapshotAt(uint64_t offset, std::string gtids = "") {
  TableSnapshotState state;
  state.position = At(offset);
  state.gtids = std::move(gtids);
  state.done = true;
  return state;
}

GtidState Gtids(const char* text) {
  auto gtids = GtidState::Parse(text);
  REQUIRE(gtids.ok());
  return *gtids;
}

const TableId kOrders{"shop", "orders"};
const TableId kParts{"shop", "parts"};
const TableId kUsers{"shop", "users"};

}  // namespace

TEST_CASE("an event of a table at or before its snapshot's watermark is held by the snapshot") {
  SnapshotWatermarks marks;
  CHECK(marks.empty());
  CHECK(marks.After(kOrders, At(100), SourceGtid()));  // no watermarks: every event is emitted
  marks.Add(kOrders, SnapshotAt(500));
  marks.Add(kParts, SnapshotAt(300));
  CHECK_FALSE(marks.empty());
  CHECK(marks.latest() == At(500));

  CHECK_FALSE(marks.After(kOrders, At(400), SourceGtid()));
  CHECK_FALSE(marks.After(kOrders, At(500), SourceGtid()));
  CHECK(marks.After(kOrders, At(501), SourceGtid()));
  CHECK_FALSE(marks.After(kParts, At(300), SourceGtid()));
  CHECK(marks.After(kParts, At(400), SourceGtid()));
  CHECK(marks.After(kUsers, At(1), SourceGtid()));  // a table without a snapshot
  CHECK(marks.After(kOrders, At(4, "mysql-bin.000003"), SourceGtid()));

  CHECK(marks.SnapshotHolds(kOrders, At(500)));
  CHECK_FALSE(marks.SnapshotHolds(kOrders, At(501)));
  CHECK_FALSE(marks.SnapshotHolds(kUsers, At(1)));
}

TEST_CASE("the stream is past every watermark once it is past the latest") {
  SnapshotWatermarks marks;
  CHECK_FALSE(marks.PositionPastAll(At(100)));
  CHECK_FALSE(marks.PassedBy(At(100), GtidState()));
  marks.Add(kOrders, SnapshotAt(500));
  marks.Add(kParts, SnapshotAt(300));
  CHECK_FALSE(marks.PositionPastAll(At(500)));
  CHECK(marks.PositionPastAll(At(501)));
  CHECK_FALSE(marks.PassedBy(At(500), GtidState()));
  CHECK(marks.PassedBy(At(501), GtidState()));
}

TEST_CASE("cleared watermarks keep the latest position; reset ones start over") {
  SnapshotWatermarks marks;
  marks.Add(kOrders, SnapshotAt(500));
  marks.Clear();
  CHECK(marks.empty());
  CHECK(marks.After(kOrders, At(400), SourceGtid()));
  CHECK(marks.latest() == At(500));
  marks.Add(kParts, SnapshotAt(300));
  CHECK(marks.latest() == At(500));
  CHECK_FALSE(marks.PositionPastAll(At(400)));
  marks.Reset();
  CHECK(marks.latest().empty());
  marks.Add(kParts, SnapshotAt(300));
  CHECK(marks.latest() == At(300));
  CHECK(marks.PositionPastAll(At(400)));
}

TEST_CASE("the stream after a snapshot starts at the earliest watermark, with its GTIDs") {
  SnapshotWatermarks marks;
  BinlogPosition start;
  GtidState gtids;
  marks.StreamStart(At(900), Gtids("0-1-90"), start, gtids);
  CHECK(start == At(900));  // no table snapshots: where the snapshot began
  CHECK(gtids.ToString() == "0-1-90");

  marks.Add(kOrders, SnapshotAt(500, "0-1-50"));
  marks.Add(kParts, SnapshotAt(300, "0-1-30"));
  marks.StreamStart(At(900), Gtids("0-1-90"), start, gtids);
  CHECK(start == At(300));
  CHECK(gtids.ToString() == "0-1-30");

  SnapshotWatermarks no_gtids;
  no_gtids.Add(kParts, SnapshotAt(300));
  no_gtids.StreamStart(At(900), Gtids("0-1-90"), start, gtids);
  CHECK(start == At(300));
  CHECK(gtids.empty());
}

TEST_CASE("after a move to other history, watermarks compare GTIDs, not positions") {
  SnapshotWatermarks marks;
  marks.Add(kOrders, SnapshotAt(500, "0-1-50"));
  marks.Add(kParts, SnapshotAt(300, "0-1-30"));
  REQUIRE(marks.MoveToGtids("a failover", "0-1-60").ok());
  CHECK(marks.by_gtids());
  CHECK_FALSE(marks.After(kOrders, At(9999), SourceGtid("0-1-50")));
  CHECK(marks.After(kOrders, At(1), SourceGtid("0-1-51")));
  CHECK(marks.After(kParts, At(1), SourceGtid("0-1-31")));
  CHECK_FALSE(marks.SnapshotHolds(kOrders, At(1)));  // positions no longer say
  CHECK_FALSE(marks.PositionPastAll(At(9999)));
  CHECK_FALSE(marks.PassedBy(At(9999), Gtids("0-1-49")));
  CHECK(marks.PassedBy(At(1), Gtids("0-1-50")));
}

TEST_CASE(
    "a move to other history fails when a snapshot has no GTIDs or the server never logged them") {
  SnapshotWatermarks no_gtids;
  no_gtids.Add(kOrders, SnapshotAt(500));
  Status status = no_gtids.MoveToGtids("the binlog was reset", "0-1-60");
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("the source server's binlog changed during the catch-up after the "
                              "snapshot (the binlog was reset)") == 0);
  CHECK_FALSE(no_gtids.by_gtids());

  SnapshotWatermarks lost;
  lost.Add(kOrders, SnapshotAt(500, "0-1-50"));
  status = lost.MoveToGtids("a failover", "0-1-40");
  REQUIRE_FALSE(status.ok());
  CHECK(status.message().find("the snapshot of shop.orders holds GTIDs 0-1-50 that the source "
                              "server now serving the binlog never logged (its state: 0-1-40)") ==
        0);

  SnapshotWatermarks none;  // no snapshots to pass over: positions stay as they are
  REQUIRE(none.MoveToGtids("a failover", "0-1-40").ok());
  CHECK_FALSE(none.by_gtids());
}

}  // namespace cdc
