// The records of one read(2) of a fanotify descriptor (struct fanotify_event_metadata, each
// event_len bytes long), with the path of each event's descriptor (readlink of
// /proc/self/fd/N). Shared by FanotifyWatch (notifications) and FanotifyGuard (permission
// events).
//   BULWARK_RETURN_IF_ERROR(ForEachFanotifyRecord(absl::MakeConstSpan(buffer, n),
//       [&](FanotifyRecord record) { Use(record.pid(), record.path()); }));  // fd closed here
// Thread safety: no shared state; a FanotifyRecord belongs to one thread at a time.
#ifndef BULWARK_RUNTIME_INTERNAL_FANOTIFY_RECORDS_H_
#define BULWARK_RUNTIME_INTERNAL_FANOTIFY_RECORDS_H_

#include <cstdint>
#include <string>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/types/span.h"

namespace bulwark::runtime::internal {

// One event that carries a file descriptor. Owns the descriptor: it is closed when the record
// is destroyed, unless ReleaseFd() handed it on (a permission event's descriptor must stay open
// until the response naming it is written). Move-only.
class FanotifyRecord {
 public:
  FanotifyRecord(int fd, int64_t pid, uint64_t mask, std::string path)
      : fd_(fd), pid_(pid), mask_(mask), path_(std::move(path)) {}
  FanotifyRecord(FanotifyRecord&& other) noexcept;
  FanotifyRecord& operator=(FanotifyRecord&& other) noexcept;
  FanotifyRecord(const FanotifyRecord&) = delete;
  FanotifyRecord& operator=(const FanotifyRecord&) = delete;
  ~FanotifyRecord();

  // The event's descriptor; -1 after ReleaseFd().
  int fd() const { return fd_; }
  int64_t pid() const { return pid_; }
  // FAN_* bits of the event.
  uint64_t mask() const { return mask_; }
  // Where the descriptor points; empty when readlink failed. At most 4,096 bytes.
  const std::string& path() const { return path_; }
  // Gives up ownership: the caller must close the returned descriptor.
  int ReleaseFd();

 private:
  int fd_;
  int64_t pid_;
  uint64_t mask_;
  std::string path_;
};

// Calls `visit` for each record of `buffer` (the bytes one read(2) returned) in order, handing it
// the record and so the ownership of its descriptor. Records without one (FAN_NOFD: the queue
// overflowed) are skipped. Stops at the first record it cannot trust and returns why, naming
// its offset: DataLoss when fewer bytes are left than a record needs or its event_len is smaller
// than the metadata, FailedPrecondition when its metadata version is not the one this program
// was built for. Descriptors of rejected and later records are left untouched (their numbers
// cannot be trusted).
absl::Status ForEachFanotifyRecord(absl::Span<const char> buffer,
                                   absl::FunctionRef<void(FanotifyRecord)> visit);

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_FANOTIFY_RECORDS_H_
