#include "bulwark/runtime/internal/linux_names.h"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "absl/types/span.h"

namespace bulwark::runtime::internal {
namespace {

struct Flag {
  uint64_t bit;
  absl::string_view name;
};

// Kernel O_* values (x86-64 and arm64 share these) that Falco prints.
constexpr Flag kOpenFlags[] = {
    {O_WRONLY, "O_WRONLY"},       {O_RDWR, "O_RDWR"},         {O_CREAT, "O_CREAT"},
    {O_EXCL, "O_EXCL"},           {O_NOCTTY, "O_NOCTTY"},     {O_TRUNC, "O_TRUNC"},
    {O_APPEND, "O_APPEND"},       {O_NONBLOCK, "O_NONBLOCK"}, {O_DSYNC, "O_DSYNC"},
    {O_DIRECTORY, "O_DIRECTORY"}, {O_NOFOLLOW, "O_NOFOLLOW"}, {O_CLOEXEC, "O_CLOEXEC"},
    {O_PATH, "O_PATH"},
};

// Further names other tools print (Tracee): accepted when parsing, never rendered. O_LARGEFILE
// is the kernel's value; glibc defines it as 0 for 64-bit programs.
constexpr Flag kMoreOpenFlags[] = {
    {O_RDONLY, "O_RDONLY"}, {0100000, "O_LARGEFILE"}, {O_SYNC, "O_SYNC"},
    {O_DIRECT, "O_DIRECT"}, {O_NOATIME, "O_NOATIME"}, {O_TMPFILE, "O_TMPFILE"},
    {O_ASYNC, "O_ASYNC"},   {O_NDELAY, "O_NDELAY"},   {O_RSYNC, "O_RSYNC"},
};

constexpr Flag kModeFlags[] = {
    {S_IXOTH, "S_IXOTH"}, {S_IWOTH, "S_IWOTH"}, {S_IROTH, "S_IROTH"}, {S_IXGRP, "S_IXGRP"},
    {S_IWGRP, "S_IWGRP"}, {S_IRGRP, "S_IRGRP"}, {S_IXUSR, "S_IXUSR"}, {S_IWUSR, "S_IWUSR"},
    {S_IRUSR, "S_IRUSR"}, {S_ISVTX, "S_ISVTX"}, {S_ISGID, "S_ISGID"}, {S_ISUID, "S_ISUID"},
};

constexpr Flag kNamespaceFlags[] = {
    {CLONE_NEWNS, "CLONE_NEWNS"},     {CLONE_NEWCGROUP, "CLONE_NEWCGROUP"},
    {CLONE_NEWUTS, "CLONE_NEWUTS"},   {CLONE_NEWIPC, "CLONE_NEWIPC"},
    {CLONE_NEWUSER, "CLONE_NEWUSER"}, {CLONE_NEWPID, "CLONE_NEWPID"},
    {CLONE_NEWNET, "CLONE_NEWNET"},   {0x00000080, "CLONE_NEWTIME"},
};

constexpr Flag kOtherCloneFlags[] = {
    {CLONE_VM, "CLONE_VM"},
    {CLONE_FS, "CLONE_FS"},
    {CLONE_FILES, "CLONE_FILES"},
    {CLONE_SIGHAND, "CLONE_SIGHAND"},
    {CLONE_PIDFD, "CLONE_PIDFD"},
    {CLONE_PTRACE, "CLONE_PTRACE"},
    {CLONE_VFORK, "CLONE_VFORK"},
    {CLONE_PARENT, "CLONE_PARENT"},
    {CLONE_THREAD, "CLONE_THREAD"},
    {CLONE_SYSVSEM, "CLONE_SYSVSEM"},
    {CLONE_SETTLS, "CLONE_SETTLS"},
    {CLONE_PARENT_SETTID, "CLONE_PARENT_SETTID"},
    {CLONE_CHILD_CLEARTID, "CLONE_CHILD_CLEARTID"},
    {CLONE_DETACHED, "CLONE_DETACHED"},
    {CLONE_UNTRACED, "CLONE_UNTRACED"},
    {CLONE_CHILD_SETTID, "CLONE_CHILD_SETTID"},
    {CLONE_IO, "CLONE_IO"},
};

// Capability numbers from linux/capability.h.
constexpr absl::string_view kCapabilities[] = {
    "CAP_CHOWN",
    "CAP_DAC_OVERRIDE",
    "CAP_DAC_READ_SEARCH",
    "CAP_FOWNER",
    "CAP_FSETID",
    "CAP_KILL",
    "CAP_SETGID",
    "CAP_SETUID",
    "CAP_SETPCAP",
    "CAP_LINUX_IMMUTABLE",
    "CAP_NET_BIND_SERVICE",
    "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",
    "CAP_NET_RAW",
    "CAP_IPC_LOCK",
    "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",
    "CAP_SYS_RAWIO",
    "CAP_SYS_CHROOT",
    "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",
    "CAP_SYS_ADMIN",
    "CAP_SYS_BOOT",
    "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",
    "CAP_SYS_TIME",
    "CAP_SYS_TTY_CONFIG",
    "CAP_MKNOD",
    "CAP_LEASE",
    "CAP_AUDIT_WRITE",
    "CAP_AUDIT_CONTROL",
    "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",
    "CAP_MAC_ADMIN",
    "CAP_SYSLOG",
    "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",
    "CAP_AUDIT_READ",
    "CAP_PERFMON",
    "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

struct Named {
  int64_t value;
  absl::string_view name;
};

constexpr Named kPtraceRequests[] = {
    {0, "PTRACE_TRACEME"},         {1, "PTRACE_PEEKTEXT"},   {2, "PTRACE_PEEKDATA"},
    {3, "PTRACE_PEEKUSR"},         {4, "PTRACE_POKETEXT"},   {5, "PTRACE_POKEDATA"},
    {6, "PTRACE_POKEUSR"},         {7, "PTRACE_CONT"},       {8, "PTRACE_KILL"},
    {9, "PTRACE_SINGLESTEP"},      {12, "PTRACE_GETREGS"},   {13, "PTRACE_SETREGS"},
    {16, "PTRACE_ATTACH"},         {17, "PTRACE_DETACH"},    {24, "PTRACE_SYSCALL"},
    {0x4200, "PTRACE_SETOPTIONS"}, {0x4206, "PTRACE_SEIZE"}, {0x4207, "PTRACE_INTERRUPT"},
};

constexpr Named kSocketFamilies[] = {
    {AF_UNIX, "AF_UNIX"},           {AF_INET, "AF_INET"},     {AF_INET6, "AF_INET6"},
    {AF_NETLINK, "AF_NETLINK"},     {AF_PACKET, "AF_PACKET"}, {AF_KEY, "AF_KEY"},
    {AF_BLUETOOTH, "AF_BLUETOOTH"}, {AF_VSOCK, "AF_VSOCK"},   {AF_ALG, "AF_ALG"},
    {AF_UNSPEC, "AF_UNSPEC"},       {AF_LOCAL, "AF_LOCAL"},
};

constexpr Named kSocketTypes[] = {
    {SOCK_STREAM, "SOCK_STREAM"}, {SOCK_DGRAM, "SOCK_DGRAM"},         {SOCK_RAW, "SOCK_RAW"},
    {SOCK_RDM, "SOCK_RDM"},       {SOCK_SEQPACKET, "SOCK_SEQPACKET"}, {SOCK_PACKET, "SOCK_PACKET"},
};

constexpr Named kErrnos[] = {
    {1, "EPERM"},         {2, "ENOENT"},        {3, "ESRCH"},       {4, "EINTR"},
    {5, "EIO"},           {9, "EBADF"},         {11, "EAGAIN"},     {12, "ENOMEM"},
    {13, "EACCES"},       {14, "EFAULT"},       {16, "EBUSY"},      {17, "EEXIST"},
    {18, "EXDEV"},        {20, "ENOTDIR"},      {21, "EISDIR"},     {22, "EINVAL"},
    {24, "EMFILE"},       {28, "ENOSPC"},       {30, "EROFS"},      {36, "ENAMETOOLONG"},
    {38, "ENOSYS"},       {39, "ENOTEMPTY"},    {40, "ELOOP"},      {95, "EOPNOTSUPP"},
    {98, "EADDRINUSE"},   {101, "ENETUNREACH"}, {110, "ETIMEDOUT"}, {111, "ECONNREFUSED"},
    {115, "EINPROGRESS"},
};

constexpr Named kSignals[] = {
    {SIGHUP, "SIGHUP"},   {SIGINT, "SIGINT"},   {SIGQUIT, "SIGQUIT"}, {SIGILL, "SIGILL"},
    {SIGTRAP, "SIGTRAP"}, {SIGABRT, "SIGABRT"}, {SIGBUS, "SIGBUS"},   {SIGFPE, "SIGFPE"},
    {SIGKILL, "SIGKILL"}, {SIGUSR1, "SIGUSR1"}, {SIGSEGV, "SIGSEGV"}, {SIGUSR2, "SIGUSR2"},
    {SIGPIPE, "SIGPIPE"}, {SIGALRM, "SIGALRM"}, {SIGTERM, "SIGTERM"}, {SIGCHLD, "SIGCHLD"},
    {SIGCONT, "SIGCONT"}, {SIGSTOP, "SIGSTOP"}, {SIGTSTP, "SIGTSTP"}, {SIGTTIN, "SIGTTIN"},
    {SIGTTOU, "SIGTTOU"}, {SIGXCPU, "SIGXCPU"}, {SIGXFSZ, "SIGXFSZ"}, {SIGSYS, "SIGSYS"},
};

std::string RenderFlags(uint64_t value, absl::Span<const Flag> table, absl::string_view zero) {
  std::vector<absl::string_view> names;
  for (const Flag& flag : table) {
    if ((value & flag.bit) == flag.bit && flag.bit != 0) names.push_back(flag.name);
  }
  if (names.empty()) return std::string(zero);
  return absl::StrJoin(names, "|");
}

std::string RenderNamed(int64_t value, absl::Span<const Named> table) {
  for (const Named& entry : table) {
    if (entry.value == value) return std::string(entry.name);
  }
  return absl::StrCat(value);
}

std::optional<int> FindNamed(absl::string_view name, absl::Span<const Named> table) {
  for (const Named& entry : table) {
    if (entry.name == name) return static_cast<int>(entry.value);
  }
  return std::nullopt;
}

std::optional<uint64_t> FindFlag(absl::string_view name,
                                 std::initializer_list<absl::Span<const Flag>> tables) {
  for (absl::Span<const Flag> table : tables) {
    for (const Flag& flag : table) {
      if (flag.name == name) return flag.bit;
    }
  }
  return std::nullopt;
}

// "A|B|C" by the tables, or a plain number (decimal, 0x hex, or octal with `octal`).
std::optional<uint64_t> ParseFlags(absl::string_view text,
                                   std::initializer_list<absl::Span<const Flag>> tables,
                                   bool octal = false) {
  text = absl::StripAsciiWhitespace(text);
  if (text.empty()) return std::nullopt;
  if (absl::ascii_isdigit(static_cast<unsigned char>(text[0]))) {
    uint64_t number = 0;
    if (absl::ConsumePrefix(&text, "0x") || absl::ConsumePrefix(&text, "0X")) {
      if (!absl::SimpleHexAtoi(text, &number)) return std::nullopt;
      return number;
    }
    if (octal) {
      for (char c : text) {
        if (c < '0' || c > '7' || number > (uint64_t{1} << 60)) return std::nullopt;
        number = number * 8 + static_cast<uint64_t>(c - '0');
      }
      return number;
    }
    if (!absl::SimpleAtoi(text, &number)) return std::nullopt;
    return number;
  }
  uint64_t value = 0;
  for (absl::string_view name : absl::StrSplit(text, '|')) {
    std::optional<uint64_t> bit = FindFlag(absl::StripAsciiWhitespace(name), tables);
    if (!bit.has_value()) return std::nullopt;
    value |= *bit;
  }
  return value;
}

}  // namespace

std::string RenderOpenFlags(uint32_t flags) {
  std::string text = (flags & O_ACCMODE) == O_RDONLY ? "O_RDONLY" : "";
  std::string rest = RenderFlags(flags, kOpenFlags, "");
  if (!text.empty() && !rest.empty()) text += "|";
  return text + rest;
}

std::string RenderModeFlags(uint32_t mode) { return RenderFlags(mode, kModeFlags, "0"); }

std::string RenderNamespaceFlags(uint64_t flags) {
  return RenderFlags(flags, kNamespaceFlags, "0");
}

std::string RenderPtraceRequest(int64_t request) { return RenderNamed(request, kPtraceRequests); }

std::string RenderSocketFamily(int64_t family) { return RenderNamed(family, kSocketFamilies); }

std::string RenderCapabilities(uint64_t caps) {
  std::vector<absl::string_view> names;
  for (size_t bit = 0; bit < std::size(kCapabilities); ++bit) {
    if (caps & (uint64_t{1} << bit)) names.push_back(kCapabilities[bit]);
  }
  return absl::StrJoin(names, " ");
}

absl::string_view StaticResultName(int64_t result) {
  if (result >= 0) return "SUCCESS";
  for (const Named& entry : kErrnos) {
    if (entry.value == -result) return entry.name;
  }
  return "";
}

std::string RenderResult(int64_t result) {
  absl::string_view name = StaticResultName(result);
  return name.empty() ? absl::StrCat(result) : std::string(name);
}

std::optional<uint32_t> ParseOpenFlags(absl::string_view text) {
  std::optional<uint64_t> flags = ParseFlags(text, {kOpenFlags, kMoreOpenFlags});
  if (!flags.has_value() || *flags > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*flags);
}

std::optional<uint32_t> ParseModeFlags(absl::string_view text) {
  std::optional<uint64_t> mode = ParseFlags(text, {kModeFlags}, /*octal=*/true);
  if (!mode.has_value() || *mode > UINT32_MAX) return std::nullopt;
  return static_cast<uint32_t>(*mode);
}

std::optional<uint64_t> ParseCloneFlags(absl::string_view text) {
  return ParseFlags(text, {kNamespaceFlags, kOtherCloneFlags});
}

std::optional<int> CapabilityNumber(absl::string_view name) {
  for (size_t bit = 0; bit < std::size(kCapabilities); ++bit) {
    absl::string_view known = kCapabilities[bit];
    if (name == known || name == known.substr(4)) return static_cast<int>(bit);
  }
  return std::nullopt;
}

std::optional<int> SocketFamilyNumber(absl::string_view name) {
  return FindNamed(name, kSocketFamilies);
}

std::optional<int> SocketTypeNumber(absl::string_view name) {
  return FindNamed(name, kSocketTypes);
}

std::optional<int> SignalNumber(absl::string_view name) { return FindNamed(name, kSignals); }

std::optional<int> ErrnoNumber(absl::string_view name) { return FindNamed(name, kErrnos); }

}  // namespace bulwark::runtime::internal
