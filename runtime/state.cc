#include "bulwark/runtime/state.h"

#include <algorithm>
#include <utility>

#include "bulwark/runtime/cgroup.h"

namespace bulwark::runtime {
namespace {

// Spare process entries kept for reuse (RuntimeState::spare_processes_).
constexpr size_t kMaxSpareProcesses = 64;

// Linux comm is at most 15 bytes; Falco's proc.name is the basename of the executable otherwise.
absl::string_view NameFromPath(absl::string_view path) {
  size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

// Sets a message's string field to `value`, reusing the field's allocation (the generated
// setters build a temporary std::string from a string_view).
void Assign(std::string* field, absl::string_view value) {
  field->assign(value.data(), value.size());
}

void Truncate(std::string& text, size_t max) {
  if (text.size() > max) text.resize(max);
}

}  // namespace

void RefreshDerivedText(ProcessInfo& info) {
  const v1::Process& p = info.process;
  info.name = p.name();
  info.container_id = p.container_id();
  // Built in place rather than joined into a new string: the entries' capacity is reused.
  info.args.clear();
  for (int i = 0; i < p.args_size(); ++i) {
    if (i > 0) info.args += ' ';
    info.args += p.args(i);
  }
  info.cmdline = p.name();
  if (!info.args.empty()) {
    info.cmdline += ' ';
    info.cmdline += info.args;
  }
}

RuntimeState::RuntimeState(StateOptions options)
    : options_(std::move(options)),
      max_processes_(std::max<size_t>(
          1, std::min<uint64_t>(options_.max_processes, options_.limits.max_entries))),
      fds_(FdTableOptions{
          .max_fds = std::min<uint64_t>(options_.fds.max_fds, options_.limits.max_entries),
          .max_fds_per_process = options_.fds.max_fds_per_process}) {}

ProcessInfo& RuntimeState::StoreSnapshot(int64_t pid, const v1::Process& snapshot) {
  if (auto it = processes_.find(pid); it != processes_.end()) {
    FillFromSnapshot(*it->second, snapshot, pid);
    return *it->second;
  }
  std::unique_ptr<ProcessInfo> info = SpareProcessInfo();
  FillFromSnapshot(*info, snapshot, pid);
  ProcessInfo& stored = *info;
  Adopt(pid, std::move(info));  // Evicts older entries only: the new one is the youngest.
  return stored;
}

void RuntimeState::Adopt(int64_t pid, std::unique_ptr<ProcessInfo> info) {
  auto [it, inserted] = processes_.try_emplace(pid);
  if (!inserted && spare_processes_.size() < kMaxSpareProcesses) {
    spare_processes_.push_back(std::move(it->second));
  }
  it->second = std::move(info);
  if (inserted) {
    insertion_order_.push_back(pid);
    EvictIfFull();
  }
}

void RuntimeState::Erase(int64_t pid) {
  auto it = processes_.find(pid);
  if (it == processes_.end()) return;
  if (spare_processes_.size() < kMaxSpareProcesses) {
    spare_processes_.push_back(std::move(it->second));
  }
  processes_.erase(it);
}

std::unique_ptr<ProcessInfo> RuntimeState::SpareProcessInfo() {
  if (spare_processes_.empty()) return std::make_unique<ProcessInfo>();
  std::unique_ptr<ProcessInfo> info = std::move(spare_processes_.back());
  spare_processes_.pop_back();
  return info;
}

void RuntimeState::EvictIfFull() {
  while (processes_.size() > max_processes_ && !insertion_order_.empty()) {
    int64_t oldest = insertion_order_.front();
    insertion_order_.pop_front();
    if (processes_.contains(oldest)) {
      Erase(oldest);
      ++evicted_processes_;
    }
    fds_.ForgetProcess(oldest);
  }
  // Drop stale pids (exited processes) so the queue stays proportional to the table.
  if (insertion_order_.size() > 2 * max_processes_ + 16) {
    std::deque<int64_t> live;
    for (int64_t pid : insertion_order_) {
      if (processes_.contains(pid)) live.push_back(pid);
    }
    insertion_order_ = std::move(live);
  }
}

void RuntimeState::FillFromSnapshot(ProcessInfo& info, const v1::Process& snapshot, int64_t pid) {
  info.process = snapshot;
  v1::Process& p = info.process;
  p.set_pid(pid);
  const size_t max_path = options_.limits.max_path_length;
  Truncate(*p.mutable_exepath(), max_path);
  Truncate(*p.mutable_exe(), max_path);
  Truncate(*p.mutable_cwd(), max_path);
  if (p.name().empty()) {
    Assign(p.mutable_name(), NameFromPath(p.exepath().empty() ? p.exe() : p.exepath()));
  }
  if (p.container_id().empty()) {
    for (const std::string& cgroup : p.cgroups()) {
      if (std::optional<CgroupContainer> c = ContainerFromCgroup(cgroup)) {
        p.set_container_id(c->id);
        break;
      }
    }
    if (p.container_id().empty()) p.set_container_id("host");
  }
  RefreshDerivedText(info);
}

void RuntimeState::NoteContainer(const std::string& container_id) {
  if (options_.metadata_provider == nullptr || container_id.empty() || container_id == "host" ||
      containers_.contains(container_id)) {
    return;
  }
  std::optional<v1::Container> metadata = options_.metadata_provider->Lookup(container_id);
  if (!metadata.has_value()) return;
  metadata->set_id(container_id);
  containers_.emplace(container_id, *std::move(metadata));
  container_order_.push_back(container_id);
  while (containers_.size() > options_.max_containers && !container_order_.empty()) {
    containers_.erase(container_order_.front());
    container_order_.pop_front();
  }
}

void RuntimeState::Apply(const v1::Event& event) {
  if (event.has_container() && !event.container().id().empty()) {
    const std::string& id = event.container().id();
    if (!containers_.contains(id)) container_order_.push_back(id);
    containers_[id] = event.container();
    while (containers_.size() > options_.max_containers && !container_order_.empty()) {
      containers_.erase(container_order_.front());
      container_order_.pop_front();
    }
  }
  const int64_t pid = event.pid() != 0 ? event.pid() : event.process().pid();
  event_process_ = nullptr;
  if (pid == 0) return;
  if (event.has_parent() && event.parent().pid() != 0 && event.parent().pid() != pid &&
      (!event.parent().exepath().empty() || !event.parent().exe().empty())) {
    StoreSnapshot(event.parent().pid(), event.parent());
  }
  ProcessInfo* info = nullptr;
  // A snapshot that names the executable replaces what we knew; a bare pid does not.
  if (event.has_process() && (!event.process().exepath().empty() ||
                              !event.process().exe().empty() || !event.process().name().empty())) {
    info = &StoreSnapshot(pid, event.process());
  } else {
    auto it = processes_.find(pid);
    if (it != processes_.end()) info = it->second.get();
  }
  if (info != nullptr) {
    // The rules read this entry's name, container id and command line right after Apply: start
    // loading its lines now, so the bookkeeping below overlaps the cache misses.
    __builtin_prefetch(&info->process);
    __builtin_prefetch(&info->name);
    __builtin_prefetch(&info->args);
  }
  // Checked here so that events without a provider do not touch the process entry.
  if (info != nullptr && options_.metadata_provider != nullptr) {
    NoteContainer(info->process.container_id());
  }
  if (info != nullptr && event.has_process()) NoteHostNamespaces(info->process);
  ApplyFds(event, pid, info);

  const bool ok = event.result() >= 0;
  switch (event.type()) {
    case v1::EVENT_TYPE_CLONE:
    case v1::EVENT_TYPE_CLONE3:
    case v1::EVENT_TYPE_FORK:
    case v1::EVENT_TYPE_VFORK: {
      int64_t child = event.clone().child_pid() != 0 ? event.clone().child_pid() : event.result();
      if (!ok || child <= 0 || info == nullptr || child == pid) break;
      // Copied into a spare entry's storage; the derived text is the parent's (same name,
      // container and arguments).
      std::unique_ptr<ProcessInfo> child_info = SpareProcessInfo();
      v1::Process& copy = child_info->process;
      copy = info->process;
      copy.set_pid(child);
      copy.set_tid(event.clone().child_tid() != 0 ? event.clone().child_tid() : child);
      copy.set_ppid(pid);
      copy.set_start_time_ns(event.timestamp_ns());
      child_info->name = info->name;
      child_info->container_id = info->container_id;
      child_info->cmdline = info->cmdline;
      child_info->args = info->args;
      Adopt(child, std::move(child_info));
      if (!processes_.contains(pid)) info = nullptr;  // Evicted to make room for the child.
      break;
    }
    case v1::EVENT_TYPE_EXECVE:
    case v1::EVENT_TYPE_EXECVEAT: {
      if (!ok || info == nullptr || !event.has_exec() || event.has_process()) break;
      v1::Process& p = info->process;
      const v1::Exec& exec = event.exec();
      const absl::string_view filename = exec.filename();
      Assign(p.mutable_exepath(), filename.substr(0, options_.limits.max_path_length));
      Assign(p.mutable_exe(), filename.substr(0, options_.limits.max_path_length));
      Assign(p.mutable_name(), NameFromPath(filename).substr(0, 15));
      *p.mutable_args() = exec.args();
      if (!exec.env().empty()) *p.mutable_env() = exec.env();
      if (!exec.cwd().empty()) p.set_cwd(exec.cwd());
      RefreshDerivedText(*info);
      break;
    }
    case v1::EVENT_TYPE_SETUID:
    case v1::EVENT_TYPE_SETREUID:
    case v1::EVENT_TYPE_SETRESUID:
    case v1::EVENT_TYPE_SETGID:
    case v1::EVENT_TYPE_SETREGID:
    case v1::EVENT_TYPE_SETRESGID:
    case v1::EVENT_TYPE_CAPSET:
      // Rules see the credentials the call was made with; the change applies after it.
      if (ok && info != nullptr && event.has_credentials()) {
        pending_credentials_ = PendingCredentials{pid, event.type(), event.credentials()};
      }
      break;
    case v1::EVENT_TYPE_PROCEXIT:
      exited_pid_ = pid;
      break;
    default:
      break;
  }
  event_pid_ = pid;
  event_process_ = info;
}

void RuntimeState::ApplyCredentials(const PendingCredentials& change) {
  auto it = processes_.find(change.pid);
  if (it == processes_.end()) return;
  v1::Process& p = it->second->process;
  const v1::Credentials& c = change.credentials;
  switch (change.type) {
    case v1::EVENT_TYPE_SETUID:
    case v1::EVENT_TYPE_SETREUID:
    case v1::EVENT_TYPE_SETRESUID:
      p.set_uid(c.uid());
      p.set_euid(change.type == v1::EVENT_TYPE_SETUID ? c.uid() : c.euid());
      break;
    case v1::EVENT_TYPE_CAPSET:
      p.set_cap_effective(c.cap_effective());
      p.set_cap_permitted(c.cap_permitted());
      p.set_cap_inheritable(c.cap_inheritable());
      break;
    default:
      p.set_gid(c.gid());
      p.set_egid(change.type == v1::EVENT_TYPE_SETGID ? c.gid() : c.egid());
      break;
  }
}

void RuntimeState::FinishEvent() {
  if (pending_credentials_.has_value()) {
    ApplyCredentials(*pending_credentials_);
    pending_credentials_.reset();
  }
  event_fd_ = nullptr;
  event_process_ = nullptr;
  if (closing_fd_.has_value()) {
    fds_.Close(closing_fd_->first, closing_fd_->second);
    closing_fd_.reset();
  }
  if (exited_pid_.has_value()) {
    fds_.ForgetProcess(*exited_pid_);
    Erase(*exited_pid_);
    exited_pid_.reset();
  }
}

const ProcessInfo* RuntimeState::FindProcess(int64_t pid) const {
  if (pid == event_pid_ && event_process_ != nullptr) return event_process_;
  auto it = processes_.find(pid);
  return it == processes_.end() ? nullptr : it->second.get();
}

const v1::Container* RuntimeState::FindContainer(absl::string_view id) const {
  if (containers_.empty()) return nullptr;  // Spares hashing the id.
  auto it = containers_.find(id);
  return it == containers_.end() ? nullptr : &it->second;
}

}  // namespace bulwark::runtime
