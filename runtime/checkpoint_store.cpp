#include "runtime/checkpoint_store.h"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <vector>

#include "runtime/crc32.h"

namespace cdc {
namespace {

namespace fs = std::filesystem;
constexpr std::string_view kMagic = "cdc-checkpoint 2\n";
constexpr std::string_view kMagicV1 = "cdc-checkpoint 1\n";  // sections without checksums
constexpr std::string_view kPrefix = "checkpoint-";

std::string SystemError(int error) {
  return std::strerror(error);
}

std::string Hex8(uint32_t value) {
  char text[9];
  std::snprintf(text, sizeof text, "%08x", value);
  return text;
}

std::string FileName(uint64_t id) {
  std::string digits = std::to_string(id);
  return std::string(kPrefix) + std::string(20 - std::min<size_t>(20, digits.size()), '0') + digits;
}

// Writes all of `bytes` to `path` and fsyncs it.
Status WriteFileDurably(const std::string& path, std::string_view bytes) {
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) return Status::IoError("cannot create " + path + ": " + SystemError(errno));
  size_t written = 0;
  while (written < bytes.size()) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      int error = errno;
      ::close(fd);
      return Status::IoError("cannot write " + path + ": " + SystemError(error));
    }
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) {
    int error = errno;
    ::close(fd);
    return Status::IoError("cannot fsync " + path + ": " + SystemError(error));
  }
  if (::close(fd) != 0) return Status::IoError("cannot close " + path + ": " + SystemError(errno));
  return Status::Ok();
}

Status SyncDirectory(const std::string& directory) {
  int fd = ::open(directory.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Status::IoError("cannot open " + directory + ": " + SystemError(errno));
  int rc = ::fsync(fd);
  int error = errno;
  ::close(fd);
  if (rc != 0) return Status::IoError("cannot fsync " + directory + ": " + SystemError(error));
  return Status::Ok();
}

// Checkpoint ids of the files in `directory`, ascending.
std::vector<uint64_t> ListCheckpoints(const std::string& directory) {
  std::vector<uint64_t> ids;
  std::error_code error;
  for (const auto& entry : fs::directory_iterator(directory, error)) {
    std::string name = entry.path().filename().string();
    if (!name.starts_with(kPrefix) || name.size() != kPrefix.size() + 20) continue;
    uint64_t id = 0;
    auto [end, ec] = std::from_chars(name.data() + kPrefix.size(), name.data() + name.size(), id);
    if (ec == std::errc() && end == name.data() + name.size()) ids.push_back(id);
  }
  std::sort(ids.begin(), ids.end());
  return ids;
}

// Reads "<word> <rest>\n" from `in` at `pos`.
bool ReadLine(std::string_view in, size_t& pos, std::string_view& line) {
  size_t end = in.find('\n', pos);
  if (end == std::string_view::npos) return false;
  line = in.substr(pos, end - pos);
  pos = end + 1;
  return true;
}

}  // namespace

std::string EncodeCheckpoint(const CompletedCheckpoint& checkpoint) {
  std::string out(kMagic);
  out += "id " + std::to_string(checkpoint.id) + "\n";
  auto section = [&out](const std::string& name, const std::string& bytes) {
    out += "section " + name + " " + std::to_string(bytes.size()) + " " + Hex8(Crc32(bytes)) + "\n";
    out += bytes;
    out += '\n';
  };
  for (size_t i = 0; i < checkpoint.source_states.size(); ++i) {
    section("source." + std::to_string(i), checkpoint.source_states[i]);
  }
  for (const auto& [name, bytes] : checkpoint.attachments) section(name, bytes);
  out += "end\n";
  return out;
}

Result<CompletedCheckpoint> DecodeCheckpoint(std::string_view in) {
  auto damaged = [](const std::string& what) {
    return Status::InvalidArgument("damaged checkpoint: " + what);
  };
  const bool checksums = in.starts_with(kMagic);
  if (!checksums && !in.starts_with(kMagicV1)) {
    return damaged("it does not start with '" + std::string(kMagic.substr(0, 16)) + "'");
  }
  size_t pos = kMagic.size();
  std::string_view line;
  CompletedCheckpoint checkpoint;
  if (!ReadLine(in, pos, line) || !line.starts_with("id ") ||
      std::from_chars(line.data() + 3, line.data() + line.size(), checkpoint.id).ec !=
          std::errc()) {
    return damaged("no id line");
  }
  while (true) {
    if (!ReadLine(in, pos, line)) return damaged("it ends before its 'end' line");
    if (line == "end") break;
    if (!line.starts_with("section "))
      return damaged("unexpected line '" + std::string(line) + "'");
    // "section <name> <size>" then, from format 2 on, " <crc32 hex>".
    std::string_view rest = line.substr(8);
    uint32_t crc = 0;
    if (checksums) {
      size_t space = rest.rfind(' ');
      std::string_view hex = space == std::string_view::npos ? rest : rest.substr(space + 1);
      auto [end, error] = std::from_chars(hex.data(), hex.data() + hex.size(), crc, 16);
      if (space == std::string_view::npos || hex.size() != 8 || error != std::errc() ||
          end != hex.data() + hex.size()) {
        return damaged("bad section line '" + std::string(line) + "'");
      }
      rest = rest.substr(0, space);
    }
    size_t space = rest.rfind(' ');
    size_t size = 0;
    if (space == std::string_view::npos ||
        std::from_chars(rest.data() + space + 1, rest.data() + rest.size(), size).ec !=
            std::errc()) {
      return damaged("bad section line '" + std::string(line) + "'");
    }
    std::string name(rest.substr(0, space));
    if (in.size() - pos < size + 1 || in[pos + size] != '\n') {
      return damaged("section " + name + " is truncated");
    }
    std::string bytes(in.substr(pos, size));
    pos += size + 1;
    if (checksums && Crc32(bytes) != crc) {
      return damaged("section " + name + " does not match its checksum (CRC-32 " +
                     Hex8(Crc32(bytes)) + ", the section line says " + Hex8(crc) +
                     "): its bytes were changed");
    }
    if (name.starts_with("source.")) {
      if (name != "source." + std::to_string(checkpoint.source_states.size())) {
        return damaged("source sections out of order at " + name);
      }
      checkpoint.source_states.push_back(std::move(bytes));
    } else {
      checkpoint.attachments[name] = std::move(bytes);
    }
  }
  return checkpoint;
}

Result<CheckpointStore> CheckpointStore::Open(std::string directory, size_t keep) {
  std::error_code error;
  fs::create_directories(directory, error);
  if (error) {
    return Status::IoError("cannot create the state directory " + directory + ": " +
                           error.message() + "; choose a writable pipeline.state.dir");
  }
  // A directory that exists but cannot be written would fail only at the first checkpoint,
  // after the job started: find out now by creating (and removing) a file in it.
  std::string probe = directory + "/.write-test-" + std::to_string(::getpid());
  int fd = ::open(probe.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (fd < 0) {
    return Status::IoError("the state directory " + directory +
                           " is not writable: " + SystemError(errno) +
                           "; give the pipeline's user write access to it, or choose another "
                           "pipeline.state.dir");
  }
  ::close(fd);
  ::unlink(probe.c_str());
  return CheckpointStore(std::move(directory), std::max<size_t>(keep, 1));
}

std::string CheckpointStore::PathOf(uint64_t id) const {
  return directory_ + "/" + FileName(id);
}

Status CheckpointStore::Save(const CompletedCheckpoint& checkpoint) {
  std::string final_path = directory_ + "/" + FileName(checkpoint.id);
  std::string temp_path = final_path + ".tmp";
  CDC_RETURN_IF_ERROR(WriteFileDurably(temp_path, EncodeCheckpoint(checkpoint)));
  if (::rename(temp_path.c_str(), final_path.c_str()) != 0) {
    return Status::IoError("cannot rename " + temp_path + ": " + SystemError(errno));
  }
  CDC_RETURN_IF_ERROR(SyncDirectory(directory_));
  std::vector<uint64_t> ids = ListCheckpoints(directory_);
  for (size_t i = 0; i + keep_ < ids.size(); ++i) {
    std::error_code ignored;  // an old file left behind is harmless
    fs::remove(directory_ + "/" + FileName(ids[i]), ignored);
  }
  return Status::Ok();
}

Result<std::optional<CompletedCheckpoint>> CheckpointStore::LoadLatest() const {
  std::vector<uint64_t> ids = ListCheckpoints(directory_);
  if (ids.empty()) return std::optional<CompletedCheckpoint>();
  std::string path = directory_ + "/" + FileName(ids.back());
  std::ifstream file(path, std::ios::binary);
  std::stringstream bytes;
  bytes << file.rdbuf();
  if (!file) return Status::IoError("cannot read " + path);
  auto checkpoint = DecodeCheckpoint(bytes.str());
  if (!checkpoint.ok()) {
    return checkpoint.status().WithContext(
        path + " (restore it from a backup, or remove it to resume from the checkpoint before it)");
  }
  return std::optional<CompletedCheckpoint>(std::move(checkpoint).value());
}

}  // namespace cdc
