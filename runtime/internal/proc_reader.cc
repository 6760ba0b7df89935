#include "bulwark/runtime/internal/proc_reader.h"

#include <dirent.h>
#include <fcntl.h>
#include <time.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/runtime/namespaces.h"

namespace bulwark::runtime::internal {
namespace {

constexpr uint64_t kMaxProcFileBytes = 1 << 20;

// /proc files are small and read thousands of times a second: one open, 4 KiB reads, no
// 1 MiB buffer per call as core::ReadFileToString uses. Empty when the file is gone.
std::string ReadSmall(const std::string& path) {
  std::string text;
  const int fd = open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return text;
  char buffer[4096];
  while (text.size() < kMaxProcFileBytes) {
    const ssize_t n = read(fd, buffer, sizeof(buffer));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) break;
    text.append(buffer, static_cast<size_t>(n));
  }
  close(fd);
  return text;
}

// The target of link `path` in `buffer`; empty when unreadable.
absl::string_view ReadLinkInto(const std::string& path, char (&buffer)[4096]) {
  const ssize_t n = readlink(path.c_str(), buffer, sizeof(buffer));
  return n > 0 ? absl::string_view(buffer, static_cast<size_t>(n)) : absl::string_view();
}

std::string ReadLink(const std::string& path) {
  char buffer[4096];
  return std::string(ReadLinkInto(path, buffer));
}

// The whitespace-separated numbers after "Key:" in /proc/<pid>/status.
std::vector<absl::string_view> StatusValues(absl::string_view status, absl::string_view key) {
  for (absl::string_view line : absl::StrSplit(status, '\n')) {
    if (absl::ConsumePrefix(&line, key) && absl::ConsumePrefix(&line, ":")) {
      return absl::StrSplit(line, absl::ByAnyChar(" \t"), absl::SkipEmpty());
    }
  }
  return {};
}

int64_t ParseInt(absl::string_view text, int64_t fallback = 0) {
  int64_t value = fallback;
  return absl::SimpleAtoi(text, &value) ? value : fallback;
}

uint64_t ParseHex(absl::string_view text) {
  uint64_t value = 0;
  return absl::SimpleHexAtoi(text, &value) ? value : 0;
}

uint64_t BootTimeEpochNanos() {
  static const uint64_t boot = [] {
    timespec realtime{}, boottime{};
    clock_gettime(CLOCK_REALTIME, &realtime);
    clock_gettime(CLOCK_BOOTTIME, &boottime);
    const int64_t ns = (realtime.tv_sec - boottime.tv_sec) * 1'000'000'000LL +
                       (realtime.tv_nsec - boottime.tv_nsec);
    return static_cast<uint64_t>(ns);
  }();
  return boot;
}

// The fields of /proc/<pid>/stat after "pid (comm)": fields[0] is state (field 3), so field N
// of proc(5) is fields[N - 3]. Views into `stat`.
std::vector<absl::string_view> StatFields(const std::string& stat) {
  const size_t close_paren = stat.rfind(')');
  if (close_paren == std::string::npos) return {};
  return absl::StrSplit(absl::string_view(stat).substr(close_paren + 1), ' ', absl::SkipEmpty());
}

// Epoch nanoseconds of stat's starttime (field 22, clock ticks since boot).
uint64_t StartTimeNanos(absl::string_view ticks_text) {
  const uint64_t ticks = static_cast<uint64_t>(ParseInt(ticks_text));
  const long hz = sysconf(_SC_CLK_TCK);
  return hz > 0 ? BootTimeEpochNanos() + ticks * (1'000'000'000ULL / hz) : 0;
}

}  // namespace

uint64_t MonotonicToEpochNanos(uint64_t monotonic_ns) {
  timespec realtime{}, monotonic{};
  clock_gettime(CLOCK_REALTIME, &realtime);
  clock_gettime(CLOCK_MONOTONIC, &monotonic);
  const int64_t offset = (realtime.tv_sec - monotonic.tv_sec) * 1'000'000'000LL +
                         (realtime.tv_nsec - monotonic.tv_nsec);
  return static_cast<uint64_t>(offset + static_cast<int64_t>(monotonic_ns));
}

absl::StatusOr<v1::Process> ReadProcProcess(int64_t pid, const std::string& proc_root) {
  const std::string dir = absl::StrCat(proc_root, "/", pid);
  const std::string status = ReadSmall(dir + "/status");
  if (status.empty()) return absl::NotFoundError(absl::StrCat(dir, ": process is gone"));
  char link_buffer[4096];
  v1::Process p;
  p.set_pid(pid);
  p.set_tid(pid);
  p.set_name(std::string(absl::StripTrailingAsciiWhitespace(ReadSmall(dir + "/comm"))));
  p.set_exepath(ReadLink(dir + "/exe"));
  p.set_cwd(ReadLink(dir + "/cwd"));
  const std::string cmdline = ReadSmall(dir + "/cmdline");
  std::vector<absl::string_view> argv = absl::StrSplit(cmdline, '\0');
  if (!argv.empty() && argv.back().empty()) argv.pop_back();
  if (!argv.empty()) p.set_exe(std::string(argv[0]));
  for (size_t i = 1; i < argv.size(); ++i) p.add_args(std::string(argv[i]));
  if (p.exe().empty()) p.set_exe(p.exepath());
  if (auto v = StatusValues(status, "PPid"); !v.empty()) p.set_ppid(ParseInt(v[0]));
  if (auto v = StatusValues(status, "Uid"); v.size() >= 2) {
    p.set_uid(ParseInt(v[0]));
    p.set_euid(ParseInt(v[1]));
  }
  if (auto v = StatusValues(status, "Gid"); v.size() >= 2) {
    p.set_gid(ParseInt(v[0]));
    p.set_egid(ParseInt(v[1]));
  }
  if (auto v = StatusValues(status, "CapInh"); !v.empty()) p.set_cap_inheritable(ParseHex(v[0]));
  if (auto v = StatusValues(status, "CapPrm"); !v.empty()) p.set_cap_permitted(ParseHex(v[0]));
  if (auto v = StatusValues(status, "CapEff"); !v.empty()) p.set_cap_effective(ParseHex(v[0]));
  // NStgid lists the pid in each nested pid namespace, innermost last.
  if (auto v = StatusValues(status, "NStgid"); !v.empty()) p.set_vpid(ParseInt(v.back()));
  if (auto v = StatusValues(status, "NSpid"); !v.empty()) p.set_vtid(ParseInt(v.back()));
  const std::string loginuid = ReadSmall(dir + "/loginuid");
  p.set_loginuid(loginuid.empty() ? -1 : ParseInt(absl::StripAsciiWhitespace(loginuid), -1));
  const std::vector<absl::string_view> stat_fields = StatFields(ReadSmall(dir + "/stat"));
  if (stat_fields.size() > 19) {
    p.set_vpgid(ParseInt(stat_fields[2]));
    p.set_sid(ParseInt(stat_fields[3]));
    p.set_tty(static_cast<uint32_t>(ParseInt(stat_fields[4])));
    p.set_start_time_ns(StartTimeNanos(stat_fields[19]));
  }
  for (absl::string_view line :
       absl::StrSplit(ReadSmall(dir + "/cgroup"), '\n', absl::SkipEmpty())) {
    p.add_cgroups(std::string(line));
  }
  // ns/<kind> links read "<kind>:[<inode>]".
  for (absl::string_view kind : NamespaceKinds()) {
    absl::string_view link = ReadLinkInto(absl::StrCat(dir, "/ns/", kind), link_buffer);
    uint64_t id = 0;
    if (absl::ConsumePrefix(&link, kind) && absl::ConsumePrefix(&link, ":[") &&
        absl::ConsumeSuffix(&link, "]") && absl::SimpleAtoi(link, &id)) {
      SetNamespaceId(*p.mutable_namespaces(), kind, id);
    }
  }
  return p;
}

std::optional<uint64_t> ReadProcStartTime(int64_t pid, const std::string& proc_root) {
  const std::string stat = ReadSmall(absl::StrCat(proc_root, "/", pid, "/stat"));
  const std::vector<absl::string_view> fields = StatFields(stat);
  if (fields.size() <= 19) return std::nullopt;
  return StartTimeNanos(fields[19]);
}

std::vector<int64_t> ListProcPids(const std::string& proc_root) {
  std::vector<int64_t> pids;
  DIR* dir = opendir(proc_root.c_str());
  if (dir == nullptr) return pids;
  while (dirent* entry = readdir(dir)) {
    int64_t pid = 0;
    if (absl::SimpleAtoi(entry->d_name, &pid) && pid > 0) pids.push_back(pid);
  }
  closedir(dir);
  return pids;
}

}  // namespace bulwark::runtime::internal
