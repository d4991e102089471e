// The binlog source's small parts: positions and their order, GTID states, table filters,
// startup modes, the catalog's type mapping and the snapshot's text-to-value parsing.
#include <doctest/doctest.h>

#include "connectors/mysql/binlog/binlog_decoder.h"
#include "connectors/mysql/binlog/binlog_position.h"
#include "connectors/mysql/binlog/table_filter.h"
#include "connectors/mysql/mysql_catalog.h"
#include "connectors/mysql/mysql_cdc_source.h"
#include "connectors/mysql/mysql_text_value.h"
#include "test/collecting_output.h"

namespace cdc {

TEST_CASE("binlog positions parse, print and order by file sequence then offset") {
  auto position = BinlogPosition::Parse("mysql-bin.000003:4711");
  REQUIRE(position.ok());
  CHECK(position->file == "mysql-bin.000003");
  CHECK(position->offset == 4711);
  CHECK(position->ToString() == "mysql-bin.000003:4711");
  CHECK(BinlogPosition{"mysql-bin.000003", 9000} < BinlogPosition{"mysql-bin.000004", 4});
  CHECK(BinlogPosition{"mysql-bin.999999", 9000} < BinlogPosition{"mysql-bin.1000000", 4});
  CHECK(BinlogPosition{"mysql-bin.000003", 4} < BinlogPosition{"mysql-bin.000003", 5});
  CHECK_FALSE(BinlogPosition{"mysql-bin.000003", 5} < BinlogPosition{"mysql-bin.000003", 5});
  for (const char* bad : {"mysql-bin.000003", "mysql-bin.000003:", ":4", "x:4a"}) {
    CAPTURE(bad);
    auto parsed = BinlogPosition::Parse(bad);
    REQUIRE_FALSE(parsed.ok());
    CHECK(parsed.status().message().find("mysql-bin.000003:4") != std::string::npos);
  }
}

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
  auto set = GtidState::Parse(uuid + ":1-5:7:9-10, 0-1-42, aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  REQUIRE_MESSAGE(set.ok(), set.status().ToString());
  CHECK(set->ToString() == "0-1-42," + uuid + ":1-5:7:9-10,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  set->Update(uuid + ":6");  // joins 1-5 and 7
  CHECK(set->ToString() == "0-1-42," + uuid + ":1-7:9-10,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  set->Update(uuid + ":8");  // joins everything
  set->Update(uuid + ":12");  // out of order: a gap stays open
  set->Update(uuid + ":3");   // already in the set
  CHECK(set->ToString() == "0-1-42," + uuid + ":1-10:12,aaaaaaaa-71ca-11e1-9e33-c80aa9429562:1-3");
  auto overlapping = GtidState::Parse(uuid + ":5-9:1-6:20");
  REQUIRE(overlapping.ok());
  CHECK(overlapping->ToString() == uuid + ":1-9:20");
  CHECK(GtidState::Parse(uuid + ":5-3").status().message().find("not a MySQL GTID set") != std::string::npos);
  CHECK_FALSE(GtidState::Parse(uuid + ":0").ok());
  CHECK_FALSE(GtidState::Parse(uuid + ":").ok());
  CHECK_FALSE(GtidState::Parse(":5").ok());
  CHECK_FALSE(GtidState::Parse(uuid + ":1-x").ok());
}

TEST_CASE("table filters include and exclude by whole-name regexes") {
  auto filter = TableFilter::Make({"shop\\..*", "crm\\.customers"}, {"shop\\.tmp_.*"});
  REQUIRE(filter.ok());
  CHECK(filter->Accepts(TableId{"shop", "orders"}));
  CHECK(filter->Accepts(TableId{"crm", "customers"}));
  CHECK_FALSE(filter->Accepts(TableId{"crm", "customers_old"}));  // whole-name match
  CHECK_FALSE(filter->Accepts(TableId{"shop", "tmp_x"}));
  CHECK_FALSE(filter->Accepts(TableId{"other", "orders"}));
  CHECK(TableFilter().Accepts(TableId{"any", "thing"}));
  auto bad = TableFilter::Make({"shop\\.(orders"}, {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("shop\\.(orders") != std::string::npos);
}

TEST_CASE("a source state is described by its binlog position, else its snapshot progress") {
  CHECK(MysqlCdcSource::DescribeState("binlog\tmysql-bin.000003:4711\ngtids\t0-1-5\n") ==
        "mysql-bin.000003:4711");
  CHECK(MysqlCdcSource::DescribeState("\nstart\tmysql-bin.000001:4\n"
                                      "table\tdb\ta\tdone\tmysql-bin.000001:9\t10\n"
                                      "table\tdb\tb\tpartial\tmysql-bin.000001:9\t3\t01\n") ==
        "snapshot, 1 of 2 tables done");
  CHECK(MysqlCdcSource::DescribeState("") == "the start");
}

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
  CHECK(handle(4, 0).ok());     // rotate
  CHECK(handle(160, 0).ok());   // annotate rows
  CHECK(handle(200, 0x80).ok());  // unknown but flagged ignorable
  CHECK(handle(39, 0).message() ==
        "the binlog event of type 39 ending at mysql-bin.000002:120 is a partial JSON update, which "
        "carries no full row image: set binlog_row_value_options='' on the source server");
  CHECK(handle(40, 0x80).message().find("binlog_transaction_compression=OFF") != std::string::npos);
  CHECK(handle(26, 0).message().find("INCIDENT") != std::string::npos);
  CHECK(handle(200, 0).message().find("not known to this decoder") != std::string::npos);
  CHECK(out.changes.empty());
}

TEST_CASE("startup modes parse by name") {
  CHECK(*ParseStartupMode("initial") == StartupMode::kInitial);
  CHECK(*ParseStartupMode("timestamp") == StartupMode::kTimestamp);
  auto bad = ParseStartupMode("latest-offset");
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("initial, snapshot, latest") != std::string::npos);
}

TEST_CASE("information_schema types map to column schemas") {
  auto column = ColumnFromInformationSchema("e", "enum", "enum('a','b''c','d\\\\e')");
  REQUIRE(column.ok());
  CHECK(column->labels == std::vector<std::string>{"a", "b'c", "d\\e"});
  auto decimal = ColumnFromInformationSchema("d", "decimal", "decimal(65,30) unsigned");
  REQUIRE(decimal.ok());
  CHECK(decimal->precision == 65);
  CHECK(decimal->scale == 30);
  CHECK(decimal->is_unsigned);
  auto time = ColumnFromInformationSchema("t", "datetime", "datetime(6)");
  REQUIRE(time.ok());
  CHECK(time->fsp == 6);
  CHECK(ColumnFromInformationSchema("v", "varchar", "varchar(64)")->length == 64);
  CHECK_FALSE(ColumnFromInformationSchema("x", "vector", "vector(3)").ok());
}

TEST_CASE("query-result text parses to the values the binlog decoder makes") {
  auto parse = [](ColumnSchema column, std::string_view text) {
    auto value = ParseMysqlText(column, text);
    REQUIRE_MESSAGE(value.ok(), value.status().ToString());
    return std::move(value).value();
  };
  ColumnSchema column;
  column.type = ColumnType::kBigInt;
  column.is_unsigned = true;
  CHECK(parse(column, "18446744073709551615") == Value::UInt(18446744073709551615ULL));
  column.is_unsigned = false;
  CHECK(parse(column, "-9223372036854775808") == Value::Int(-9223372036854775807LL - 1));
  column.type = ColumnType::kFloat;
  CHECK(parse(column, "3.4028234663852886e38") == Value::Float(3.40282347e38f));
  column.type = ColumnType::kTime;
  column.fsp = 6;
  CHECK(parse(column, "-838:59:58.999999") == Value::Time(TimeValue{true, 838, 59, 58, 999999}, 6));
  column.type = ColumnType::kTimestamp;
  CHECK(parse(column, "2038-01-19 03:14:07.999999") == Value::Timestamp(TimestampValue{2147483647, 999999}, 6));
  CHECK(parse(column, "0000-00-00 00:00:00.000000") == Value::Timestamp(TimestampValue{0, 0}, 6));
  column.type = ColumnType::kDate;
  CHECK(parse(column, "0000-00-00") == Value::Date(DateValue{0, 0, 0}));
  column.type = ColumnType::kBit;
  column.length = 12;
  CHECK(parse(column, std::string_view("\x0f\xff", 2)) == Value::Bit(0xfff, 12));
  column.type = ColumnType::kSet;
  column.labels = {"x", "y", "z"};
  CHECK(parse(column, "x,z") == Value::Set(5, "x,z"));
  column.type = ColumnType::kEnum;
  CHECK(parse(column, "y") == Value::Enum(2, "y"));
  CHECK(parse(column, "") == Value::Enum(0, ""));
  CHECK(ParseMysqlText(column, std::nullopt)->kind() == ValueKind::kNull);
  auto bad = ParseMysqlText(column, std::string_view("w"));
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("'w' is not a value") != std::string::npos);
  ColumnSchema number;
  number.name = "n";
  number.type = ColumnType::kInt;
  CHECK_FALSE(ParseMysqlText(number, std::string_view("12x")).ok());
}

}  // namespace cdc
