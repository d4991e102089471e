#include "connectors/mq/claim_check_storage.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <random>

namespace cdc {

Result<ClaimCheckStorage> ClaimCheckStorage::Open(const std::string& uri) {
  constexpr std::string_view kScheme = "file://";
  if (!uri.starts_with(kScheme) || uri.size() <= kScheme.size() || uri[kScheme.size()] != '/') {
    return Status::InvalidArgument(
        fmt::format("claim-check-storage-uri '{}' is not file:///absolute/directory", uri));
  }
  std::string directory = uri.substr(kScheme.size());
  std::error_code error;
  std::filesystem::create_directories(directory, error);
  if (error) {
    return Status::IoError(
        fmt::format("claim-check storage: cannot create {}: {}", directory, error.message()));
  }
  std::random_device random;
  auto now = std::chrono::system_clock::now().time_since_epoch().count();
  return ClaimCheckStorage(directory, fmt::format("{:x}-{:08x}", now, random()));
}

Result<std::string> ClaimCheckStorage::Store(std::string_view name_hint, std::string_view bytes) {
  std::string name;
  for (char c : name_hint) {
    bool plain = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                 c == '.' || c == '_' || c == '-';
    name.push_back(plain ? c : '_');
  }
  name += fmt::format("-{}-{}.msg", prefix_, counter_.fetch_add(1));
  std::string path = directory_ + "/" + name;
  std::string temporary = path + ".tmp";
  int fd = ::open(temporary.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  auto fail = [&](const char* what) {
    Status status = Status::IoError(
        fmt::format("claim-check storage: {} {}: {}", what, temporary, std::strerror(errno)));
    if (fd >= 0) ::close(fd);
    ::unlink(temporary.c_str());
    return status;
  };
  if (fd < 0) return fail("cannot create");
  for (size_t written = 0; written < bytes.size();) {
    ssize_t n = ::write(fd, bytes.data() + written, bytes.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return fail("cannot write");
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return fail("cannot flush");
  ::close(fd);
  fd = -1;
  if (::rename(temporary.c_str(), path.c_str()) != 0) return fail("cannot rename");
  return "file://" + path;
}

}  // namespace cdc
