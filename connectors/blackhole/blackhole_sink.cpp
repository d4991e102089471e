#include "connectors/blackhole/blackhole_sink.h"

namespace cdc {

class BlackholeSink::Writer final : public TableWriter {
 public:
  explicit Writer(BlackholeSink& sink) : sink_(sink) {}

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    sink_.rows_.fetch_add(batch.changes.size(), std::memory_order_relaxed);
    sink_.batches_.fetch_add(1, std::memory_order_relaxed);
    batch.changes.clear();  // free the rows here, on the flush thread
    done(Status::Ok());
  }

 private:
  BlackholeSink& sink_;
};

Result<std::unique_ptr<TableWriter>> BlackholeSink::CreateWriter(const TableWriterContext&) {
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this));
}

}  // namespace cdc
