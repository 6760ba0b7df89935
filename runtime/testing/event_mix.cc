#include "bulwark/runtime/testing/event_mix.h"

#include <fcntl.h>

#include <random>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bulwark::runtime::testing {
namespace {

constexpr const char* kContainerCgroup =
    "0::/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod1.slice/"
    "cri-containerd-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope";

struct Program {
  const char* name;
  const char* exe;
};
constexpr Program kPrograms[] = {{"nginx", "/usr/sbin/nginx"},
                                 {"python3", "/usr/bin/python3"},
                                 {"java", "/usr/bin/java"},
                                 {"node", "/usr/local/bin/node"},
                                 {"sh", "/bin/sh"},
                                 {"postgres", "/usr/lib/postgresql/bin/postgres"},
                                 {"systemd", "/lib/systemd/systemd"},
                                 {"sshd", "/usr/sbin/sshd"}};

// A file path as a busy node opens them: a few hot files (shared libraries, resolver and account
// files, /dev/null) and many distinct ones (per-process /proc entries, data files, uploads,
// static assets, caches).
std::string FilePath(std::mt19937_64& random, int64_t pid) {
  const uint64_t n = random() % 5000;
  switch (random() % 16) {
    case 0:
      return "/usr/lib/x86_64-linux-gnu/libc.so.6";
    case 1:
      return absl::StrCat("/usr/lib/x86_64-linux-gnu/lib", n % 60, ".so.", n % 3);
    case 2:
      return "/etc/ld.so.cache";
    case 3:
      return absl::StrCat("/proc/", pid, n % 2 ? "/status" : "/stat");
    case 4:
      return absl::StrCat("/var/log/nginx/access.log.", n % 8);
    case 5:
      return absl::StrCat("/tmp/upload-", n, ".bin");
    case 6:
      return absl::StrCat("/app/static/", n % 900, ".js");
    case 7:
      return "/etc/hosts";
    case 8:
      return "/etc/resolv.conf";
    case 9:
      return absl::StrCat("/var/lib/postgresql/data/base/1/", 1200 + n);
    case 10:
      return absl::StrCat("/usr/share/zoneinfo/Etc/GMT+", n % 12);
    case 11:
      return "/dev/null";
    case 12:
      return "/etc/passwd";
    case 13:
      return absl::StrCat("/usr/lib/python3.11/", n % 400, "/__init__.py");
    case 14:
      return absl::StrCat("/home/app/.cache/pip/", n);
    default:
      return absl::StrCat("/etc/ssl/certs/", n % 140, ".pem");
  }
}

}  // namespace

std::vector<v1::Event> GenerateEventMix(const EventMixOptions& options) {
  std::mt19937_64 random(options.seed);
  std::vector<v1::Event> events;
  events.reserve(options.events);
  const int first_pid = 100;
  const size_t program_count = std::size(kPrograms);
  for (int pid = first_pid; pid < first_pid + options.processes; ++pid) {
    v1::Event e;
    e.set_pid(pid);
    v1::Process* p = e.mutable_process();
    p->set_pid(pid);
    p->set_ppid(pid > first_pid ? first_pid + (pid - first_pid) / 4 : 1);
    const Program& program = kPrograms[pid % program_count];
    p->set_name(program.name);
    p->set_exe(program.exe);
    p->set_exepath(program.exe);
    p->add_args("--serve");
    p->set_uid(pid % 3 == 0 ? 0 : 1000);
    p->set_loginuid(-1);
    if (pid % 2 == 0) p->add_cgroups(kContainerCgroup);
    events.push_back(e);
  }
  int64_t next_pid = 10'000;
  while (events.size() < options.events) {
    const int64_t pid = first_pid + static_cast<int64_t>(random() % options.processes);
    const int kind = static_cast<int>(random() % 100);
    const uint64_t now = 1'700'000'000'000'000'000ull + events.size() * 1000;
    if (kind < 10) {  // clone + execve + exit of a short-lived child
      v1::Event clone;
      clone.set_type(v1::EVENT_TYPE_CLONE);
      clone.set_pid(pid);
      clone.set_result(next_pid);
      clone.set_timestamp_ns(now);
      events.push_back(clone);
      v1::Event exec;
      exec.set_type(v1::EVENT_TYPE_EXECVE);
      exec.set_pid(next_pid);
      exec.set_timestamp_ns(now + 1);
      const Program& program = kPrograms[random() % program_count];
      exec.mutable_exec()->set_filename(program.exe);
      exec.mutable_exec()->add_args("-c");
      exec.mutable_exec()->add_args(absl::StrCat("job-", random() % 1000));
      events.push_back(exec);
      v1::Event exit;
      exit.set_type(v1::EVENT_TYPE_PROCEXIT);
      exit.set_pid(next_pid);
      exit.set_timestamp_ns(now + 2);
      events.push_back(exit);
      ++next_pid;
    } else if (kind < 65) {
      const std::string path = FilePath(random, pid);
      v1::Event open;
      open.set_type(v1::EVENT_TYPE_OPENAT);
      open.set_pid(pid);
      open.set_timestamp_ns(now);
      open.set_result(5);
      open.mutable_file()->set_path(path);
      open.mutable_file()->set_flags(random() % 4 == 0 ? (O_WRONLY | O_CREAT | O_TRUNC) : O_RDONLY);
      open.mutable_fd()->set_num(5);
      open.mutable_fd()->set_type(v1::FD_TYPE_FILE);
      open.mutable_fd()->set_name(path);
      events.push_back(open);
    } else if (kind < 80) {
      v1::Event connect;
      connect.set_type(v1::EVENT_TYPE_CONNECT);
      connect.set_pid(pid);
      connect.set_timestamp_ns(now);
      v1::FileDescriptor* fd = connect.mutable_fd();
      fd->set_num(6);
      fd->set_type(v1::FD_TYPE_IPV4);
      fd->set_l4proto("tcp");
      fd->set_client_ip("10.0.0.5");
      fd->set_client_port(40000 + random() % 20000);
      fd->set_server_ip(random() % 2 ? absl::StrCat("10.0.1.", 1 + random() % 250)
                                     : absl::StrCat("93.184.216.", 1 + random() % 250));
      fd->set_server_port(random() % 2 ? 5432 : 443);
      fd->set_connected(true);
      events.push_back(connect);
    } else {
      v1::Event io;
      io.set_type(kind < 90 ? v1::EVENT_TYPE_READ : v1::EVENT_TYPE_CLOSE);
      io.set_pid(pid);
      io.set_timestamp_ns(now);
      io.mutable_fd()->set_num(5);
      io.mutable_fd()->set_type(v1::FD_TYPE_FILE);
      io.mutable_fd()->set_name(FilePath(random, pid));
      events.push_back(io);
    }
  }
  return events;
}

}  // namespace bulwark::runtime::testing
