// SourceOrder: where two row-change positions of a MySQL / MariaDB source stand in its history,
// for the sink's replay checks after a restart (which changes a target already holds).
//
// Binlog files and offsets are one server's: after a failover the stream continues on another
// server whose files and offsets have nothing to do with the first one's. MariaDB GTIDs name the
// same transactions on every server of a replication topology, so positions that carry GTIDs of
// one domain are ordered by the transactions' sequence numbers. Pure functions; thread-safe.
#pragma once

#include <compare>

#include "schema/row_change.h"

namespace cdc {

// How the change at `a` stands against the one at `b` in the source's history:
// - both carry MariaDB GTIDs of one domain: by sequence number (across servers and RESET
//   MASTER alike); one transaction (the same GTID) by offset and row within one binlog file of
//   one server;
// - neither carries a MariaDB GTID (MySQL, snapshots): by binlog file sequence (the digits after
//   the last '.'), offset and row, unless they name two servers (SourcePosition::server_id);
// - otherwise unordered: GTIDs of two domains, a GTID against a bare file position, one
//   sequence number under two server ids. Callers apply what they cannot order: never drop a
//   change on a guess. (The MySQL sink orders rows against a schema change by the source's GTID
//   state after it instead, SchemaChange::source_gtids, which holds across domains.)
std::partial_ordering CompareInSource(const SourcePosition& a, const SourcePosition& b);

}  // namespace cdc
