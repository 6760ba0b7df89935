// Runs real processes under the live collector: one on the host and one inside unshare'd
// namespaces placed in a cgroup named like a docker container's systemd scope, and checks the
// exec events, their container ids, and that a built-in rule fires. Needs root; skipped (with
// the PermissionDenied message checked) otherwise.
#include "bulwark/runtime/collector.h"

#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sched.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;

constexpr char kContainerId[] = "b0a1c2d3e4f5a6b7c8d9e0f1a2b3c4d5e6f7a8b9c0d1e2f3a4b5c6d7e8f9a0b1";

// A TCP socket listening on 127.0.0.1 at a port the kernel picks (stored in `port`), or -1 with
// errno set.
int LoopbackTcpListener(int& port) {
  const int listener = socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (listener < 0) return -1;
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t length = sizeof(address);
  if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      listen(listener, 4) != 0 ||
      getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    const int error = errno;
    close(listener);
    errno = error;
    return -1;
  }
  port = ntohs(address.sin_port);
  return listener;
}

// A cgroup v1 or v2 directory we may create, or "" when none is writable.
std::string CgroupRoot() {
  for (const char* root : {"/sys/fs/cgroup/pids", "/sys/fs/cgroup/unified", "/sys/fs/cgroup"}) {
    if (access(absl::StrCat(root, "/cgroup.procs").c_str(), W_OK) == 0) return root;
  }
  return "";
}

// The id of namespace `kind` of `pid` (/proc/<pid>/ns/<kind> reads "<kind>:[<id>]").
uint64_t NamespaceOf(pid_t pid, const std::string& kind) {
  std::error_code error;
  const std::string link =
      std::filesystem::read_symlink(absl::StrCat("/proc/", pid, "/ns/", kind), error);
  const size_t open = link.find('[');
  return open == std::string::npos ? 0 : std::stoull(link.substr(open + 1));
}

uint64_t NamespaceOfSelf(const std::string& kind) { return NamespaceOf(getpid(), kind); }

// Creates the cgroup of a docker container's systemd scope; "" when no hierarchy is writable.
std::string DockerScope() {
  const std::string cgroup_root = CgroupRoot();
  if (cgroup_root.empty()) return "";
  const std::string scope =
      absl::StrCat(cgroup_root, "/system.slice/docker-", kContainerId, ".scope");
  std::filesystem::create_directories(scope);
  return scope;
}

pid_t Spawn(const std::vector<std::string>& argv) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> args;
    for (const std::string& a : argv) args.push_back(const_cast<char*>(a.c_str()));
    args.push_back(nullptr);
    execv(args[0], args.data());
    _exit(127);
  }
  return pid;
}

TEST(CollectorTest, NeedsRoot) {
  if (geteuid() == 0) GTEST_SKIP() << "running as root; the PermissionDenied path needs a user";
  EXPECT_THAT(Collector::Start(), StatusIs(absl::StatusCode::kPermissionDenied));
}

TEST(CollectorTest, SeesRealExecsWithContainerIdsAndBuiltInRulesFire) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  const std::string scope = DockerScope();
  if (scope.empty()) GTEST_SKIP() << "no writable cgroup hierarchy";

  // TempDir() ends with '/'; the kernel reports paths without doubled slashes.
  const std::string tmp =
      std::filesystem::path(testing::TempDir()).lexically_normal().parent_path();
  // A package manager's name for sleep: comm is the basename of the executed path.
  const std::string apt_get = absl::StrCat(tmp, "/apt-get");
  std::filesystem::remove(apt_get);
  std::filesystem::create_symlink("/bin/sleep", apt_get);

  absl::StatusOr<std::unique_ptr<Collector>> collector =
      Collector::Start({.snapshot = true, .file_mounts = {tmp}});
  ASSERT_THAT(collector, IsOk());

  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::Load({"runtime/rules/bulwark_rules.yaml"});
  ASSERT_THAT(rules, IsOk());
  EngineOptions engine_options;
  engine_options.matching = EngineOptions::Matching::kAll;
  Engine engine(**rules, engine_options);

  // On the host: a plain process.
  const pid_t host = Spawn({"/bin/sleep", "3"});
  // In a container: new pid/mount/uts/ipc namespaces, moved into the docker scope before exec.
  const std::string script =
      absl::StrCat("echo 0 > ", scope, "/cgroup.procs && exec ", apt_get, " 2");
  const pid_t contained = Spawn({"/usr/bin/unshare", "--pid", "--fork", "--mount", "--uts", "--ipc",
                                 "/bin/sh", "-c", script});
  // A file written on the watched mount, by another process (the collector ignores its own).
  const pid_t writer = Spawn({"/bin/sh", "-c", absl::StrCat("echo data > ", tmp, "/written.txt")});

  std::vector<v1::Event> execs;
  std::vector<v1::Alert> alerts;
  size_t snapshot_events = 0;
  bool saw_file_open = false;
  const absl::Time deadline = absl::Now() + absl::Seconds(10);
  while (absl::Now() < deadline) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(100),
                           [&](v1::Event&& event) {
                             if (event.type() == v1::EVENT_TYPE_UNSPECIFIED) ++snapshot_events;
                             if (event.type() == v1::EVENT_TYPE_EXECVE) execs.push_back(event);
                             if (event.type() == v1::EVENT_TYPE_OPENAT &&
                                 event.fd().name() == absl::StrCat(tmp, "/written.txt")) {
                               saw_file_open = true;
                             }
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                           }),
                IsOk());
    bool found = false;
    for (const v1::Alert& a : alerts) found |= a.rule() == "Package Manager In Container";
    if (found && saw_file_open) break;
  }
  int status = 0;
  waitpid(host, &status, 0);
  waitpid(contained, &status, 0);
  waitpid(writer, &status, 0);
  rmdir(scope.c_str());

  EXPECT_GT(snapshot_events, 1u);  // At least this test and its parents.
  std::cout << "lost notifications: " << (*collector)->lost_notifications() << "\n";
  EXPECT_TRUE(saw_file_open);
  const v1::Event* host_exec = nullptr;
  const v1::Event* container_exec = nullptr;
  for (const v1::Event& e : execs) {
    if (e.pid() == host) host_exec = &e;
    if (e.process().name() == "apt-get") container_exec = &e;
  }
  ASSERT_NE(host_exec, nullptr);
  EXPECT_EQ(host_exec->process().name(), "sleep");
  EXPECT_EQ(host_exec->process().exe(), "/bin/sleep");
  EXPECT_THAT(host_exec->process().args(), ::testing::ElementsAre("3"));
  EXPECT_EQ(host_exec->process().ppid(), getpid());
  ASSERT_NE(container_exec, nullptr);
  EXPECT_EQ(container_exec->process().vpid(), 1);  // pid 1 of the new pid namespace
  EXPECT_NE(container_exec->pid(), 1);
  bool container_id_seen = false;
  for (const std::string& line : container_exec->process().cgroups()) {
    container_id_seen |= line.find(kContainerId) != std::string::npos;
  }
  EXPECT_TRUE(container_id_seen);
  const v1::Alert* package_manager = nullptr;
  for (const v1::Alert& a : alerts) {
    if (a.rule() == "Package Manager In Container") package_manager = &a;
  }
  ASSERT_NE(package_manager, nullptr);
  EXPECT_EQ(package_manager->event().process().container_id(), std::string(kContainerId, 12));
  EXPECT_EQ(package_manager->event().pid(), container_exec->pid());

  // Namespace ids: the host process shares ours; the contained one has its own pid and mount
  // namespaces.
  EXPECT_EQ(host_exec->process().namespaces().mnt(), NamespaceOfSelf("mnt"));
  EXPECT_EQ(host_exec->process().namespaces().pid(), NamespaceOfSelf("pid"));
  EXPECT_NE(container_exec->process().namespaces().mnt(), NamespaceOfSelf("mnt"));
  EXPECT_NE(container_exec->process().namespaces().pid(), NamespaceOfSelf("pid"));
  EXPECT_NE(container_exec->process().namespaces().mnt(), 0u);
}

// A process in a docker-named cgroup that nsenter put into the host's mount namespace (here:
// ours, an unshared mount namespace in between) runs a program: the collector reports the
// namespace ids and the built-in rule fires; a sibling left in its own mount namespace does not.
TEST(CollectorTest, ContainerProcessInHostMountNamespace) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  const std::string scope = DockerScope();
  if (scope.empty()) GTEST_SKIP() << "no writable cgroup hierarchy";
  absl::StatusOr<std::unique_ptr<Collector>> collector = Collector::Start();
  ASSERT_THAT(collector, IsOk());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::Load({"runtime/rules/bulwark_rules.yaml"});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules, EngineOptions{.matching = EngineOptions::Matching::kAll});
  // The engine learns the host's namespaces from pid 1. Where /proc/1/ns is hidden from us (a
  // sandbox whose init runs in another user namespace), this test's own mount namespace stands
  // in for the host's: the engine is told so, and nsenter targets this process instead.
  pid_t host = 1;
  if (NamespaceOf(1, "mnt") == 0) {
    host = getpid();
    v1::Event init;
    init.set_pid(1);
    init.mutable_process()->set_pid(1);
    init.mutable_process()->set_name("init");
    init.mutable_process()->mutable_namespaces()->set_mnt(NamespaceOfSelf("mnt"));
    engine.Process(init);
  }

  // Both start in a new mount namespace inside the container cgroup; one enters the host's
  // mount namespace with nsenter before it execs `sleep 1`, the other execs `sleep 2`.
  const std::string enter =
      absl::StrCat("echo 0 > ", scope, "/cgroup.procs && exec /usr/bin/nsenter --target ", host,
                   " --mount /bin/sleep 1");
  const std::string stay = absl::StrCat("echo 0 > ", scope, "/cgroup.procs && exec /bin/sleep 2");
  const pid_t entering = Spawn({"/usr/bin/unshare", "--mount", "/bin/sh", "-c", enter});
  const pid_t staying = Spawn({"/usr/bin/unshare", "--mount", "/bin/sh", "-c", stay});

  std::vector<v1::Alert> alerts;
  // The last exec of each pid (/proc is read when a notification is handled, so the execs of
  // unshare, sh and nsenter may already show sleep).
  std::map<int64_t, v1::Event> sleeps;
  const absl::Time deadline = absl::Now() + absl::Seconds(8);
  while (absl::Now() < deadline && sleeps.size() < 2) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(100),
                           [&](v1::Event&& event) {
                             if (event.type() == v1::EVENT_TYPE_EXECVE &&
                                 event.process().name() == "sleep" &&
                                 (event.pid() == entering || event.pid() == staying)) {
                               sleeps[event.pid()] = event;
                             }
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                           }),
                IsOk());
  }
  int status = 0;
  waitpid(entering, &status, 0);
  waitpid(staying, &status, 0);
  rmdir(scope.c_str());
  ASSERT_EQ(sleeps.size(), 2u);
  std::vector<int64_t> flagged;
  for (const v1::Alert& a : alerts) {
    if (a.rule() == "Container Process In Host Mount Namespace") flagged.push_back(a.event().pid());
  }
  EXPECT_THAT(flagged,
              ::testing::AllOf(::testing::Not(::testing::IsEmpty()), ::testing::Each(entering)));
  for (const auto& [pid, e] : sleeps) {
    const bool in_host = e.process().namespaces().mnt() == NamespaceOf(host, "mnt");
    EXPECT_EQ(in_host, e.pid() == entering) << e.pid();
  }
}

// A bash process connects to a port this test listens on: the collector reports a connect with
// the owner's pid, its descriptor number and the tuple (from sock_diag), and exec events list
// the process's open descriptors with socket tuples resolved.
TEST(CollectorTest, ReportsConnectionsWithTheOwningDescriptor) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  int port = 0;
  const int listener = LoopbackTcpListener(port);
  ASSERT_GE(listener, 0) << strerror(errno);

  absl::StatusOr<std::unique_ptr<Collector>> collector =
      Collector::Start({.connection_interval = absl::Milliseconds(50)});
  ASSERT_THAT(collector, IsOk());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::LoadContents({{"c.yaml", absl::StrCat(R"(
- rule: Connect to test port
  desc: t
  condition: evt.type = connect and fd.sport = )",
                                                     port,
                                                     R"( and fd.l4proto = tcp
  output: "%proc.name fd=%fd.num %fd.name"
  priority: NOTICE
)")}});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);

  // bash opens the connection as descriptor 3, then becomes sleep, which keeps it.
  const pid_t client =
      Spawn({"/bin/bash", "-c",
             absl::StrCat("exec 3<>/dev/tcp/127.0.0.1/", port, "; sleep 0.5; exec /bin/sleep 1")});
  const v1::Event* connect = nullptr;
  const v1::Event* sleep_exec = nullptr;
  std::vector<v1::Event> events;
  std::vector<v1::Alert> alerts;
  const absl::Time deadline = absl::Now() + absl::Seconds(8);
  while (absl::Now() < deadline && (connect == nullptr || sleep_exec == nullptr)) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(50),
                           [&](v1::Event&& event) {
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                             if (event.pid() == client) events.push_back(std::move(event));
                           }),
                IsOk());
    for (const v1::Event& e : events) {
      if (e.type() == v1::EVENT_TYPE_CONNECT) connect = &e;
      if (e.type() == v1::EVENT_TYPE_EXECVE && e.process().name() == "sleep" &&
          e.process().args_size() == 1 && e.process().args(0) == "1") {
        sleep_exec = &e;
      }
    }
  }
  int status = 0;
  waitpid(client, &status, 0);
  close(listener);
  ASSERT_NE(connect, nullptr);
  EXPECT_EQ(connect->fd().num(), 3);
  EXPECT_EQ(connect->fd().type(), v1::FD_TYPE_IPV4);
  EXPECT_EQ(connect->fd().l4proto(), "tcp");
  EXPECT_EQ(connect->fd().server_ip(), "127.0.0.1");
  EXPECT_EQ(connect->fd().server_port(), static_cast<uint32_t>(port));
  EXPECT_FALSE(connect->fd().local_is_server());
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output(), absl::StrCat("bash fd=3 127.0.0.1:", connect->fd().client_port(),
                                             "->127.0.0.1:", port));
  ASSERT_NE(sleep_exec, nullptr);
  const v1::FileDescriptor* inherited = nullptr;
  for (const v1::FileDescriptor& fd : sleep_exec->open_fds()) {
    if (fd.num() == 3) inherited = &fd;
  }
  ASSERT_NE(inherited, nullptr);
  EXPECT_EQ(inherited->type(), v1::FD_TYPE_IPV4);
  EXPECT_EQ(inherited->server_port(), static_cast<uint32_t>(port));
  EXPECT_EQ(inherited->client_port(), connect->fd().client_port());
}

// A child shell opens a TCP connection (descriptor 3, to a listener of this test) and a UDP
// socket connected to ::1 (descriptor 4) and closes both: the collector reports each close as
// the kernel destroys the socket, with the addresses and ports of its connect event, the owning
// pid and descriptor, and a rule on evt.type = close sees it.
TEST(CollectorTest, ReportsSocketClosesWithTheOwner) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  int tcp_port = 0;
  const int listener = LoopbackTcpListener(tcp_port);
  ASSERT_GE(listener, 0) << strerror(errno);
  const int udp_peer = socket(AF_INET6, SOCK_DGRAM | SOCK_CLOEXEC, 0);
  sockaddr_in6 udp_address{};
  udp_address.sin6_family = AF_INET6;
  udp_address.sin6_addr = in6addr_loopback;
  ASSERT_EQ(bind(udp_peer, reinterpret_cast<sockaddr*>(&udp_address), sizeof(udp_address)), 0);
  socklen_t length = sizeof(udp_address);
  getsockname(udp_peer, reinterpret_cast<sockaddr*>(&udp_address), &length);
  const int udp_port = ntohs(udp_address.sin6_port);

  absl::StatusOr<std::unique_ptr<Collector>> collector =
      Collector::Start({.snapshot = false, .connection_interval = absl::Milliseconds(50)});
  ASSERT_THAT(collector, IsOk());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::LoadContents(
      {{"c.yaml", absl::StrCat(R"(
- rule: Close of test connection
  desc: t
  condition: evt.type = close and fd.sport = )",
                               tcp_port, R"( and fd.l4proto = tcp and proc.name = bash
  output: "%proc.name fd=%fd.num %fd.name"
  priority: NOTICE
)")}});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);

  // The dumps (every 50 ms) see both sockets open before the shell closes them.
  const pid_t client =
      Spawn({"/bin/bash", "-c",
             absl::StrCat("exec 3<>/dev/tcp/127.0.0.1/", tcp_port, " 4<>/dev/udp/::1/", udp_port,
                          "; sleep 0.5; exec 3>&- 4>&-; sleep 1; exit 0")});
  std::map<v1::EventType, std::vector<v1::Event>> events;  // The client's socket events.
  std::vector<v1::Alert> alerts;
  int accepted = -1;
  auto closed = [&](const std::string& l4proto) {
    for (const v1::Event& e : events[v1::EVENT_TYPE_CLOSE]) {
      if (e.fd().l4proto() == l4proto) return true;
    }
    return false;
  };
  const absl::Time deadline = absl::Now() + absl::Seconds(8);
  while (absl::Now() < deadline && !(closed("tcp") && closed("udp"))) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(50),
                           [&](v1::Event&& event) {
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                             if (event.pid() == client && event.fd().family() != AF_UNIX) {
                               events[event.type()].push_back(std::move(event));
                             }
                           }),
                IsOk());
    // Accept and close the server end, so the client's close completes the TCP handshake.
    if (accepted < 0 && !events[v1::EVENT_TYPE_CONNECT].empty()) {
      accepted = accept(listener, nullptr, nullptr);
      close(accepted);
    }
  }
  int status = 0;
  waitpid(client, &status, 0);
  close(listener);
  close(udp_peer);

  const v1::Event* tcp_connect = nullptr;
  const v1::Event* udp_connect = nullptr;
  for (const v1::Event& e : events[v1::EVENT_TYPE_CONNECT]) {
    (e.fd().l4proto() == "tcp" ? tcp_connect : udp_connect) = &e;
  }
  ASSERT_NE(tcp_connect, nullptr);
  ASSERT_NE(udp_connect, nullptr);
  ASSERT_EQ(events[v1::EVENT_TYPE_CLOSE].size(), 2u);
  for (const v1::Event& close_event : events[v1::EVENT_TYPE_CLOSE]) {
    const bool tcp = close_event.fd().l4proto() == "tcp";
    const v1::FileDescriptor& opened = (tcp ? tcp_connect : udp_connect)->fd();
    const v1::FileDescriptor& fd = close_event.fd();
    SCOPED_TRACE(fd.l4proto());
    EXPECT_EQ(fd.num(), tcp ? 3 : 4);
    EXPECT_EQ(fd.type(), tcp ? v1::FD_TYPE_IPV4 : v1::FD_TYPE_IPV6);
    EXPECT_EQ(fd.client_ip(), tcp ? "127.0.0.1" : "::1");
    EXPECT_EQ(fd.client_port(), opened.client_port());
    EXPECT_EQ(fd.server_ip(), tcp ? "127.0.0.1" : "::1");
    EXPECT_EQ(fd.server_port(), static_cast<uint32_t>(tcp ? tcp_port : udp_port));
    EXPECT_EQ(fd.inode(), opened.inode());
    EXPECT_TRUE(close_event.socket_destroy().owner_known());
    EXPECT_NE(close_event.socket_destroy().cookie(), 0u);
    EXPECT_EQ(close_event.socket_destroy().uid(), 0u);
    EXPECT_EQ(close_event.socket_destroy().netns(), NamespaceOfSelf("net"));
  }
  // (The server end's close may be heard too, owned by this test or by nobody: not bash.)
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output(),
            absl::StrCat("bash fd=3 127.0.0.1:", tcp_connect->fd().client_port(),
                         "->127.0.0.1:", tcp_port));
  EXPECT_EQ((*collector)->lost_socket_closes(), 0u);
}

// Standard output of a shell command.
std::string CommandOutput(const std::string& command) {
  std::string output;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) output.append(buffer, n);
  pclose(pipe);
  return output;
}

// A TCP listener inside a new network namespace (`unshare --net`) in a docker-named cgroup: the
// collector dumps that namespace's sockets too and reports a listen by the right process, with
// the descriptor and port `nsenter --net=... ss -tlnp` shows, and a rule sees its container id.
// A collector limited to its own namespace does not see it.
TEST(CollectorTest, ReportsListenersInsideOtherNetworkNamespaces) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector and unshare --net need root";
  const std::string scope = DockerScope();
  if (scope.empty()) GTEST_SKIP() << "no writable cgroup hierarchy";
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3 to listen";
  constexpr int kPort = 47913;

  absl::StatusOr<std::unique_ptr<Collector>> collector = Collector::Start(
      {.snapshot = false, .connection_interval = absl::Milliseconds(50), .descriptors = false});
  ASSERT_THAT(collector, IsOk());
  absl::StatusOr<std::unique_ptr<Collector>> own_namespace_only =
      Collector::Start({.snapshot = false,
                        .all_network_namespaces = false,
                        .connection_interval = absl::Milliseconds(50),
                        .descriptors = false});
  ASSERT_THAT(own_namespace_only, IsOk());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::LoadContents({{"l.yaml", absl::StrCat(R"(
- rule: Listener in container
  desc: t
  condition: evt.type = listen and container.id != host and fd.sport = )",
                                                     kPort, R"(
  output: "%proc.name %container.id fd=%fd.num port=%fd.sport"
  priority: NOTICE
)")}});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);

  // unshare execs sh, which joins the container's cgroup and execs python: one pid throughout.
  const std::string script = absl::StrCat(
      "echo 0 > ", scope, "/cgroup.procs && exec /usr/bin/python3 -c \"import socket, time; ",
      "s = socket.socket(); s.bind(('0.0.0.0', ", kPort, ")); s.listen(); time.sleep(6)\"");
  const pid_t listener = Spawn({"/usr/bin/unshare", "--net", "/bin/sh", "-c", script});

  std::vector<v1::Event> listens;
  std::vector<v1::Alert> alerts;
  bool own_only_saw_it = false;
  std::string ss;
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline && alerts.empty()) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(50),
                           [&](v1::Event&& event) {
                             if (event.type() == v1::EVENT_TYPE_LISTEN && event.pid() == listener) {
                               listens.push_back(event);
                             }
                             for (v1::Alert& alert : engine.Process(event))
                               alerts.push_back(std::move(alert));
                           }),
                IsOk());
    ASSERT_THAT((*own_namespace_only)
                    ->Poll(absl::ZeroDuration(),
                           [&](v1::Event&& event) {
                             own_only_saw_it |=
                                 event.type() == v1::EVENT_TYPE_LISTEN && event.pid() == listener;
                           }),
                IsOk());
  }
  if (!listens.empty()) {
    ss = CommandOutput(
        absl::StrCat("/usr/bin/nsenter --net=/proc/", listener, "/ns/net /usr/bin/ss -tlnpH"));
  }
  kill(listener, SIGKILL);
  int status = 0;
  waitpid(listener, &status, 0);
  rmdir(scope.c_str());

  ASSERT_EQ(listens.size(), 1u) << "failed namespaces: "
                                << (*collector)->failed_network_namespaces();
  EXPECT_FALSE(own_only_saw_it);
  const v1::FileDescriptor& fd = listens[0].fd();
  EXPECT_EQ(fd.server_port(), static_cast<uint32_t>(kPort));
  EXPECT_EQ(fd.l4proto(), "tcp");
  // ss, run inside the namespace, names the same process, descriptor and port:
  // LISTEN 0 128 0.0.0.0:47913 0.0.0.0:* users:(("python3",pid=123,fd=3))
  std::cout << "ss: " << ss;
  EXPECT_THAT(ss, ::testing::HasSubstr(absl::StrCat("0.0.0.0:", kPort, " ")));
  EXPECT_THAT(
      ss, ::testing::HasSubstr(absl::StrCat("(\"python3\",pid=", listener, ",fd=", fd.num(), ")")));
  ASSERT_EQ(alerts.size(), 1u);
  EXPECT_EQ(alerts[0].output(), absl::StrCat("python3 ", std::string(kContainerId, 12),
                                             " fd=", fd.num(), " port=", kPort));
}

// A process in a new network namespace (`unshare --net`, loopback brought up) connects to its
// own listener and closes both ends: the collector hears the closes through the destroy listener
// it opened inside that namespace, with the namespace's id and the process as owner.
TEST(CollectorTest, ReportsSocketClosesInsideOtherNetworkNamespaces) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector and unshare --net need root";
  if (access("/usr/bin/python3", X_OK) != 0) GTEST_SKIP() << "no /usr/bin/python3 to connect";
  if (access("/usr/sbin/ip", X_OK) != 0) GTEST_SKIP() << "no /usr/sbin/ip to bring lo up";
  constexpr int kPort = 47914;
  absl::StatusOr<std::unique_ptr<Collector>> collector = Collector::Start(
      {.snapshot = false, .connection_interval = absl::Milliseconds(50), .descriptors = false});
  ASSERT_THAT(collector, IsOk());
  // The first sleep lets a dump find the namespace (and open its listener) before the connection.
  const std::string script = absl::StrCat(
      "/usr/sbin/ip link set lo up && exec /usr/bin/python3 -c \"import socket, time; ",
      "time.sleep(0.6); s = socket.socket(); s.bind(('127.0.0.1', ", kPort, ")); s.listen(); ",
      "c = socket.create_connection(('127.0.0.1', ", kPort, ")); a, _ = s.accept(); ",
      "time.sleep(0.5); c.close(); a.close(); s.close(); time.sleep(1)\"");
  const pid_t child = Spawn({"/usr/bin/unshare", "--net", "/bin/sh", "-c", script});

  std::vector<v1::Event> closes;
  const absl::Time deadline = absl::Now() + absl::Seconds(8);
  while (absl::Now() < deadline && closes.size() < 3) {
    ASSERT_THAT((*collector)
                    ->Poll(absl::Milliseconds(50),
                           [&](v1::Event&& event) {
                             if (event.type() == v1::EVENT_TYPE_CLOSE &&
                                 event.fd().server_port() == kPort &&
                                 event.socket_destroy().netns() != 0) {
                               closes.push_back(std::move(event));
                             }
                           }),
                IsOk());
  }
  const uint64_t child_netns = NamespaceOf(child, "net");
  int status = 0;
  waitpid(child, &status, 0);
  ASSERT_EQ(closes.size(), 3u) << "failed namespaces: "
                               << (*collector)->failed_network_namespaces();
  int client_ends = 0, server_ends = 0;
  for (const v1::Event& e : closes) {
    EXPECT_EQ(e.socket_destroy().netns(), child_netns);
    EXPECT_NE(e.socket_destroy().netns(), NamespaceOfSelf("net"));
    EXPECT_EQ(e.pid(), child);
    EXPECT_TRUE(e.socket_destroy().owner_known());
    EXPECT_EQ(e.fd().server_ip(), "127.0.0.1");
    (e.fd().local_is_server() ? server_ends : client_ends) += 1;
  }
  EXPECT_EQ(client_ends, 1);
  EXPECT_EQ(server_ends, 2);  // The accepted connection and the listener.
}

// A forked child (async-signal-safe calls only) holding six Unix sockets: a stream listener and a
// datagram socket bound to paths in `dir`, a stream listener and a datagram socket with abstract
// names, a client connected to the path listener (unnamed itself) and its accepted end; optionally
// inside a new network namespace. It reports descriptors and inodes through a pipe, closes all six
// on the first byte it reads and exits on the second.
class UnixSocketChild {
 public:
  static constexpr int kSockets = 6;
  enum Index { kPathStream, kPathDgram, kAbstractStream, kAbstractDgram, kClient, kAccepted };

  UnixSocketChild(const std::string& dir, const std::string& abstract_prefix, bool new_netns)
      : names_{dir + "/stream.sock",
               dir + "/dgram.sock",
               "@" + abstract_prefix + "-stream",
               "@" + abstract_prefix + "-dgram",
               dir + "/stream.sock",
               dir + "/stream.sock"} {
    int report[2], command[2];
    if (pipe(report) != 0 || pipe(command) != 0) return;
    // Addresses are built before fork: the child only makes system calls.
    sockaddr_un addresses[4] = {};
    socklen_t lengths[4] = {};
    for (int i = 0; i < 4; ++i) {
      std::string name = names_[i];
      if (name[0] == '@') name[0] = '\0';
      addresses[i].sun_family = AF_UNIX;
      std::memcpy(addresses[i].sun_path, name.data(), name.size());
      lengths[i] = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
    }
    pid_ = fork();
    if (pid_ == 0) {
      close(report[0]);
      close(command[1]);
      int64_t reported[2 * kSockets] = {};
      if (!new_netns || unshare(CLONE_NEWNET) == 0) {
        for (int i = 0; i < 4; ++i) {
          const int type = i % 2 == 0 ? SOCK_STREAM : SOCK_DGRAM;
          const int fd = socket(AF_UNIX, type, 0);
          if (bind(fd, reinterpret_cast<sockaddr*>(&addresses[i]), lengths[i]) != 0) _exit(1);
          if (type == SOCK_STREAM && listen(fd, 4) != 0) _exit(1);
          reported[i] = fd;
        }
        reported[kClient] = socket(AF_UNIX, SOCK_STREAM, 0);
        if (connect(static_cast<int>(reported[kClient]),
                    reinterpret_cast<sockaddr*>(&addresses[kPathStream]),
                    lengths[kPathStream]) != 0) {
          _exit(1);
        }
        reported[kAccepted] = accept(static_cast<int>(reported[kPathStream]), nullptr, nullptr);
        for (int i = 0; i < kSockets; ++i) {
          struct stat info {};
          fstat(static_cast<int>(reported[i]), &info);
          reported[kSockets + i] = static_cast<int64_t>(info.st_ino);
        }
      }
      (void)!write(report[1], reported, sizeof(reported));
      char byte;
      (void)!read(command[0], &byte, 1);
      for (int i = 0; i < kSockets; ++i) close(static_cast<int>(reported[i]));
      (void)!read(command[0], &byte, 1);
      _exit(0);
    }
    close(report[1]);
    close(command[0]);
    command_ = command[1];
    int64_t reported[2 * kSockets] = {};
    if (read(report[0], reported, sizeof(reported)) == sizeof(reported)) {
      for (int i = 0; i < kSockets; ++i) {
        fds_[i] = static_cast<int>(reported[i]);
        inodes_[i] = static_cast<uint64_t>(reported[kSockets + i]);
      }
    }
    close(report[0]);
  }
  ~UnixSocketChild() {
    if (pid_ <= 0) return;
    close(command_);  // EOF ends the child wherever it waits.
    waitpid(pid_, nullptr, 0);
  }

  bool ready() const { return pid_ > 0 && inodes_[0] != 0; }
  pid_t pid() const { return pid_; }
  int fd(int i) const { return fds_[i]; }
  uint64_t inode(int i) const { return inodes_[i]; }
  // What a close event names socket `i`: its path or abstract name; the client its peer's path.
  const std::string& name(int i) const { return names_[i]; }
  int type(int i) const {
    return i == kPathDgram || i == kAbstractDgram ? SOCK_DGRAM : SOCK_STREAM;
  }
  void CloseSockets() { (void)!write(command_, "c", 1); }

 private:
  pid_t pid_ = -1;
  int command_ = -1;
  std::string names_[kSockets];
  int fds_[kSockets] = {};
  uint64_t inodes_[kSockets] = {};
};

// The collector reports the close of each of the child's six Unix sockets within a few dumps:
// event of the child's pid with the descriptor number, inode, path (abstract names with '@', the
// unnamed client by its peer's path) and socket type, and a rule on evt.type = close and a Unix
// path sees them. `new_netns`: the child lives in its own network namespace.
void ExpectUnixClosesReported(bool new_netns) {
  char dir[] = "/tmp/collector_unix.XXXXXX";
  ASSERT_NE(mkdtemp(dir), nullptr);
  absl::StatusOr<std::unique_ptr<Collector>> collector = Collector::Start(
      {.snapshot = false, .connection_interval = absl::Milliseconds(50), .descriptors = false});
  ASSERT_THAT(collector, IsOk());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
      RuleSet::LoadContents({{"u.yaml", absl::StrCat(R"(
- rule: Close of a test Unix socket
  desc: t
  condition: evt.type = close and fd.typechar = u and fd.name startswith ")",
                                                     dir, R"(/"
  output: "fd=%fd.num %fd.name %fd.sockfamily"
  priority: NOTICE
)")}});
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);

  UnixSocketChild child(dir, absl::StrCat("bulwark-collector-test-", getpid()), new_netns);
  ASSERT_TRUE(child.ready());
  std::map<uint64_t, v1::Event> closes;  // By inode.
  std::vector<v1::Alert> alerts;
  auto poll_once = [&] {
    return (*collector)->Poll(absl::Milliseconds(50), [&](v1::Event&& event) {
      for (v1::Alert& alert : engine.Process(event)) alerts.push_back(std::move(alert));
      if (event.type() != v1::EVENT_TYPE_CLOSE || event.fd().family() != AF_UNIX) return;
      for (int i = 0; i < UnixSocketChild::kSockets; ++i) {
        if (event.fd().inode() == child.inode(i)) closes.emplace(child.inode(i), event);
      }
    });
  };
  // Several dumps see the sockets open (and a dump of the child's namespace starts).
  const absl::Time opened_until = absl::Now() + absl::Milliseconds(400);
  while (absl::Now() < opened_until) ASSERT_THAT(poll_once(), IsOk());
  ASSERT_TRUE(closes.empty());
  child.CloseSockets();
  const absl::Time deadline = absl::Now() + absl::Seconds(5);
  while (absl::Now() < deadline && closes.size() < UnixSocketChild::kSockets) {
    ASSERT_THAT(poll_once(), IsOk());
  }
  const uint64_t child_netns = NamespaceOf(child.pid(), "net");

  ASSERT_EQ(closes.size(), static_cast<size_t>(UnixSocketChild::kSockets))
      << "failed namespaces: " << (*collector)->failed_network_namespaces();
  for (int i = 0; i < UnixSocketChild::kSockets; ++i) {
    SCOPED_TRACE(child.name(i));
    const v1::Event& e = closes[child.inode(i)];
    EXPECT_EQ(e.pid(), child.pid());
    EXPECT_EQ(e.fd().num(), child.fd(i));
    EXPECT_EQ(e.fd().type(), v1::FD_TYPE_UNIX);
    EXPECT_EQ(e.fd().name(), child.name(i));
    EXPECT_TRUE(e.socket_destroy().owner_known());
    EXPECT_EQ(e.socket_destroy().socket_type(), child.type(i));
    EXPECT_EQ(e.socket_destroy().uid(), 0u);
    EXPECT_NE(e.socket_destroy().cookie(), 0u);
    EXPECT_EQ(e.socket_destroy().netns(), child_netns);
  }
  EXPECT_EQ(closes[child.inode(UnixSocketChild::kPathStream)].socket_destroy().state(),
            static_cast<uint32_t>(TCP_LISTEN));
  EXPECT_EQ(new_netns, child_netns != NamespaceOfSelf("net"));
  // The rule fires for the four descriptors named by a path (not the abstract ones).
  std::vector<std::string> outputs;
  for (const v1::Alert& alert : alerts) outputs.push_back(alert.output());
  std::vector<std::string> expected;
  for (int i : {UnixSocketChild::kPathStream, UnixSocketChild::kPathDgram, UnixSocketChild::kClient,
                UnixSocketChild::kAccepted}) {
    expected.push_back(absl::StrCat("fd=", child.fd(i), " ", child.name(i), " unix"));
  }
  EXPECT_THAT(outputs, ::testing::UnorderedElementsAreArray(expected));
  std::filesystem::remove_all(dir);
}

TEST(CollectorTest, ReportsUnixSocketClosesWithPathAndOwner) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector needs root";
  ExpectUnixClosesReported(/*new_netns=*/false);
}

TEST(CollectorTest, ReportsUnixSocketClosesInsideOtherNetworkNamespaces) {
  if (geteuid() != 0) GTEST_SKIP() << "the live collector and unshare need root";
  ExpectUnixClosesReported(/*new_netns=*/true);
}

}  // namespace
}  // namespace bulwark::runtime
