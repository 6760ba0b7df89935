// The file-descriptor table: what each open descriptor of each process refers to (a path, a
// socket tuple, a pipe, ...), kept from sources that list descriptors (/proc/<pid>/fd snapshots)
// and from the events that open, close and duplicate them. Lets rules read fd.name, fd.sip,
// fd.l4proto ... on events that name only a descriptor number (write, read, close, sendto).
//   FdTable table({.max_fds = 100'000});
//   table.Set(pid, fd);                               // after open/socket/accept
//   const v1::FileDescriptor* d = table.Find(pid, 3); // later: write(3, ...)
// Bounded: at most max_fds descriptors in all and max_fds_per_process per process; a descriptor
// beyond a cap is not recorded (counted in dropped()). A forked child shares its parent's
// descriptors until either of them changes its own (copy on write), so fork + exec + exit of a
// short-lived child copies nothing. Thread safety: not thread-safe.
#ifndef BULWARK_RUNTIME_FD_TABLE_H_
#define BULWARK_RUNTIME_FD_TABLE_H_

#include <cstddef>
#include <cstdint>
#include <memory>

#include "absl/container/flat_hash_map.h"
#include "bulwark/runtime/event.pb.h"

namespace bulwark::runtime {

struct FdTableOptions {
  // Descriptors kept over all processes; 0 turns the table off. Default: 1,000,000.
  size_t max_fds = 1'000'000;
  // Descriptors kept for one process. Default: 65,536.
  size_t max_fds_per_process = 65'536;
};

class FdTable {
 public:
  explicit FdTable(FdTableOptions options = {}) : options_(options) {}
  // A copy shares no storage with `other` (forked processes share only within one table), so
  // copies may be used from different threads.
  FdTable(const FdTable& other);
  FdTable& operator=(const FdTable& other);
  FdTable(FdTable&&) = default;
  FdTable& operator=(FdTable&&) = default;

  // Descriptor `num` of process `pid`, or nullptr. Valid until the next change of the table.
  const v1::FileDescriptor* Find(int64_t pid, int64_t num) const;
  // As above, for changing it: `pid`'s descriptors become its own first (copy on write).
  v1::FileDescriptor* Find(int64_t pid, int64_t num);
  // Records `fd` as descriptor fd.num() of `pid`, replacing what was there. Returns the stored
  // entry, or nullptr when a cap is reached or fd.num() < 0. When stored, `fd` is left holding
  // storage the table no longer needs (the replaced entry's or a closed one's): a caller that
  // reuses one message for what it stores allocates nothing in the steady state.
  v1::FileDescriptor* Set(int64_t pid, v1::FileDescriptor&& fd);
  // As above, copying `fd` into the entry already there (reusing its storage) when there is one.
  v1::FileDescriptor* Set(int64_t pid, const v1::FileDescriptor& fd);
  // False when max_fds is 0: nothing is ever recorded.
  bool enabled() const { return options_.max_fds > 0; }
  // Removes descriptor `num` of `pid` (close).
  void Close(int64_t pid, int64_t num);
  // Makes `new_num` refer to what `old_num` refers to (dup, dup2, dup3, F_DUPFD); the copy does
  // not inherit close-on-exec unless `close_on_exec`.
  void Duplicate(int64_t pid, int64_t old_num, int64_t new_num, bool close_on_exec);
  // Gives `child` a copy of `parent`'s descriptors (fork). The copy is shared with the parent
  // until one of them changes its descriptors; caps count it as if copied.
  void CopyProcess(int64_t parent, int64_t child);
  // Drops `pid`'s close-on-exec descriptors (execve).
  void CloseOnExec(int64_t pid);
  // Replaces `pid`'s descriptors with `fds` (a /proc snapshot).
  void ReplaceProcess(int64_t pid,
                      const google::protobuf::RepeatedPtrField<v1::FileDescriptor>& fds);
  // Forgets every descriptor of `pid` (exit, eviction).
  void ForgetProcess(int64_t pid);

  size_t size() const { return total_; }
  size_t process_count() const { return processes_.size(); }
  // Descriptors not recorded because a cap was reached.
  uint64_t dropped() const { return dropped_; }

 private:
  using Descriptors = absl::flat_hash_map<int64_t, v1::FileDescriptor>;

  // Makes `descriptors` the process's own (copied when another process shares them).
  static Descriptors& Unshare(std::shared_ptr<Descriptors>& descriptors);

  FdTableOptions options_;
  // Never null nor empty; shared between processes after fork until one changes.
  absl::flat_hash_map<int64_t, std::shared_ptr<Descriptors>> processes_;
  size_t total_ = 0;
  // The storage (strings) of the last closed descriptor, handed out by the next Set(&&).
  v1::FileDescriptor spare_;
  uint64_t dropped_ = 0;
};

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_FD_TABLE_H_
