// What the engine knows about processes and containers, built from the events it sees.
//   RuntimeState state;                      // one per event stream
//   state.Apply(event);                      // clone/execve/exit/setuid... update the tables
//   const ProcessInfo* p = state.FindProcess(event.pid());
// Bounded: exited processes are evicted, and when max_processes live processes are known the
// oldest entry is dropped (counted in evicted_processes()). Thread safety: not thread-safe; one
// RuntimeState per event stream (an Engine owns one).
#ifndef BULWARK_RUNTIME_STATE_H_
#define BULWARK_RUNTIME_STATE_H_

#include <cstdint>
#include <deque>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/fd_table.h"

namespace bulwark::runtime {

// A known process and text the rule engine reads often, computed once when the process changes
// (RefreshDerivedText). name and container_id repeat the message's: short strings kept inline here,
// next to each other, so the rules read them without following the message's string pointers.
struct ProcessInfo {
  v1::Process process;
  std::string name;          // process.name().
  std::string container_id;  // process.container_id().
  std::string cmdline;       // "name arg1 arg2" as Falco's proc.cmdline.
  std::string args;          // "arg1 arg2" as Falco's proc.args.
};

// Supplies container metadata (name, image, labels, Kubernetes pod) for a container id, e.g. from
// the Docker or CRI API. Called once per new container id, from the thread applying events.
class ContainerMetadataProvider {
 public:
  virtual ~ContainerMetadataProvider() = default;
  // Metadata for `container_id` (12 hex digits), or nullopt when unknown.
  virtual std::optional<v1::Container> Lookup(absl::string_view container_id) = 0;
};

struct StateOptions {
  // Live processes kept; the oldest is dropped beyond this. Also capped by limits.max_entries.
  // Default: 200,000.
  size_t max_processes = 200'000;
  // Containers kept; the oldest is dropped beyond this. Default: 20,000.
  size_t max_containers = 20'000;
  // max_entries caps the tables as well; max_path_length truncates paths and names kept in them.
  core::Limits limits;
  // Optional, not owned; must outlive the RuntimeState. Default: none.
  ContainerMetadataProvider* metadata_provider = nullptr;
  // Caps of the file-descriptor table (also capped by limits.max_entries).
  FdTableOptions fds;
};

class RuntimeState {
 public:
  explicit RuntimeState(StateOptions options = {});

  // Updates the tables from `event`: its process snapshot and container metadata when present,
  // a new child on clone/fork/vfork, the new image on execve. Credential changes (set*id,
  // capset) and exits take effect in FinishEvent(), so rules see the process as it made the
  // call (a setuid(0) rule can still compare with the old uid).
  void Apply(const v1::Event& event);
  // Applies deferred credential changes and evicts an exited process (call after evaluation).
  void FinishEvent();

  // The process with thread-group id `pid`, or nullptr. Valid until the next Apply/FinishEvent.
  const ProcessInfo* FindProcess(int64_t pid) const;
  // Container metadata for `id`, or nullptr. Valid until the next Apply.
  const v1::Container* FindContainer(absl::string_view id) const;

  // The descriptor the last applied event acts on: the event's own `fd` merged with what the
  // file-descriptor table knows about the number it names (write(3) -> the path opened as 3), or
  // nullptr. Valid until the next Apply/FinishEvent.
  const v1::FileDescriptor* EventFd() const { return event_fd_; }
  const FdTable& fds() const { return fds_; }
  // Namespace ids of the host (learned from host pid 1 or sources that mark host namespaces);
  // 0 for kinds not known yet.
  const v1::Namespaces& host_namespaces() const { return host_namespaces_; }

  size_t process_count() const { return processes_.size(); }
  size_t container_count() const { return containers_.size(); }
  // Processes dropped because max_processes was reached (not counting exits).
  uint64_t evicted_processes() const { return evicted_processes_; }

 private:
  // Makes `snapshot` (with pid `pid`) what the table knows of `pid`, adding an entry if needed.
  ProcessInfo& StoreSnapshot(int64_t pid, const v1::Process& snapshot);
  // Overwrites all of `info` (message and derived text) from `snapshot`.
  void FillFromSnapshot(ProcessInfo& info, const v1::Process& snapshot, int64_t pid);
  // Puts `info` in the table as `pid`'s entry, replacing any, and evicts beyond the cap.
  void Adopt(int64_t pid, std::unique_ptr<ProcessInfo> info);
  // Removes `pid`'s entry, keeping its storage for a later process.
  void Erase(int64_t pid);
  // Storage for a new entry: a spare one when there is one. Its content is stale; the caller
  // overwrites all of it (the message by assignment, which reuses the strings' allocations).
  std::unique_ptr<ProcessInfo> SpareProcessInfo();
  void NoteContainer(const std::string& container_id);
  void EvictIfFull();
  struct PendingCredentials {
    int64_t pid;
    v1::EventType type;
    v1::Credentials credentials;
  };
  void ApplyCredentials(const PendingCredentials& change);
  // File-descriptor table and namespace bookkeeping of one event (state_fds.cc).
  void ApplyFds(const v1::Event& event, int64_t pid, const ProcessInfo* info);
  void NoteHostNamespaces(const v1::Process& process);

  StateOptions options_;
  size_t max_processes_;
  absl::flat_hash_map<int64_t, std::unique_ptr<ProcessInfo>> processes_;
  // Entries of exited processes, reused for new ones: their messages and strings keep their
  // allocations, so a clone copies its parent without allocating. At most kMaxSpareProcesses.
  std::vector<std::unique_ptr<ProcessInfo>> spare_processes_;
  std::deque<int64_t> insertion_order_;  // May hold pids that already exited.
  absl::flat_hash_map<std::string, v1::Container> containers_;
  std::deque<std::string> container_order_;
  std::optional<int64_t> exited_pid_;
  // The entry of the last applied event's process (nullptr when unknown or after FinishEvent),
  // so that the rules' lookup of the same pid skips the hash table.
  int64_t event_pid_ = 0;
  ProcessInfo* event_process_ = nullptr;
  std::optional<PendingCredentials> pending_credentials_;
  uint64_t evicted_processes_ = 0;
  FdTable fds_;
  const v1::FileDescriptor* event_fd_ = nullptr;
  v1::FileDescriptor created_fd_;  // Scratch for the descriptor an event creates.
  // (pid, fd) of a close(2), removed in FinishEvent after rules saw the descriptor.
  std::optional<std::pair<int64_t, int64_t>> closing_fd_;
  v1::Namespaces host_namespaces_;
};

// Refreshes info's name, container_id, cmdline and args from info.process.
void RefreshDerivedText(ProcessInfo& info);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_STATE_H_
