#include "connectors/mysql/source/binlog/binlog_file_source.h"

#include <utility>

namespace cdc {

SourceFactory BinlogFileSource::Factory(BinlogFileSourceOptions options) {
  return [options = std::move(options)](const SubtaskInfo&) {
    return std::make_unique<BinlogFileSource>(options);
  };
}

Status BinlogFileSource::Open(const SubtaskInfo& info, Clock&) {
  if (info.parallelism != 1) {
    return Status::InvalidArgument("a binlog file source reads one stream: give it parallelism 1");
  }
  if (options_.files.empty()) return Status::InvalidArgument("binlog file source: no files given");
  auto filter = TableFilter::Make(options_.include_tables, options_.exclude_tables);
  if (!filter.ok()) return filter.status();
  transport_ = std::make_unique<BinlogFileTransport>(options_.files);
  decoder_ = std::make_unique<BinlogDecoder>(std::move(filter).value());
  return Status::Ok();
}

Result<PollResult> BinlogFileSource::PollNext(Output& out) {
  BinlogEvent event;
  for (size_t i = 0; i < options_.events_per_poll; ++i) {
    auto more = transport_->Next(event);
    if (!more.ok()) return more.status();
    if (!*more) return PollResult::End();
    CDC_RETURN_IF_ERROR(decoder_->Handle(event, transport_->file(), out));
  }
  return PollResult::More();
}

std::string BinlogFileSource::SnapshotState() {
  return decoder_->committed().ToString();
}

}  // namespace cdc
