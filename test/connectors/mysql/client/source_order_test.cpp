#include "connectors/mysql/client/source_order.h"

#include <doctest/doctest.h>

namespace cdc {

TEST_CASE("source positions order by MariaDB GTID within a domain, else by file, offset and row") {
  auto at = [](const char* file, uint64_t offset, const char* gtid, uint32_t index = 1,
               uint32_t server = 0) {
    return SourcePosition{file, offset, gtid, index, server};
  };
  // One domain: the sequence number decides, whatever the files (another server's).
  CHECK(CompareInSource(at("b.000002", 90, "0-2-5"), at("a.000007", 200, "0-1-6")) < 0);
  CHECK(CompareInSource(at("b.000002", 300, "0-2-7"), at("a.000007", 200, "0-1-6")) > 0);
  // One transaction: by offset and row in one file; unordered across servers.
  CHECK(CompareInSource(at("a.000007", 100, "0-1-6", 2), at("a.000007", 100, "0-1-6", 3)) < 0);
  CHECK(CompareInSource(at("a.000007", 300, "0-1-6"), at("a.000007", 100, "0-1-6")) > 0);
  CHECK(CompareInSource(at("a.000007", 100, "0-1-6", 2), at("a.000007", 100, "0-1-6", 2)) == 0);
  auto elsewhere = CompareInSource(at("b.000002", 100, "0-1-6"), at("a.000007", 100, "0-1-6"));
  CHECK(elsewhere == std::partial_ordering::unordered);
  // What may come from two servers is unordered: two domains, one sequence number under two
  // server ids, a GTID against a bare file position (a snapshot's).
  CHECK(CompareInSource(at("a.000001", 500, "1-1-9"), at("a.000007", 4, "0-1-2")) ==
        std::partial_ordering::unordered);
  CHECK(CompareInSource(at("a.000007", 500, "0-2-6"), at("a.000007", 100, "0-1-6")) ==
        std::partial_ordering::unordered);
  CHECK(CompareInSource(at("b.000001", 500, "0-1-6"), at("a.000007", 100, "", 0)) ==
        std::partial_ordering::unordered);
  // Two domains are unordered even in one server's binlog: RESET MASTER renumbers its files.
  CHECK(CompareInSource(at("a.000001", 500, "1-1-9", 1, 7), at("a.000007", 4, "0-1-2", 1, 7)) ==
        std::partial_ordering::unordered);
  CHECK(CompareInSource(at("a.000007", 100, "0-1-6", 2, 7), at("a.000007", 100, "0-1-6", 3, 8)) ==
        std::partial_ordering::unordered);  // one transaction, one file name, two servers
  // Without GTIDs: by position in one server's binlog, unordered across two known servers.
  CHECK(CompareInSource(at("a.000003", 500, "uuid:9", 1, 7), at("a.000003", 600, "uuid:2", 1, 7)) <
        0);
  CHECK(CompareInSource(at("a.000003", 500, "uuid:9", 1, 7), at("a.000003", 600, "uuid:2", 1, 8)) ==
        std::partial_ordering::unordered);
  // One domain orders by sequence number whatever the files (RESET MASTER, another server).
  CHECK(CompareInSource(at("a.000001", 500, "0-1-9", 1, 7), at("a.000007", 4, "0-1-2", 1, 7)) > 0);
  // Without MariaDB GTIDs and with a server unknown (MySQL's, or recorded before server ids
  // were): one server's binlog order, files by sequence number.
  CHECK(CompareInSource(at("a.999999", 500, ""), at("a.1000000", 4, "")) < 0);
  CHECK(CompareInSource(at("a.000003", 500, "uuid:9"), at("a.000003", 600, "uuid:2")) < 0);
  CHECK(CompareInSource(at("a.000003", 500, ""), at("a.000002", 600, "")) > 0);
  CHECK(CompareInSource(at("a.000003", 500, "", 0), at("a.000003", 500, "", 1)) < 0);
}

}  // namespace cdc
