#include "connectors/print/print_sink.h"

#include <string>

namespace cdc {

class PrintSink::Writer final : public TableWriter {
 public:
  Writer(PrintSink& sink, size_t subtask) : sink_(sink), prefix_(std::to_string(subtask) + "> ") {}

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    std::string text;
    for (const RowChange& change : batch.changes) {
      text += prefix_;
      text += change.ToString();
      text += '\n';
    }
    {
      std::lock_guard out_lock(sink_.out_mu_);
      sink_.out_ << text;
      sink_.out_.flush();
      if (!sink_.out_) {
        done(Status::IoError("print sink: writing to the output stream failed (closed pipe or "
                             "full disk?)"));
        return;
      }
    }
    done(Status::Ok());
  }

 private:
  PrintSink& sink_;
  std::string prefix_;
};

Result<std::unique_ptr<TableWriter>> PrintSink::CreateWriter(const TableWriterContext& context) {
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.subtask));
}

}  // namespace cdc
