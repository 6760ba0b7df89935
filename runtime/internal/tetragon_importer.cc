// Tetragon export records (tetragon.GetEventsResponse in protobuf JSON, original field names):
// one key naming the event kind (process_exec, process_exit, process_kprobe, process_tracepoint,
// and the older process_connect / process_close / process_listen), plus node_name and time.
#include <arpa/inet.h>
#include <sys/socket.h>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/event_types.h"
#include "bulwark/runtime/internal/import_fields.h"
#include "bulwark/runtime/internal/linux_names.h"
#include "bulwark/runtime/namespaces.h"

namespace bulwark::runtime::internal {
namespace {

uint64_t CapabilityMask(const core::Value* list) {
  uint64_t mask = 0;
  if (list == nullptr) return mask;
  for (const core::Value& name : list->list_value()) {
    if (!name.is_string()) continue;
    if (std::optional<int> bit = CapabilityNumber(name.string_value())) mask |= uint64_t{1} << *bit;
  }
  return mask;
}

// tetragon.Process -> v1::Process, and its pod/container -> v1::Container.
void ConvertProcess(const core::Value& p, v1::Process& out, v1::Container* container) {
  if (auto pid = IntAt(p, "pid")) out.set_pid(*pid);
  out.set_tid(IntAt(p, "tid").value_or(out.pid()));
  if (auto uid = IntAt(p, "uid")) {
    out.set_uid(*uid);
    out.set_euid(*uid);
  }
  if (auto auid = IntAt(p, "auid")) out.set_loginuid(*auid);
  if (auto cwd = StringAt(p, "cwd")) out.set_cwd(*cwd);
  if (auto binary = StringAt(p, "binary")) {
    out.set_exepath(*binary);
    out.set_exe(*binary);
    out.set_name(CommFromPath(*binary));
  }
  if (auto arguments = StringAt(p, "arguments")) {
    for (std::string& arg : SplitArguments(*arguments)) out.add_args(std::move(arg));
  }
  if (auto start = StringAt(p, "start_time")) {
    out.set_start_time_ns(ParseRfc3339Nanos(*start).value_or(0));
  }
  if (const core::Value* creds = MapAt(p, "process_credentials")) {
    if (auto v = IntAt(*creds, "uid")) out.set_uid(*v);
    if (auto v = IntAt(*creds, "gid")) out.set_gid(*v);
    if (auto v = IntAt(*creds, "euid")) out.set_euid(*v);
    if (auto v = IntAt(*creds, "egid")) out.set_egid(*v);
  }
  if (const core::Value* user = MapAt(p, "user")) {
    if (auto name = StringAt(*user, "name")) out.set_user_name(*name);
  }
  // ns: {"mnt": {"inum": 4026531840, "is_host": true}, ...}; *_for_children kinds are skipped.
  if (const core::Value* ns = MapAt(p, "ns")) {
    for (const core::MapEntry& entry : ns->map_value()) {
      if (!entry.value.is_map()) continue;
      const std::optional<int64_t> inum = IntAt(entry.value, "inum");
      if (!inum.has_value() ||
          !SetNamespaceId(*out.mutable_namespaces(), entry.key, static_cast<uint64_t>(*inum))) {
        continue;
      }
      const core::Value* is_host = entry.value.Find("is_host");
      if (is_host != nullptr && is_host->is_bool() && is_host->bool_value()) {
        out.mutable_namespaces()->add_host_kinds(entry.key);
      }
    }
  }
  if (const core::Value* cap = MapAt(p, "cap")) {
    out.set_cap_permitted(CapabilityMask(ListAt(*cap, "permitted")));
    out.set_cap_effective(CapabilityMask(ListAt(*cap, "effective")));
    out.set_cap_inheritable(CapabilityMask(ListAt(*cap, "inheritable")));
  }
  v1::Container found;
  if (const core::Value* pod = MapAt(p, "pod")) {
    if (auto name = StringAt(*pod, "name")) found.set_k8s_pod_name(*name);
    if (auto ns = StringAt(*pod, "namespace")) found.set_k8s_namespace(*ns);
    if (const core::Value* labels = MapAt(*pod, "pod_labels")) {
      for (const core::MapEntry& label : labels->map_value()) {
        if (label.value.is_string()) {
          (*found.mutable_k8s_pod_labels())[label.key] = label.value.string_value();
        }
      }
    }
    if (const core::Value* c = MapAt(*pod, "container")) {
      if (auto id = StringAt(*c, "id")) SetContainerId(*id, found);
      if (auto name = StringAt(*c, "name")) found.set_name(*name);
      if (const core::Value* image = MapAt(*c, "image")) {
        SetContainerImage(StringAt(*image, "name").value_or(""),
                          StringAt(*image, "id").value_or(""), found);
      }
      if (auto start = StringAt(*c, "start_time")) {
        found.set_start_time_ns(ParseRfc3339Nanos(*start).value_or(0));
      }
      // Tetragon's container.pid is the process's pid inside the container's pid namespace.
      if (auto vpid = IntAt(*c, "pid")) out.set_vpid(*vpid);
    }
  }
  // "docker" holds the (shortened) container id even without Kubernetes metadata.
  if (found.id().empty()) {
    if (auto docker = StringAt(p, "docker"); docker.has_value() && !docker->empty()) {
      SetContainerId(*docker, found);
      found.clear_full_id();
    }
  }
  out.set_container_id(found.id().empty() ? "host" : found.id());
  if (container != nullptr && !found.id().empty()) *container = std::move(found);
}

void SetFdTuple(absl::string_view protocol, absl::string_view source_ip, int64_t source_port,
                absl::string_view destination_ip, int64_t destination_port,
                v1::FileDescriptor& fd) {
  const bool v6 = absl::StrContains(source_ip, ':') || absl::StrContains(destination_ip, ':');
  fd.set_type(v6 ? v1::FD_TYPE_IPV6 : v1::FD_TYPE_IPV4);
  fd.set_family(v6 ? AF_INET6 : AF_INET);
  fd.set_l4proto(absl::AsciiStrToLower(protocol));
  fd.set_client_ip(std::string(source_ip));
  fd.set_client_port(static_cast<uint32_t>(source_port));
  fd.set_server_ip(std::string(destination_ip));
  fd.set_server_port(static_cast<uint32_t>(destination_port));
  fd.set_connected(true);
}

// process_connect / process_close: a socket's tuple.
void ConvertConnection(const core::Value& body, v1::Event& event) {
  SetFdTuple(StringAt(body, "protocol").value_or(""), StringAt(body, "source_ip").value_or(""),
             IntAt(body, "source_port").value_or(0), StringAt(body, "destination_ip").value_or(""),
             IntAt(body, "destination_port").value_or(0), *event.mutable_fd());
}

// The syscall a kprobe or tracepoint reports: "__x64_sys_write" -> write, "sys_enter_openat" ->
// openat, and the kernel functions Tetragon's examples hook whose meaning is a syscall.
std::optional<v1::EventType> SyscallOfFunction(absl::string_view function) {
  static constexpr struct {
    absl::string_view function;
    v1::EventType type;
  } kKernelFunctions[] = {
      {"fd_install", v1::EVENT_TYPE_OPENAT},
      {"security_file_open", v1::EVENT_TYPE_OPENAT},
      {"tcp_connect", v1::EVENT_TYPE_CONNECT},
      {"tcp_close", v1::EVENT_TYPE_CLOSE},
      {"inet_csk_listen_start", v1::EVENT_TYPE_LISTEN},
      {"commit_creds", v1::EVENT_TYPE_CAPSET},
      {"security_bprm_check", v1::EVENT_TYPE_EXECVE},
      {"do_init_module", v1::EVENT_TYPE_INIT_MODULE},
      {"security_kernel_module_request", v1::EVENT_TYPE_INIT_MODULE},
  };
  for (const auto& entry : kKernelFunctions) {
    if (entry.function == function) return entry.type;
  }
  for (absl::string_view prefix : {"__x64_sys_", "__arm64_sys_", "__ia32_sys_", "__se_sys_",
                                   "ksys_", "sys_enter_", "sys_exit_", "sys_"}) {
    if (absl::ConsumePrefix(&function, prefix)) break;
  }
  return EventTypeFromName(function);
}

// Kprobe/tracepoint arguments, mapped by kind: the first path is the file, sizes are byte
// counts, byte buffers are captured data, a sock_arg is the connection, and integers fill the
// syscall's numeric arguments in order (fd, flags, mode, uid ...).
void ConvertKprobeArgs(const core::Value* args, v1::Event& event) {
  if (args == nullptr) return;
  std::vector<int64_t> ints;
  std::string path;
  v1::FileOp file;
  for (const core::Value& arg : args->list_value()) {
    if (!arg.is_map()) continue;
    for (absl::string_view key : {"file_arg", "path_arg"}) {
      if (const core::Value* f = MapAt(arg, key); f != nullptr && path.empty()) {
        std::string printed = StringAt(*f, "path").value_or("");
        // Some Tetragon versions print d_path results without the leading slash. (Built as a
        // new string: GCC 12 -O2 reports a false -Wrestrict on std::string::insert at 0.)
        path =
            printed.empty() || printed[0] == '/' ? std::move(printed) : absl::StrCat("/", printed);
        if (auto flags = StringAt(*f, "flags")) file.set_flags(ParseOpenFlags(*flags).value_or(0));
      }
    }
    if (auto text = StringAt(arg, "string_arg"); text.has_value() && path.empty()) path = *text;
    if (auto size = IntAt(arg, "size_arg")) file.set_bytes(static_cast<uint64_t>(*size));
    if (auto bytes = StringAt(arg, "bytes_arg")) {
      std::string decoded;
      if (absl::Base64Unescape(*bytes, &decoded)) file.set_buffer(std::move(decoded));
    }
    if (const core::Value* truncated = MapAt(arg, "truncated_bytes_arg")) {
      if (auto size = IntAt(*truncated, "orig_size")) file.set_bytes(static_cast<uint64_t>(*size));
    }
    if (auto number = IntAt(arg, "int_arg")) ints.push_back(*number);
    if (auto number = IntAt(arg, "uint_arg")) ints.push_back(*number);
    if (auto number = IntAt(arg, "long_arg")) ints.push_back(*number);
    if (const core::Value* sock = MapAt(arg, "sock_arg")) {
      SetFdTuple(StringAt(*sock, "protocol").value_or(""), StringAt(*sock, "saddr").value_or(""),
                 IntAt(*sock, "sport").value_or(0), StringAt(*sock, "daddr").value_or(""),
                 IntAt(*sock, "dport").value_or(0), *event.mutable_fd());
    }
  }
  auto int_at = [&ints](size_t i) { return i < ints.size() ? ints[i] : int64_t{0}; };
  switch (event.type()) {
    case v1::EVENT_TYPE_SETUID:
      event.mutable_credentials()->set_uid(int_at(0));
      return;
    case v1::EVENT_TYPE_SETGID:
      event.mutable_credentials()->set_gid(int_at(0));
      return;
    case v1::EVENT_TYPE_CONNECT:
    case v1::EVENT_TYPE_CLOSE:
    case v1::EVENT_TYPE_LISTEN:
      return;
    default:
      break;
  }
  if (!path.empty()) {
    file.set_path(path);
    event.mutable_fd()->set_name(path);
    event.mutable_fd()->set_type(v1::FD_TYPE_FILE);
  }
  if (event.type() == v1::EVENT_TYPE_OPENAT && !ints.empty() && file.flags() == 0) {
    // sys_openat(dirfd, path, flags, mode): the integers are dirfd, flags, mode.
    file.set_dirfd(int_at(0));
    file.set_flags(static_cast<uint32_t>(int_at(1)));
    file.set_mode(static_cast<uint32_t>(int_at(2)));
  } else if (!ints.empty() && path.empty()) {
    file.set_fd(int_at(0));
    event.mutable_fd()->set_num(int_at(0));
  }
  if (file.ByteSizeLong() > 0) *event.mutable_file() = std::move(file);
}

}  // namespace

absl::Status ImportTetragonRecord(const core::Value& record, std::vector<v1::Event>& out,
                                  ImportStats* stats) {
  static constexpr absl::string_view kKinds[] = {
      "process_exec",   "process_exit",   "process_kprobe",   "process_tracepoint",
      "process_uprobe", "process_loader", "process_lsm",      "process_connect",
      "process_close",  "process_listen", "process_throttle", "rate_limit_info",
      "test",           "process_usdt"};
  const core::Value* body = nullptr;
  absl::string_view kind;
  for (absl::string_view candidate : kKinds) {
    if ((body = MapAt(record, candidate)) != nullptr) {
      kind = candidate;
      break;
    }
  }
  if (body == nullptr) {
    return RecordError(record,
                       "not a Tetragon event: no process_exec, process_exit, "
                       "process_kprobe, ... object");
  }
  v1::Event event;
  if (auto time = StringAt(record, "time")) {
    event.set_timestamp_ns(ParseRfc3339Nanos(*time).value_or(0));
  }
  if (kind == "process_exec") {
    event.set_type(v1::EVENT_TYPE_EXECVE);
  } else if (kind == "process_exit") {
    event.set_type(v1::EVENT_TYPE_PROCEXIT);
    v1::Exit* exit = event.mutable_exit();
    exit->set_status(static_cast<int32_t>(IntAt(*body, "status").value_or(0)));
    if (auto signal = StringAt(*body, "signal"); signal.has_value() && !signal->empty()) {
      exit->set_signal(SignalNumber(*signal).value_or(0));
    }
    if (auto time = StringAt(*body, "time")) {
      event.set_timestamp_ns(ParseRfc3339Nanos(*time).value_or(event.timestamp_ns()));
    }
  } else if (kind == "process_connect" || kind == "process_close") {
    event.set_type(kind == "process_connect" ? v1::EVENT_TYPE_CONNECT : v1::EVENT_TYPE_CLOSE);
    ConvertConnection(*body, event);
    if (const core::Value* stats_value = MapAt(*body, "stats")) {
      const int64_t bytes = IntAt(*stats_value, "bytes_sent").value_or(0) +
                            IntAt(*stats_value, "bytes_received").value_or(0);
      if (bytes > 0) event.mutable_network()->set_bytes(static_cast<uint64_t>(bytes));
    }
  } else if (kind == "process_listen") {
    event.set_type(v1::EVENT_TYPE_LISTEN);
    v1::FileDescriptor* fd = event.mutable_fd();
    const std::string ip = StringAt(*body, "ip").value_or("");
    const bool v6 = absl::StrContains(ip, ':');
    fd->set_type(v6 ? v1::FD_TYPE_IPV6 : v1::FD_TYPE_IPV4);
    fd->set_family(v6 ? AF_INET6 : AF_INET);
    fd->set_l4proto(absl::AsciiStrToLower(StringAt(*body, "protocol").value_or("")));
    fd->set_server_ip(ip);
    fd->set_server_port(static_cast<uint32_t>(IntAt(*body, "port").value_or(0)));
    fd->set_local_is_server(true);
  } else if (kind == "process_kprobe" || kind == "process_tracepoint" || kind == "process_lsm") {
    const std::string function = kind == "process_tracepoint"
                                     ? StringAt(*body, "event").value_or("")
                                     : StringAt(*body, "function_name").value_or("");
    std::optional<v1::EventType> type = SyscallOfFunction(function);
    if (!type.has_value()) {
      NoteSkipped(stats, absl::StrCat(kind, ":", function));
      return absl::OkStatus();
    }
    event.set_type(*type);
    ConvertKprobeArgs(ListAt(*body, "args"), event);
    if (const core::Value* ret = MapAt(*body, "return")) {
      if (auto result = IntAt(*ret, "int_arg")) event.set_result(*result);
    }
  } else {
    NoteSkipped(stats, kind);
    return absl::OkStatus();
  }

  const core::Value* process = MapAt(*body, "process");
  if (process == nullptr) return RecordError(*body, absl::StrCat(kind, " has no process"));
  v1::Container container;
  ConvertProcess(*process, *event.mutable_process(), &container);
  if (!container.id().empty()) *event.mutable_container() = std::move(container);
  if (const core::Value* parent = MapAt(*body, "parent")) {
    ConvertProcess(*parent, *event.mutable_parent(), nullptr);
    event.mutable_process()->set_ppid(event.parent().pid());
  }
  event.set_pid(event.process().pid());
  event.set_tid(event.process().tid());
  if (event.type() == v1::EVENT_TYPE_EXECVE) {
    v1::Exec* exec = event.mutable_exec();
    exec->set_filename(event.process().exepath());
    *exec->mutable_args() = event.process().args();
    exec->set_cwd(event.process().cwd());
  }
  out.push_back(std::move(event));
  return absl::OkStatus();
}

}  // namespace bulwark::runtime::internal
