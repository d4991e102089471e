#include "connectors/print/print_sink.h"

#include <sstream>

#include <doctest/doctest.h>

#include "test/test_rows.h"

namespace cdc {
namespace {

// Writes `changes` through a writer of subtask `subtask`; returns the status it reported.
Status WriteBatch(PrintSink& sink, size_t subtask, std::vector<RowChange> changes) {
  TableWriterContext context;
  context.table = {"db", "t"};
  context.subtask = subtask;
  auto writer = sink.CreateWriter(context);
  REQUIRE(writer.ok());
  Status reported = Status::Internal("not reported");
  FlushBatch batch{{"db", "t"}, subtask, std::move(changes)};
  (*writer)->Write(std::move(batch), [&](Status status) { reported = std::move(status); });
  return reported;
}

// An encoder that refuses every change.
struct RefusingEncoder final : ChangeEncoder {
  Result<EncodedMessage> Encode(const RowChange&) const override {
    return Status::InvalidArgument("no line for this change");
  }
  const char* name() const override { return "refusing"; }
};

}  // namespace

TEST_CASE("the print sink writes each change's line after its subtask, one per line") {
  const TableSchemaPtr table = testing::MakeTable("t");
  std::ostringstream out;
  PrintSink sink(out);
  RowChange insert;
  insert.table = table.get();
  insert.after = {Value::Int(7), Value::String("a b", 45)};
  insert.position = {"", 3, ""};
  RowChange remove = insert;
  remove.kind = ChangeKind::kDelete;
  remove.before = std::move(remove.after);
  remove.after.clear();
  remove.position.offset = 4;
  CHECK(WriteBatch(sink, 2, {insert, remove}).ok());
  CHECK(out.str() == "2> insert db.t id=7 v='a b' @3\n2> delete db.t id=7 v='a b' @4\n");
}

TEST_CASE("an encoder's error fails the print sink's write and prints nothing of the batch") {
  const TableSchemaPtr table = testing::MakeTable("t");
  std::ostringstream out;
  PrintSink sink(out, std::make_unique<RefusingEncoder>());
  RowChange insert;
  insert.table = table.get();
  insert.after = {Value::Int(7), Value::Null()};
  Status status = WriteBatch(sink, 0, {insert});
  CHECK(status.code() == StatusCode::kInvalidArgument);
  CHECK(status.message() == "print sink: no line for this change");
  CHECK(out.str().empty());
}

}  // namespace cdc
