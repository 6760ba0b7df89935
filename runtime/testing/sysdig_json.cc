#include "bulwark/runtime/testing/sysdig_json.h"

#include <optional>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/runtime/event_types.h"

namespace bulwark::runtime::testing {
namespace {

std::optional<std::string> Text(const core::Value& row, const char* key) {
  const core::Value* v = row.Find(key);
  if (v == nullptr || !v->is_string() || v->string_value() == "<NA>") return std::nullopt;
  return v->string_value();
}

std::optional<int64_t> Number(const core::Value& row, const char* key) {
  const core::Value* v = row.Find(key);
  if (v == nullptr) return std::nullopt;
  if (v->is_int()) return v->int_value();
  if (v->is_uint()) return static_cast<int64_t>(v->uint_value());
  return std::nullopt;
}

v1::FdType FdTypeFromName(const std::string& name) {
  if (name == "file") return v1::FD_TYPE_FILE;
  if (name == "directory") return v1::FD_TYPE_DIRECTORY;
  if (name == "ipv4") return v1::FD_TYPE_IPV4;
  if (name == "ipv6") return v1::FD_TYPE_IPV6;
  if (name == "unix") return v1::FD_TYPE_UNIX;
  if (name == "pipe") return v1::FD_TYPE_PIPE;
  return v1::FD_TYPE_UNSPECIFIED;
}

// "127.0.0.1:43138->127.0.0.1:80" into the fd's addresses.
void SetTuple(const std::string& name, v1::FileDescriptor& fd) {
  std::vector<std::string> sides = absl::StrSplit(name, "->");
  if (sides.size() != 2) return;
  auto split = [](const std::string& side, std::string& ip, uint32_t& port) {
    size_t colon = side.rfind(':');
    if (colon == std::string::npos) return;
    ip = side.substr(0, colon);
    port = static_cast<uint32_t>(std::stoul(side.substr(colon + 1)));
  };
  std::string ip;
  uint32_t port = 0;
  split(sides[0], ip, port);
  fd.set_client_ip(ip);
  fd.set_client_port(port);
  split(sides[1], ip, port);
  fd.set_server_ip(ip);
  fd.set_server_port(port);
  fd.set_connected(true);
}

}  // namespace

absl::StatusOr<std::vector<v1::Event>> ReadSysdigJsonLines(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, 64 << 20));
  std::vector<v1::Event> events;
  absl::flat_hash_set<int64_t> announced_parents;
  for (absl::string_view line : absl::StrSplit(text, '\n', absl::SkipEmpty())) {
    BULWARK_ASSIGN_OR_RETURN(core::Value row, core::ParseJson(line));
    v1::Event event;
    std::optional<std::string> type = Text(row, "evt.type");
    if (!type.has_value()) continue;
    std::optional<v1::EventType> event_type = EventTypeFromName(*type);
    event.set_type(event_type.value_or(v1::EVENT_TYPE_UNSPECIFIED));
    event.set_enter(Text(row, "evt.dir") == ">");
    event.set_num(Number(row, "evt.num").value_or(0));
    event.set_timestamp_ns(Number(row, "evt.rawtime").value_or(0));
    event.set_result(Number(row, "evt.rawres").value_or(0));
    const int64_t pid = Number(row, "proc.pid").value_or(0);
    event.set_pid(pid);
    event.set_tid(pid);
    v1::Process* process = event.mutable_process();
    process->set_pid(pid);
    process->set_ppid(Number(row, "proc.ppid").value_or(0));
    if (std::optional<std::string> name = Text(row, "proc.name")) process->set_name(*name);
    if (std::optional<std::string> exe = Text(row, "proc.exe")) process->set_exe(*exe);
    if (std::optional<std::string> cmdline = Text(row, "proc.cmdline")) {
      std::vector<std::string> words = absl::StrSplit(*cmdline, ' ');
      for (size_t i = 1; i < words.size(); ++i) process->add_args(words[i]);
    }
    process->set_uid(Number(row, "user.uid").value_or(0));
    process->set_loginuid(-1);
    if (std::optional<std::string> container = Text(row, "container.id")) {
      process->set_container_id(*container);
    }
    if (process->name().empty()) event.clear_process();
    std::optional<std::string> parent = Text(row, "proc.pname");
    if (parent.has_value() && process->ppid() > 0 &&
        announced_parents.insert(process->ppid()).second) {
      v1::Event announce;
      announce.set_pid(process->ppid());
      announce.mutable_process()->set_pid(process->ppid());
      announce.mutable_process()->set_name(*parent);
      events.push_back(std::move(announce));
    }
    std::optional<int64_t> fd_num = Number(row, "fd.num");
    std::optional<std::string> fd_name = Text(row, "fd.name");
    std::optional<std::string> fd_type = Text(row, "fd.type");
    if ((fd_num.has_value() && *fd_num >= 0) || fd_name.has_value()) {
      v1::FileDescriptor* fd = event.mutable_fd();
      fd->set_num(fd_num.value_or(-1));
      if (fd_type.has_value()) fd->set_type(FdTypeFromName(*fd_type));
      if (fd_name.has_value()) {
        if (fd->type() == v1::FD_TYPE_IPV4 || fd->type() == v1::FD_TYPE_IPV6) {
          SetTuple(*fd_name, *fd);
        } else {
          fd->set_name(*fd_name);
        }
      }
      if (std::optional<std::string> l4 = Text(row, "fd.l4proto")) fd->set_l4proto(*l4);
      if (fd_name.has_value()) event.mutable_file()->set_path(*fd_name);
    }
    events.push_back(std::move(event));
  }
  return events;
}

}  // namespace bulwark::runtime::testing
