// The binlog parsers on a hand-built TABLE_MAP and WRITE_ROWS pair: first that they decode it,
// then a bounded, seeded fuzz run: thousands of mutations (bit flips, byte changes,
// truncations, extensions) must each yield a value or an error, never a crash or a read
// outside the event (run this file under ASan to see the latter).
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "connectors/mysql/source/binlog/binlog_compression.h"
#include "connectors/mysql/source/binlog/binlog_decoder.h"
#include "connectors/mysql/source/binlog/binlog_event.h"
#include "connectors/mysql/source/binlog/rows_event.h"
#include "connectors/mysql/source/binlog/table_map.h"
#include "test/collecting_output.h"

namespace cdc {
namespace {

void U8(std::string& out, uint64_t v) {
  out.push_back(static_cast<char>(v));
}
void LE(std::string& out, uint64_t v, int n) {
  for (int i = 0; i < n; ++i) U8(out, v >> (8 * i));
}
void Packed(std::string& out, uint64_t v) {
  U8(out, v);
}  // small values only
void Str(std::string& out, const std::string& s) {
  Packed(out, s.size());
  out += s;
}

// `db`.`t` (id INT UNSIGNED NOT NULL PRIMARY KEY, name VARCHAR(20) utf8mb4, amount
// DECIMAL(10,3), at DATETIME(6), color ENUM('red','green'), flags BIT(12)).
std::string TableMapBody() {
  std::string body;
  LE(body, 42, 6);  // table id
  LE(body, 1, 2);   // flags
  U8(body, 2);
  body += "db";
  U8(body, 0);
  U8(body, 1);
  body += "t";
  U8(body, 0);
  Packed(body, 6);
  for (int type : {3, 15, 246, 18, 254, 16}) U8(body, type);
  std::string meta;
  LE(meta, 80, 2);  // VARCHAR: 80 bytes
  U8(meta, 10);
  U8(meta, 3);  // DECIMAL(10,3)
  U8(meta, 6);  // DATETIME(6)
  U8(meta, 0xF7);
  U8(meta, 1);  // ENUM, pack length 1
  U8(meta, 4);
  U8(meta, 1);  // BIT(12): 4 bits + 1 byte
  Packed(body, meta.size());
  body += meta;
  U8(body, 0b111110);  // nullable: all but id
  // Optional metadata.
  U8(body, 1);
  Packed(body, 1);
  U8(body, 0b10000000);  // signedness: id unsigned, decimal signed
  std::string names;
  for (const char* name : {"id", "name", "amount", "at", "color", "flags"}) Str(names, name);
  U8(body, 4);
  Packed(body, names.size());
  body += names;
  U8(body, 2);
  Packed(body, 1);
  Packed(body, 45);  // default charset utf8mb4_general_ci
  std::string labels;
  Packed(labels, 2);
  Str(labels, "red");
  Str(labels, "green");
  U8(body, 6);
  Packed(body, labels.size());
  body += labels;
  U8(body, 8);
  Packed(body, 1);
  Packed(body, 0);  // primary key: column 0
  return body;
}

std::string WriteRowsBody() {
  std::string body;
  LE(body, 42, 6);
  LE(body, 1, 2);
  Packed(body, 6);
  U8(body, 0b111111);  // all columns present
  U8(body, 0b000000);  // no NULLs
  LE(body, 4000000000u, 4);
  U8(body, 3);
  body += "abc";
  body += std::string("\x7f\xff\xff\x84\xfe\x37", 6);  // -123.456
  uint64_t ym = 2024 * 13 + 2;
  uint64_t packed = ((((ym << 5) | 29) << 17) | (13 << 12) | (45 << 6) | 30) + 0x8000000000ULL;
  for (int i = 4; i >= 0; --i) U8(body, packed >> (8 * i));
  U8(body, 0);
  U8(body, 0);
  U8(body, 7);  // 7 microseconds
  U8(body, 2);  // 'green'
  U8(body, 0x0F);
  U8(body, 0xFF);  // BIT(12) all ones
  return body;
}

}  // namespace

TEST_CASE("a hand-built table map and write-rows event decode to the expected row") {
  auto map = ParseTableMap(TableMapBody());
  REQUIRE_MESSAGE(map.ok(), map.status().ToString());
  CHECK(map->database == "db");
  CHECK(map->table == "t");
  REQUIRE(map->columns.size() == 6);
  CHECK(map->columns[0].is_unsigned);
  CHECK_FALSE(map->columns[2].is_unsigned);
  CHECK(map->columns[1].collation_id == 45);
  CHECK(map->columns[4].labels == std::vector<std::string>{"red", "green"});
  CHECK(map->primary_key == std::vector<size_t>{0});
  CHECK_FALSE(map->columns[0].nullable);
  auto rows = DecodeRowsEvent(BinlogEventType::kWriteRowsV1, WriteRowsBody(), *map, {});
  REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
  REQUIRE(rows->after.size() == 1);
  const Row& row = rows->after[0];
  CHECK(row[0] == Value::UInt(4000000000u));
  CHECK(row[1] == Value::String("abc", 45));
  CHECK(row[2] == Value::Decimal("-123.456"));
  CHECK(row[3] == Value::DateTime(DateTimeValue{DateValue{2024, 2, 29}, 13, 45, 30, 7}, 6));
  CHECK(row[4] == Value::Enum(2, "green"));
  CHECK(row[5] == Value::Bit(0xFFF, 12));
}

TEST_CASE("a table map of no columns is malformed, not a rows event that never ends") {
  std::string body = TableMapBody();
  REQUIRE(body[15] == 6);  // the column count
  body[15] = 0;
  auto map = ParseTableMap(body);
  REQUIRE_FALSE(map.ok());
  CHECK(map.status().message() == "malformed TABLE_MAP event: bad header or column count");
}

TEST_CASE("a rows event with a partial row image is an error naming binlog_row_image") {
  auto map = ParseTableMap(TableMapBody());
  REQUIRE(map.ok());
  std::string body = WriteRowsBody();
  body[9] = static_cast<char>(0b011111);  // the present bitmap: the last column missing
  auto rows = DecodeRowsEvent(BinlogEventType::kWriteRowsV1, body, *map, {});
  REQUIRE_FALSE(rows.ok());
  CHECK(rows.status().message() ==
        "a rows event for db.t carries a partial row image (5 of 6 columns): set "
        "binlog_row_image=FULL on the source server");
}

TEST_CASE("the decoder holds one table map per table however often the table gets a new id") {
  // A server that reopens a table (table cache eviction, FLUSH TABLES) maps it under a new id
  // each time; a stream of days must not keep every id it ever saw.
  BinlogDecoder decoder;
  testing::CollectingOutput out;
  auto event = [](BinlogEventType type, const std::string& body) {
    BinlogEvent e;
    e.header.type = static_cast<uint8_t>(type);
    e.header.next_position = 100;
    e.body = body;
    return e;
  };
  std::string map = TableMapBody();
  std::string rows = WriteRowsBody();
  for (uint64_t id = 42; id < 1042; ++id) {
    for (int i = 0; i < 6; ++i) map[i] = rows[i] = static_cast<char>(id >> (8 * i));
    REQUIRE(decoder.Handle(event(BinlogEventType::kTableMap, map), "mysql-bin.000001", out).ok());
    REQUIRE(
        decoder.Handle(event(BinlogEventType::kWriteRowsV1, rows), "mysql-bin.000001", out).ok());
  }
  CHECK(decoder.tables_held() == 1);
  REQUIRE(out.changes.size() == 1000);
  CHECK(out.changes.back().after[1].bytes() == "abc");
  // The same map under each new id: the schema of the first is kept, not made again.
  CHECK(out.changes.front().table == out.changes.back().table);
  CHECK(out.changes.front().table->columns()[1].name == "name");
}

TEST_CASE("rows to drop on resume are dropped only from the transaction with their GTID") {
  // Each transaction: GTID domain-1-sequence, its table map, one rows event of two rows, XID.
  struct Transaction {
    uint64_t domain;
    uint64_t sequence;
  };
  // Rows emitted of each transaction read, after restoring `emitted`.
  auto run = [](BinlogDecoder::EmittedRows emitted, const std::vector<Transaction>& transactions) {
    BinlogDecoder decoder;
    testing::CollectingOutput out;
    decoder.Restore(BinlogPosition{"mysql-bin.000001", 4}, GtidState(), std::move(emitted));
    std::string map = TableMapBody();
    std::string rows = WriteRowsBody();
    rows += rows.substr(10);  // a second row, the same values
    std::string xid(8, '\0');
    std::vector<size_t> emitted_rows;
    for (const Transaction& transaction : transactions) {
      std::string gtid_body;
      for (int i = 0; i < 8; ++i)
        gtid_body.push_back(static_cast<char>(transaction.sequence >> (8 * i)));
      for (int i = 0; i < 4; ++i)
        gtid_body.push_back(static_cast<char>(transaction.domain >> (8 * i)));
      gtid_body.push_back('\0');  // flags: a transaction with BEGIN
      size_t before = out.changes.size();
      BinlogEvent event;
      event.header.server_id = 1;
      event.header.next_position = 100;
      for (auto [type, body] : {std::pair{BinlogEventType::kMariadbGtid, &gtid_body},
                                std::pair{BinlogEventType::kTableMap, &map},
                                std::pair{BinlogEventType::kWriteRowsV1, &rows},
                                std::pair{BinlogEventType::kXid, &xid}}) {
        event.header.type = static_cast<uint8_t>(type);
        event.body = *body;
        REQUIRE(decoder.Handle(event, "mysql-bin.000001", out).ok());
      }
      emitted_rows.push_back(out.changes.size() - before);
    }
    CHECK(decoder.EmittedInOpenTransactions().empty());
    return emitted_rows;
  };
  // The interrupted transaction comes again: its first row is dropped.
  CHECK(run({{"0-1-7", 1}}, {{0, 7}, {0, 8}}) == std::vector<size_t>{1, 2});
  // Another of its domain comes instead (a failover lost 0-1-7): nothing is dropped.
  CHECK(run({{"0-1-7", 1}}, {{0, 8}}) == std::vector<size_t>{2});
  // Another domain's transaction first (a GTID resume on another server may send it first):
  // it keeps all its rows, and 0-1-7's first row is still dropped when 0-1-7 comes.
  CHECK(run({{"0-1-7", 1}}, {{1, 3}, {0, 7}}) == std::vector<size_t>{2, 1});
  // Two open transactions of two domains, both emitted in part.
  CHECK(run({{"0-1-7", 2}, {"1-1-3", 1}}, {{1, 3}, {0, 7}}) == std::vector<size_t>{1, 0});
  // A state without GTIDs: the first transaction read is the interrupted one.
  CHECK(run({{"", 1}}, {{0, 9}, {0, 10}}) == std::vector<size_t>{1, 2});
}

TEST_CASE("rows emitted of an open transaction survive a second resume before it is read again") {
  BinlogDecoder decoder;
  decoder.Restore(BinlogPosition{"mysql-bin.000001", 4}, GtidState(), {{"0-1-7", 3}});
  // A reconnect before the stream reached 0-1-7 again must not forget its three rows.
  CHECK(decoder.EmittedInOpenTransactions() == BinlogDecoder::EmittedRows{{"0-1-7", 3}});
}

TEST_CASE("a compressed write-rows event decodes to the same row as its plain form") {
  auto map = ParseTableMap(TableMapBody());
  REQUIRE(map.ok());
  std::string plain = WriteRowsBody();
  size_t header = 6 + 2 + 1 + 1;  // table id, flags, column count, present bitmap
  std::string compressed = plain.substr(0, header) + CompressBinlogPayload(plain.substr(header));
  auto expected = DecodeRowsEvent(BinlogEventType::kWriteRowsV1, plain, *map, {});
  auto rows = DecodeRowsEvent(BinlogEventType::kWriteRowsCompressedV1, compressed, *map, {});
  REQUIRE_MESSAGE(rows.ok(), rows.status().ToString());
  REQUIRE(expected.ok());
  CHECK(rows->kind == ChangeKind::kInsert);
  CHECK(rows->after == expected->after);
  // A corrupt stream is an error naming the table, never rows.
  std::string corrupt = compressed;
  corrupt[corrupt.size() - 3] ^= 0x55;
  auto bad = DecodeRowsEvent(BinlogEventType::kWriteRowsCompressedV1, corrupt, *map, {});
  REQUIRE_FALSE(bad.ok());
  CHECK(bad.status().message().find("db.t") != std::string::npos);
}

TEST_CASE("compressed binlog payloads round-trip and reject bad headers and lengths") {
  std::string data(1000, 'x');
  data += "tail";
  std::string out;
  REQUIRE(UncompressBinlogPayload(CompressBinlogPayload(data), out).ok());
  CHECK(out == data);
  CHECK_FALSE(UncompressBinlogPayload("", out).ok());
  std::string payload = CompressBinlogPayload(data);
  std::string no_flag = payload;
  no_flag[0] = 0x04;  // high bit clear: not a compressed payload
  CHECK(UncompressBinlogPayload(no_flag, out).message().find("header byte 0x04") !=
        std::string::npos);
  std::string other_algorithm = payload;
  other_algorithm[0] = static_cast<char>(0x80 | 0x10 | 4);
  CHECK(UncompressBinlogPayload(other_algorithm, out).message().find("algorithm 1") !=
        std::string::npos);
  std::string wrong_length = payload;
  wrong_length[4] = static_cast<char>(wrong_length[4] + 1);  // states one byte more
  CHECK(UncompressBinlogPayload(wrong_length, out).message().find("stated 1005 bytes") !=
        std::string::npos);
  for (size_t cut = 0; cut < payload.size(); ++cut) {
    CHECK_FALSE(UncompressBinlogPayload(payload.substr(0, cut), out).ok());
  }
}

TEST_CASE("mutated binlog events give a value or an error, never a crash") {
  const std::string map_body = TableMapBody();
  const std::string rows_body = WriteRowsBody();
  auto good_map = ParseTableMap(map_body);
  REQUIRE(good_map.ok());
  std::mt19937_64 rng(20261122);
  auto mutate = [&](std::string bytes) {
    int edits = 1 + static_cast<int>(rng() % 4);
    for (int e = 0; e < edits && !bytes.empty(); ++e) {
      size_t at = rng() % bytes.size();
      switch (rng() % 4) {
        case 0: bytes[at] = static_cast<char>(bytes[at] ^ (1 << (rng() % 8))); break;
        case 1: bytes[at] = static_cast<char>(rng()); break;
        case 2: bytes.resize(at); break;
        default: bytes.insert(at, 1 + rng() % 8, static_cast<char>(rng())); break;
      }
    }
    return bytes;
  };
  size_t accepted = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string map_mutant = mutate(map_body);
    auto map = ParseTableMap(map_mutant);
    if (map.ok()) {
      ++accepted;
      (void)DecodeRowsEvent(BinlogEventType::kWriteRowsV1, rows_body, *map, {});
    }
    std::string rows_mutant = mutate(rows_body);
    auto rows = DecodeRowsEvent(BinlogEventType::kUpdateRowsV2, rows_mutant, *good_map, {});
    (void)rows;
    auto rows_v1 = DecodeRowsEvent(BinlogEventType::kWriteRowsV1, rows_mutant, *good_map, {});
    (void)rows_v1;
    std::string event(19, '\0');
    event += rows_mutant;
    event[9] = static_cast<char>(event.size());
    (void)ParseBinlogEvent(mutate(event), (i & 1) != 0, 0);
  }
  CHECK(accepted > 0);  // some mutations (e.g. in names) still parse: the corpus is exercised
}

}  // namespace cdc
