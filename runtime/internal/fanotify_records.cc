#include "bulwark/runtime/internal/fanotify_records.h"

#include <sys/fanotify.h>
#include <unistd.h>

#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bulwark::runtime::internal {
namespace {

std::string DescriptorPath(int fd) {
  char target[4096];
  const ssize_t length =
      readlink(absl::StrCat("/proc/self/fd/", fd).c_str(), target, sizeof(target));
  return length > 0 ? std::string(target, static_cast<size_t>(length)) : std::string();
}

}  // namespace

FanotifyRecord::FanotifyRecord(FanotifyRecord&& other) noexcept
    : fd_(std::exchange(other.fd_, -1)),
      pid_(other.pid_),
      mask_(other.mask_),
      path_(std::move(other.path_)) {}

FanotifyRecord& FanotifyRecord::operator=(FanotifyRecord&& other) noexcept {
  if (this != &other) {
    if (fd_ >= 0) close(fd_);
    fd_ = std::exchange(other.fd_, -1);
    pid_ = other.pid_;
    mask_ = other.mask_;
    path_ = std::move(other.path_);
  }
  return *this;
}

FanotifyRecord::~FanotifyRecord() {
  if (fd_ >= 0) close(fd_);
}

int FanotifyRecord::ReleaseFd() { return std::exchange(fd_, -1); }

absl::Status ForEachFanotifyRecord(absl::Span<const char> buffer,
                                   absl::FunctionRef<void(FanotifyRecord)> visit) {
  size_t offset = 0;
  while (offset < buffer.size()) {
    const size_t left = buffer.size() - offset;
    fanotify_event_metadata event;
    if (left < sizeof(event)) {
      return absl::DataLossError(absl::StrCat("fanotify buffer: ", left, " bytes left at offset ",
                                              offset, ", a record needs ", sizeof(event)));
    }
    std::memcpy(&event, buffer.data() + offset, sizeof(event));
    if (event.vers != FANOTIFY_METADATA_VERSION) {
      return absl::FailedPreconditionError(
          absl::StrCat("fanotify buffer: metadata version ", event.vers, " at offset ", offset,
                       ", this program reads version ", FANOTIFY_METADATA_VERSION));
    }
    if (event.event_len < sizeof(event) || event.event_len > left) {
      return absl::DataLossError(absl::StrCat("fanotify buffer: record at offset ", offset,
                                              " has event_len ", event.event_len, " (at least ",
                                              sizeof(event), ", at most ", left, ")"));
    }
    offset += event.event_len;
    if (event.fd < 0) continue;  // FAN_NOFD: the queue overflowed; nothing is held.
    visit(FanotifyRecord(event.fd, event.pid, event.mask, DescriptorPath(event.fd)));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::runtime::internal
