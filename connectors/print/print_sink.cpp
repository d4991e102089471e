#include "connectors/print/print_sink.h"

#include <string>

#include "connectors/format/line_encoder.h"

namespace cdc {

class PrintSink::Writer final : public TableWriter {
 public:
  Writer(PrintSink& sink, size_t subtask) : sink_(sink), prefix_(std::to_string(subtask) + "> ") {}

  void Write(FlushBatch batch, std::function<void(Status)> done) override {
    std::string text;
    for (const RowChange& change : batch.changes) {
      Result<EncodedMessage> message = sink_.encoder_->Encode(change);
      if (!message.ok()) {
        done(message.status().WithContext("print sink"));
        return;
      }
      text += prefix_;
      text += message->value;
      text += '\n';
    }
    {
      std::lock_guard out_lock(sink_.out_mu_);
      sink_.out_ << text;
      sink_.out_.flush();
      if (!sink_.out_) {
        done(
            Status::IoError("print sink: writing to the output stream failed (closed pipe or "
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

PrintSink::PrintSink(std::ostream& out, std::unique_ptr<const ChangeEncoder> encoder)
    : out_(out),
      encoder_(encoder != nullptr ? std::move(encoder) : std::make_unique<LineEncoder>()) {}

Result<std::unique_ptr<TableWriter>> PrintSink::CreateWriter(const TableWriterContext& context) {
  return std::unique_ptr<TableWriter>(std::make_unique<Writer>(*this, context.subtask));
}

}  // namespace cdc
