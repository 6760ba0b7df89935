#include "bulwark/examples/cli/stdin_reader.h"

#include <unistd.h>

#include <cerrno>
#include <memory>

#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"

namespace bulwark::cli {
namespace {

constexpr size_t kChunkBytes = size_t{1} << 20;
constexpr absl::string_view kStdinName = "-";

}  // namespace

absl::Status ForEachStdinChunk(absl::FunctionRef<absl::Status(absl::string_view chunk)> consume) {
  auto buffer = std::make_unique<char[]>(kChunkBytes);
  while (true) {
    ssize_t n = ::read(STDIN_FILENO, buffer.get(), kChunkBytes);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return core::ErrnoToStatus(errno, kStdinName);
    if (n == 0) return absl::OkStatus();
    absl::Status status = consume(absl::string_view(buffer.get(), static_cast<size_t>(n)));
    if (!status.ok()) return status;
  }
}

absl::StatusOr<std::string> ReadStdinToString(uint64_t max_bytes) {
  std::string contents;
  absl::Status status = ForEachStdinChunk([&](absl::string_view chunk) {
    if (contents.size() + chunk.size() > max_bytes) {
      return core::LimitExceeded("max_file_bytes", max_bytes, kStdinName);
    }
    contents.append(chunk.data(), chunk.size());
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return contents;
}

}  // namespace bulwark::cli
