// Tracee JSON events. Two layouts:
// - classic (`tracee --output json`, trace.Event): eventName, hostProcessId, processName,
//   args [{name, type, value}], returnValue, container/kubernetes objects (or the older flat
//   containerId/containerImage/podName fields);
// - v1beta1 (protobuf JSON of the gRPC API): name, timestamp {seconds, nanos},
//   workload.process / container / k8s, data [{name, <type>: value}].
// Both are first reduced to one EventView (header fields and named arguments), then mapped.
#include <arpa/inet.h>
#include <sys/socket.h>

#include <utility>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/internal/import_fields.h"
#include "bulwark/runtime/internal/linux_names.h"

namespace bulwark::runtime::internal {
namespace {

// The layout-independent view of one Tracee event.
struct EventView {
  std::string name;
  uint64_t timestamp_ns = 0;
  v1::Process process;
  v1::Container container;
  int64_t result = 0;
  // Arguments by name; values borrowed from the record.
  absl::flat_hash_map<std::string, const core::Value*> args;
  bool is_signature = false;
};

// threadStartTime is epoch nanoseconds in current Tracee and nanoseconds since boot in older
// versions; only the former has a counterpart (Process.start_time_ns is epoch time).
constexpr int64_t kEpochNanosFloor = int64_t{100'000'000} * 1'000'000'000;  // 1973

void ReadClassic(const core::Value& record, EventView& view) {
  view.name = StringAt(record, "eventName").value_or("");
  view.timestamp_ns =
      static_cast<uint64_t>(std::max<int64_t>(0, IntAt(record, "timestamp").value_or(0)));
  view.result = IntAt(record, "returnValue").value_or(0);
  v1::Process& p = view.process;
  p.set_pid(IntAt(record, "hostProcessId").value_or(IntAt(record, "processId").value_or(0)));
  p.set_tid(IntAt(record, "hostThreadId").value_or(p.pid()));
  p.set_ppid(IntAt(record, "hostParentProcessId").value_or(0));
  p.set_vpid(IntAt(record, "processId").value_or(0));
  p.set_vtid(IntAt(record, "threadId").value_or(0));
  if (auto uid = IntAt(record, "userId")) {
    p.set_uid(*uid);
    p.set_euid(*uid);
  }
  p.set_name(StringAt(record, "processName").value_or(""));
  if (auto mnt = IntAt(record, "mountNamespace")) {
    p.mutable_namespaces()->set_mnt(static_cast<uint64_t>(*mnt));
  }
  if (auto pid_ns = IntAt(record, "pidNamespace")) {
    p.mutable_namespaces()->set_pid(static_cast<uint64_t>(*pid_ns));
  }
  if (const core::Value* executable = MapAt(record, "executable")) {
    p.set_exepath(StringAt(*executable, "path").value_or(""));
  }
  if (auto start = IntAt(record, "threadStartTime");
      start.has_value() && *start >= kEpochNanosFloor) {
    p.set_start_time_ns(static_cast<uint64_t>(*start));
  }
  v1::Container& c = view.container;
  SetContainerId(StringAt(record, "containerId").value_or(""), c);
  std::string image = StringAt(record, "containerImage").value_or("");
  std::string digest;
  c.set_name(StringAt(record, "containerName").value_or(""));
  c.set_k8s_pod_name(StringAt(record, "podName").value_or(""));
  c.set_k8s_namespace(StringAt(record, "podNamespace").value_or(""));
  c.set_k8s_pod_uid(StringAt(record, "podUID").value_or(""));
  if (const core::Value* container = MapAt(record, "container")) {
    if (auto id = StringAt(*container, "id")) SetContainerId(*id, c);
    if (auto name = StringAt(*container, "name")) c.set_name(*name);
    if (auto value = StringAt(*container, "image")) image = *value;
    if (auto value = StringAt(*container, "imageDigest")) digest = *value;
  }
  SetContainerImage(image, digest, c);
  if (const core::Value* k8s = MapAt(record, "kubernetes")) {
    if (auto v = StringAt(*k8s, "podName")) c.set_k8s_pod_name(*v);
    if (auto v = StringAt(*k8s, "podNamespace")) c.set_k8s_namespace(*v);
    if (auto v = StringAt(*k8s, "podUID")) c.set_k8s_pod_uid(*v);
  }
  if (const core::Value* args = ListAt(record, "args")) {
    for (const core::Value& arg : args->list_value()) {
      auto name = arg.is_map() ? StringAt(arg, "name") : std::nullopt;
      const core::Value* value = arg.is_map() ? arg.Find("value") : nullptr;
      if (name.has_value() && value != nullptr) view.args.emplace(*name, value);
    }
  }
  view.is_signature = MapAt(record, "metadata") != nullptr;
}

void ReadV1beta1(const core::Value& record, EventView& view) {
  view.name = StringAt(record, "name").value_or("");
  if (const core::Value* ts = MapAt(record, "timestamp")) {
    view.timestamp_ns =
        static_cast<uint64_t>(std::max<int64_t>(0, IntAt(*ts, "seconds").value_or(0))) *
            1'000'000'000 +
        static_cast<uint64_t>(std::max<int64_t>(0, IntAt(*ts, "nanos").value_or(0)));
  }
  v1::Process& p = view.process;
  const core::Value* workload = MapAt(record, "workload");
  const core::Value* process = workload != nullptr ? MapAt(*workload, "process") : nullptr;
  if (process != nullptr) {
    if (const core::Value* pid = MapAt(*process, "pid"))
      p.set_pid(IntAt(*pid, "value").value_or(0));
    if (const core::Value* host_pid = MapAt(*process, "host_pid")) {
      p.set_vpid(p.pid());
      p.set_pid(IntAt(*host_pid, "value").value_or(p.pid()));
    }
    if (const core::Value* thread = MapAt(*process, "thread")) {
      p.set_name(StringAt(*thread, "name").value_or(""));
      p.set_tid(IntAt(*thread, "host_tid").value_or(IntAt(*thread, "tid").value_or(p.pid())));
      p.set_vtid(IntAt(*thread, "tid").value_or(0));
      if (const core::Value* start = MapAt(*thread, "start_time")) {
        p.set_start_time_ns(
            static_cast<uint64_t>(std::max<int64_t>(0, IntAt(*start, "seconds").value_or(0))) *
                1'000'000'000 +
            static_cast<uint64_t>(std::max<int64_t>(0, IntAt(*start, "nanos").value_or(0))));
      }
    }
    if (const core::Value* user = MapAt(*process, "real_user")) {
      if (const core::Value* id = MapAt(*user, "id")) {
        p.set_uid(IntAt(*id, "value").value_or(0));
        p.set_euid(p.uid());
      }
      if (auto name = StringAt(*user, "username")) p.set_user_name(*name);
    }
    if (const core::Value* executable = MapAt(*process, "executable")) {
      p.set_exepath(StringAt(*executable, "path").value_or(""));
    }
    if (const core::Value* ancestors = ListAt(*process, "ancestors");
        ancestors != nullptr && !ancestors->list_value().empty() &&
        ancestors->list_value()[0].is_map()) {
      const core::Value& parent = ancestors->list_value()[0];
      p.set_ppid(IntAt(parent, "host_pid").value_or(IntAt(parent, "pid").value_or(0)));
    }
  }
  v1::Container& c = view.container;
  if (const core::Value* container =
          workload != nullptr ? MapAt(*workload, "container") : nullptr) {
    SetContainerId(StringAt(*container, "id").value_or(""), c);
    c.set_name(StringAt(*container, "name").value_or(""));
    if (const core::Value* image = MapAt(*container, "image")) {
      std::string digest;
      if (const core::Value* digests = ListAt(*image, "repo_digests");
          digests != nullptr && !digests->list_value().empty() &&
          digests->list_value()[0].is_string()) {
        digest = digests->list_value()[0].string_value();
      }
      SetContainerImage(StringAt(*image, "name").value_or(""), digest, c);
    }
  }
  if (const core::Value* k8s = workload != nullptr ? MapAt(*workload, "k8s") : nullptr) {
    if (const core::Value* pod = MapAt(*k8s, "pod")) {
      c.set_k8s_pod_name(StringAt(*pod, "name").value_or(""));
      c.set_k8s_pod_uid(StringAt(*pod, "uid").value_or(""));
      if (const core::Value* labels = MapAt(*pod, "labels")) {
        for (const core::MapEntry& label : labels->map_value()) {
          if (label.value.is_string()) {
            (*c.mutable_k8s_pod_labels())[label.key] = label.value.string_value();
          }
        }
      }
    }
    if (const core::Value* ns = MapAt(*k8s, "namespace")) {
      c.set_k8s_namespace(StringAt(*ns, "name").value_or(""));
    }
  }
  if (const core::Value* data = ListAt(record, "data")) {
    for (const core::Value& arg : data->list_value()) {
      if (!arg.is_map()) continue;
      auto name = StringAt(arg, "name");
      // {"name": "argv", "str_array": {"value": [...]}}: the value is the other key.
      for (const core::MapEntry& entry : arg.map_value()) {
        if (entry.key == "name" || !name.has_value()) continue;
        const core::Value* value = &entry.value;
        if (value->is_map() && value->Find("value") != nullptr) value = value->Find("value");
        view.args.emplace(*name, value);
      }
    }
  }
  if (const core::Value* returned = record.Find("return_value")) {
    view.result = AsInt(*returned).value_or(0);
  }
  view.is_signature = record.Find("threat") != nullptr;
}

// Tracee event names that are not syscall names but have a syscall counterpart.
std::optional<v1::EventType> TypeOfTraceeEvent(absl::string_view name) {
  static constexpr struct {
    absl::string_view name;
    v1::EventType type;
  } kEvents[] = {
      {"sched_process_exec", v1::EVENT_TYPE_EXECVE},
      {"sched_process_fork", v1::EVENT_TYPE_CLONE},
      {"sched_process_exit", v1::EVENT_TYPE_PROCEXIT},
      {"security_file_open", v1::EVENT_TYPE_OPENAT},
      {"security_socket_create", v1::EVENT_TYPE_SOCKET},
      {"security_socket_connect", v1::EVENT_TYPE_CONNECT},
      {"security_socket_bind", v1::EVENT_TYPE_BIND},
      {"security_socket_listen", v1::EVENT_TYPE_LISTEN},
      {"security_socket_accept", v1::EVENT_TYPE_ACCEPT},
      {"security_inode_unlink", v1::EVENT_TYPE_UNLINKAT},
      {"security_inode_symlink", v1::EVENT_TYPE_SYMLINKAT},
      {"security_inode_mknod", v1::EVENT_TYPE_MKDIRAT},
      {"security_sb_mount", v1::EVENT_TYPE_MOUNT},
      {"security_kernel_read_file", v1::EVENT_TYPE_FINIT_MODULE},
      {"init_module", v1::EVENT_TYPE_INIT_MODULE},
      {"vfs_write", v1::EVENT_TYPE_WRITE},
      {"vfs_writev", v1::EVENT_TYPE_WRITE},
      {"magic_write", v1::EVENT_TYPE_WRITE},
      {"vfs_read", v1::EVENT_TYPE_READ},
      {"vfs_readv", v1::EVENT_TYPE_READ},
      {"ptrace", v1::EVENT_TYPE_PTRACE},
  };
  for (const auto& entry : kEvents) {
    if (entry.name == name) return entry.type;
  }
  return EventTypeFromName(name);
}

class ArgReader {
 public:
  explicit ArgReader(const EventView& view) : view_(view) {}
  const core::Value* Find(absl::string_view name) const {
    auto it = view_.args.find(std::string(name));
    return it == view_.args.end() ? nullptr : it->second;
  }
  std::optional<std::string> Text(absl::string_view name) const {
    const core::Value* v = Find(name);
    if (v == nullptr || !v->is_string()) return std::nullopt;
    return v->string_value();
  }
  std::optional<int64_t> Int(absl::string_view name) const {
    const core::Value* v = Find(name);
    return v == nullptr ? std::nullopt : AsInt(*v);
  }
  // A flag argument printed as names ("O_WRONLY|O_CREAT") or as a number.
  template <typename Parse>
  auto Flags(absl::string_view name, Parse parse) const -> decltype(parse(absl::string_view())) {
    const core::Value* v = Find(name);
    if (v == nullptr) return std::nullopt;
    if (v->is_string()) return parse(v->string_value());
    if (std::optional<int64_t> number = AsInt(*v); number.has_value() && *number >= 0) {
      return static_cast<typename decltype(parse(absl::string_view()))::value_type>(*number);
    }
    return std::nullopt;
  }
  std::vector<std::string> Strings(absl::string_view name) const {
    std::vector<std::string> out;
    const core::Value* v = Find(name);
    if (v == nullptr || !v->is_list()) return out;
    for (const core::Value& item : v->list_value()) {
      if (item.is_string()) out.push_back(item.string_value());
    }
    return out;
  }
  // First of several names that is present.
  std::optional<std::string> FirstText(std::initializer_list<absl::string_view> names) const {
    for (absl::string_view name : names) {
      if (auto text = Text(name); text.has_value() && !text->empty()) return text;
    }
    return std::nullopt;
  }

 private:
  const EventView& view_;
};

// A sockaddr argument {"sa_family": "AF_INET", "sin_addr": "1.2.3.4", "sin_port": "80"}.
bool ReadSockaddr(const core::Value* addr, std::string& ip, uint32_t& port, int& family,
                  std::string& unix_path) {
  if (addr == nullptr || !addr->is_map()) return false;
  const std::string name = StringAt(*addr, "sa_family").value_or("");
  family = SocketFamilyNumber(name).value_or(0);
  for (absl::string_view key : {"sin_addr", "sin6_addr"}) {
    if (auto text = StringAt(*addr, key)) ip = *text;
  }
  for (absl::string_view key : {"sin_port", "sin6_port"}) {
    if (auto number = IntAt(*addr, key)) port = static_cast<uint32_t>(*number);
  }
  unix_path = StringAt(*addr, "sun_path").value_or("");
  return true;
}

void SetSocketFd(const ArgReader& args, const char* addr_name, bool remote, v1::Event& event) {
  std::string ip, unix_path;
  uint32_t port = 0;
  int family = 0;
  if (!ReadSockaddr(args.Find(addr_name), ip, port, family, unix_path)) return;
  v1::FileDescriptor* fd = event.mutable_fd();
  fd->set_family(family);
  if (family == AF_UNIX) {
    fd->set_type(v1::FD_TYPE_UNIX);
    fd->set_name(unix_path);
    return;
  }
  fd->set_type(family == AF_INET6 ? v1::FD_TYPE_IPV6 : v1::FD_TYPE_IPV4);
  if (remote) {
    fd->set_server_ip(ip);
    fd->set_server_port(port);
    fd->set_connected(true);
  } else {
    fd->set_server_ip(ip);
    fd->set_server_port(port);
    fd->set_local_is_server(true);
  }
}

void MapArguments(const EventView& view, v1::Event& event) {
  const ArgReader args(view);
  if (auto fd = args.Int("fd")) event.mutable_fd()->set_num(*fd);
  if (auto fd = args.Int("sockfd")) event.mutable_fd()->set_num(*fd);
  switch (event.type()) {
    case v1::EVENT_TYPE_EXECVE:
    case v1::EVENT_TYPE_EXECVEAT: {
      v1::Exec* exec = event.mutable_exec();
      exec->set_filename(args.FirstText({"pathname", "filename", "cmdpath"}).value_or(""));
      std::vector<std::string> argv = args.Strings("argv");
      for (size_t i = 1; i < argv.size(); ++i) exec->add_args(argv[i]);
      for (std::string& env : args.Strings(args.Find("envp") != nullptr ? "envp" : "env")) {
        exec->add_env(std::move(env));
      }
      if (auto dirfd = args.Int("dirfd")) exec->set_dirfd(*dirfd);
      if (auto flags = args.Int("flags")) exec->set_flags(static_cast<uint32_t>(*flags));
      // The event's process is the new image once the call succeeded.
      if (event.result() >= 0 && !exec->filename().empty()) {
        v1::Process* p = event.mutable_process();
        if (view.name != "sched_process_exec" || p->exepath().empty()) {
          p->set_exepath(exec->filename());
        }
        p->set_exe(argv.empty() ? exec->filename() : argv[0]);
        p->set_name(CommFromPath(exec->filename()));
        *p->mutable_args() = exec->args();
        if (!exec->env().empty()) *p->mutable_env() = exec->env();
      }
      return;
    }
    case v1::EVENT_TYPE_CLONE:
    case v1::EVENT_TYPE_CLONE3:
    case v1::EVENT_TYPE_FORK:
    case v1::EVENT_TYPE_VFORK: {
      v1::Clone* clone = event.mutable_clone();
      if (auto flags = args.Flags("flags", ParseCloneFlags)) clone->set_flags(*flags);
      if (auto child = args.Int("child_pid")) clone->set_child_pid(*child);
      if (auto child = args.Int("child_tid")) clone->set_child_tid(*child);
      if (view.name == "sched_process_fork") {
        // Reported by the kernel for the parent: the parent's ids are the acting process.
        if (auto parent = args.Int("parent_pid")) event.mutable_process()->set_pid(*parent);
        event.set_result(clone->child_pid());
      }
      return;
    }
    case v1::EVENT_TYPE_PROCEXIT:
      if (auto code = args.Int("exit_code")) {
        event.mutable_exit()->set_status(static_cast<int32_t>(*code >> 8));
        event.mutable_exit()->set_signal(static_cast<int32_t>(*code & 0x7f));
      }
      return;
    case v1::EVENT_TYPE_SOCKET: {
      v1::Socket* socket = event.mutable_socket();
      for (absl::string_view key : {"domain", "family"}) {
        if (auto name = args.Text(key)) {
          socket->set_domain(SocketFamilyNumber(*name).value_or(0));
        } else if (auto number = args.Int(key)) {
          socket->set_domain(static_cast<int32_t>(*number));
        }
      }
      if (auto type = args.Text("type")) {
        // "SOCK_STREAM|SOCK_CLOEXEC": the base type names the socket.
        socket->set_type(SocketTypeNumber(type->substr(0, type->find('|'))).value_or(0));
      } else {
        socket->set_type(static_cast<int32_t>(args.Int("type").value_or(0)));
      }
      socket->set_protocol(static_cast<int32_t>(args.Int("protocol").value_or(0)));
      return;
    }
    case v1::EVENT_TYPE_CONNECT:
      SetSocketFd(args, args.Find("remote_addr") != nullptr ? "remote_addr" : "addr", true, event);
      return;
    case v1::EVENT_TYPE_BIND:
      SetSocketFd(args, args.Find("local_addr") != nullptr ? "local_addr" : "addr", false, event);
      return;
    case v1::EVENT_TYPE_ACCEPT:
    case v1::EVENT_TYPE_ACCEPT4:
      SetSocketFd(args, "remote_addr", true, event);
      return;
    case v1::EVENT_TYPE_LISTEN:
      if (auto backlog = args.Int("backlog")) {
        event.mutable_network()->set_backlog(static_cast<int32_t>(*backlog));
      }
      return;
    case v1::EVENT_TYPE_SETUID:
    case v1::EVENT_TYPE_SETGID:
    case v1::EVENT_TYPE_SETREUID:
    case v1::EVENT_TYPE_SETREGID:
    case v1::EVENT_TYPE_SETRESUID:
    case v1::EVENT_TYPE_SETRESGID: {
      v1::Credentials* creds = event.mutable_credentials();
      if (auto v = args.Int("uid")) creds->set_uid(*v);
      if (auto v = args.Int("ruid")) creds->set_uid(*v);
      if (auto v = args.Int("euid")) creds->set_euid(*v);
      if (auto v = args.Int("suid")) creds->set_suid(*v);
      if (auto v = args.Int("gid")) creds->set_gid(*v);
      if (auto v = args.Int("rgid")) creds->set_gid(*v);
      if (auto v = args.Int("egid")) creds->set_egid(*v);
      if (auto v = args.Int("sgid")) creds->set_sgid(*v);
      return;
    }
    case v1::EVENT_TYPE_PTRACE: {
      v1::Ptrace* ptrace = event.mutable_ptrace();
      if (auto request = args.Int("request")) ptrace->set_request(*request);
      if (auto pid = args.Int("pid")) ptrace->set_target_pid(*pid);
      return;
    }
    case v1::EVENT_TYPE_MOUNT: {
      v1::MountOp* mount = event.mutable_mount();
      mount->set_source(args.FirstText({"source", "dev_name"}).value_or(""));
      mount->set_target(args.FirstText({"target", "path"}).value_or(""));
      mount->set_fstype(args.FirstText({"filesystemtype", "type"}).value_or(""));
      if (auto flags = args.Int("mountflags")) mount->set_flags(static_cast<uint64_t>(*flags));
      if (auto flags = args.Int("flags")) mount->set_flags(static_cast<uint64_t>(*flags));
      return;
    }
    case v1::EVENT_TYPE_SETNS:
    case v1::EVENT_TYPE_UNSHARE: {
      v1::NamespaceOp* ns = event.mutable_namespace_op();
      if (auto fd = args.Int("fd")) ns->set_fd(*fd);
      if (auto flags = args.Flags("flags", ParseCloneFlags)) ns->set_flags(*flags);
      if (auto nstype = args.Flags("nstype", ParseCloneFlags)) ns->set_flags(*nstype);
      return;
    }
    case v1::EVENT_TYPE_MEMFD_CREATE:
      event.mutable_memfd_create()->set_name(args.Text("name").value_or(""));
      if (auto flags = args.Int("flags")) {
        event.mutable_memfd_create()->set_flags(static_cast<uint64_t>(*flags));
      }
      return;
    case v1::EVENT_TYPE_BPF:
      event.mutable_bpf()->set_cmd(args.Int("cmd").value_or(0));
      return;
    case v1::EVENT_TYPE_INIT_MODULE:
    case v1::EVENT_TYPE_FINIT_MODULE:
    case v1::EVENT_TYPE_DELETE_MODULE: {
      v1::ModuleOp* module = event.mutable_module();
      module->set_name(args.Text("name").value_or(""));
      module->set_path(args.FirstText({"pathname", "path"}).value_or(""));
      module->set_params(args.FirstText({"param_values", "uargs"}).value_or(""));
      return;
    }
    default:
      break;
  }
  // File events (and anything else naming a path or an fd).
  v1::FileOp file;
  if (auto path = args.FirstText({"pathname", "filename", "path", "oldpath", "target"})) {
    file.set_path(*path);
    event.mutable_fd()->set_name(*path);
    event.mutable_fd()->set_type(v1::FD_TYPE_FILE);
  }
  if (auto target = args.FirstText({"newpath", "linkpath"})) file.set_target_path(*target);
  if (auto flags = args.Flags("flags", ParseOpenFlags)) file.set_flags(*flags);
  if (auto mode = args.Flags("mode", ParseModeFlags)) file.set_mode(*mode);
  if (auto dirfd = args.Int("dirfd")) file.set_dirfd(*dirfd);
  if (auto fd = args.Int("fd")) file.set_fd(*fd);
  for (absl::string_view key : {"count", "len", "size"}) {
    if (auto bytes = args.Int(key); bytes.has_value() && *bytes >= 0) {
      file.set_bytes(static_cast<uint64_t>(*bytes));
    }
  }
  if (auto v = args.Int("owner")) file.set_uid(*v);
  if (auto v = args.Int("group")) file.set_gid(*v);
  if (event.type() == v1::EVENT_TYPE_IOCTL) {
    if (auto request = args.Int("request")) file.set_request(static_cast<uint64_t>(*request));
  }
  if (file.ByteSizeLong() > 0) *event.mutable_file() = std::move(file);
}

}  // namespace

absl::Status ImportTraceeRecord(const core::Value& record, std::vector<v1::Event>& out,
                                ImportStats* stats) {
  EventView view;
  if (record.Find("eventName") != nullptr) {
    ReadClassic(record, view);
  } else if (record.Find("workload") != nullptr || record.Find("data") != nullptr ||
             record.Find("name") != nullptr) {
    ReadV1beta1(record, view);
  } else {
    return RecordError(record, "not a Tracee event: no eventName (or v1beta1 name) field");
  }
  if (view.name.empty()) return RecordError(record, "Tracee event without a name");
  std::optional<v1::EventType> type =
      view.is_signature ? std::nullopt : TypeOfTraceeEvent(view.name);
  if (!type.has_value()) {
    NoteSkipped(stats, view.name);
    return absl::OkStatus();
  }
  v1::Event event;
  event.set_type(*type);
  event.set_timestamp_ns(view.timestamp_ns);
  event.set_result(view.result);
  v1::Process& process = *event.mutable_process();
  process = std::move(view.process);
  if (!view.container.id().empty()) {
    process.set_container_id(view.container.id());
    *event.mutable_container() = std::move(view.container);
  } else {
    process.set_container_id("host");
  }
  MapArguments(view, event);
  event.set_pid(process.pid());
  event.set_tid(process.tid());
  out.push_back(std::move(event));
  return absl::OkStatus();
}

}  // namespace bulwark::runtime::internal
