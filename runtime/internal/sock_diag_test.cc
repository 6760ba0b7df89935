// sock_diag dumps compared with iproute2's `ss` (which reads the same kernel interface with
// its own code) for sockets this test opens, destroy notices of sockets this test closes (matched
// by the kernel's SO_COOKIE), /proc/<pid>/fd descriptors compared with what the test opened,
// and the parser's answers to malformed replies.
#include "bulwark/runtime/internal/sock_diag.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/eventfd.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <limits>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/internal/proc_fds.h"
#include "bulwark/runtime/internal/sock_destroy.h"
#include "bulwark/runtime/internal/sock_diag_netns.h"
#include "bulwark/runtime/internal/socket_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime::internal {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;

uint64_t InodeOf(int fd) {
  struct stat info {};
  return fstat(fd, &info) == 0 ? info.st_ino : 0;
}

std::string RunCommand(const std::string& command) {
  std::string out;
  FILE* pipe = popen(command.c_str(), "r");
  if (pipe == nullptr) return out;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) out.append(buffer, n);
  pclose(pipe);
  return out;
}

// A listening TCP socket on 127.0.0.1, a client connected to it and the accepted end.
struct Loopback {
  int listener = -1, client = -1, accepted = -1;
  uint16_t port = 0;
  Loopback() {
    listener = socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in address{};
    address.sin_family = AF_INET;
    address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    listen(listener, 4);
    socklen_t length = sizeof(address);
    getsockname(listener, reinterpret_cast<sockaddr*>(&address), &length);
    port = ntohs(address.sin_port);
    client = socket(AF_INET, SOCK_STREAM, 0);
    connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address));
    accepted = accept(listener, nullptr, nullptr);
  }
  ~Loopback() {
    close(accepted);
    close(client);
    close(listener);
  }
};

TEST(SockDiagTest, DumpAgreesWithSs) {
  Loopback loop;
  ASSERT_GE(loop.accepted, 0);
  absl::StatusOr<std::unique_ptr<SockDiag>> diag = SockDiag::Open();
  ASSERT_THAT(diag, IsOk());
  absl::StatusOr<std::vector<SocketInfo>> dump = (*diag)->Dump(1'000'000);
  ASSERT_THAT(dump, IsOk());
  SocketTable table;
  table.Update(*dump);

  const SocketInfo* listener = table.Find(InodeOf(loop.listener));
  const SocketInfo* client = table.Find(InodeOf(loop.client));
  const SocketInfo* accepted = table.Find(InodeOf(loop.accepted));
  ASSERT_NE(listener, nullptr);
  ASSERT_NE(client, nullptr);
  ASSERT_NE(accepted, nullptr);
  EXPECT_EQ(listener->state, TCP_LISTEN);
  EXPECT_EQ(listener->local_port, loop.port);
  EXPECT_EQ(client->state, TCP_ESTABLISHED);
  EXPECT_EQ(client->remote_ip, "127.0.0.1");
  EXPECT_EQ(client->remote_port, loop.port);
  EXPECT_EQ(accepted->local_port, loop.port);
  EXPECT_EQ(accepted->remote_port, client->local_port);
  EXPECT_EQ(client->uid, geteuid());
  EXPECT_TRUE(table.LocalIsServer(*accepted));
  EXPECT_FALSE(table.LocalIsServer(*client));

  // ss prints "<state> ... <local> <peer> ... ino:<inode>" for each of ours.
  const std::string ss =
      RunCommand(absl::StrCat("ss -Htane sport = :", loop.port, " or dport = :", loop.port));
  for (const SocketInfo* s : {listener, client, accepted}) {
    const std::string line_part = absl::StrCat("ino:", s->inode, " ");
    EXPECT_THAT(ss, ::testing::HasSubstr(line_part)) << ss;
    EXPECT_THAT(ss, ::testing::HasSubstr(absl::StrCat(s->local_ip, ":", s->local_port, " ")));
  }

  // Events: the accepted end is an accept (server side), the client a connect.
  std::optional<v1::Event> connect = SocketEvent(*client, table, 42, 7);
  ASSERT_TRUE(connect.has_value());
  EXPECT_EQ(connect->type(), v1::EVENT_TYPE_CONNECT);
  EXPECT_EQ(connect->fd().num(), 7);
  EXPECT_EQ(connect->fd().server_port(), loop.port);
  EXPECT_EQ(connect->fd().client_port(), client->local_port);
  EXPECT_EQ(connect->fd().l4proto(), "tcp");
  EXPECT_EQ(connect->fd().type(), v1::FD_TYPE_IPV4);
  std::optional<v1::Event> accept = SocketEvent(*accepted, table, 42, 8);
  ASSERT_TRUE(accept.has_value());
  EXPECT_EQ(accept->type(), v1::EVENT_TYPE_ACCEPT);
  EXPECT_EQ(accept->result(), 8);
  EXPECT_EQ(accept->fd().server_port(), loop.port);
  EXPECT_TRUE(accept->fd().local_is_server());
  EXPECT_EQ(SocketEvent(*listener, table, 42, 3)->type(), v1::EVENT_TYPE_LISTEN);

  // A second dump with the same sockets reports nothing new; a new one is reported.
  EXPECT_THAT(table.Update(*dump), ::testing::IsEmpty());
  // UDP sockets appear once bound (unbound ones are in no table the kernel dumps).
  const int udp = socket(AF_INET6, SOCK_DGRAM, 0);
  sockaddr_in6 any6{};
  any6.sin6_family = AF_INET6;
  any6.sin6_addr = in6addr_loopback;
  ASSERT_EQ(bind(udp, reinterpret_cast<sockaddr*>(&any6), sizeof(any6)), 0);
  absl::StatusOr<std::vector<SocketInfo>> again = (*diag)->Dump(1'000'000);
  ASSERT_THAT(again, IsOk());
  std::vector<const SocketInfo*> fresh = table.Update(*again);
  bool saw_udp = false;
  for (const SocketInfo* s : fresh) {
    if (s->inode != InodeOf(udp)) continue;
    saw_udp = true;
    EXPECT_EQ(s->local_ip, "::1");
    EXPECT_EQ(SocketEvent(*s, table, 42, 9)->type(), v1::EVENT_TYPE_BIND);
    EXPECT_EQ(SocketEvent(*s, table, 42, 9)->fd().type(), v1::FD_TYPE_IPV6);
  }
  EXPECT_TRUE(saw_udp);
  close(udp);
  EXPECT_THAT((*diag)->Dump(1), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT((*diag)->Dump(1'000'000), IsOk());  // The abandoned dump was discarded.
}

// A child process in a new network namespace listening on TCP `port` (0.0.0.0, lo is down);
// reports the socket's inode through a pipe and waits to be killed.
struct NamespacedListener {
  pid_t pid = -1;
  uint64_t inode = 0;
  explicit NamespacedListener(uint16_t port) {
    int pipe_fds[2];
    if (pipe(pipe_fds) != 0) return;
    pid = fork();
    if (pid == 0) {
      close(pipe_fds[0]);
      uint64_t reported = 0;
      if (unshare(CLONE_NEWNET) == 0) {
        const int listener = socket(AF_INET, SOCK_STREAM, 0);
        sockaddr_in address{};
        address.sin_family = AF_INET;
        address.sin_port = htons(port);
        if (bind(listener, reinterpret_cast<sockaddr*>(&address), sizeof(address)) == 0 &&
            listen(listener, 4) == 0) {
          reported = InodeOf(listener);
        }
      }
      (void)!write(pipe_fds[1], &reported, sizeof(reported));
      pause();
      _exit(0);
    }
    close(pipe_fds[1]);
    if (read(pipe_fds[0], &inode, sizeof(inode)) != sizeof(inode)) inode = 0;
    close(pipe_fds[0]);
  }
  ~NamespacedListener() {
    if (pid <= 0) return;
    kill(pid, SIGKILL);
    waitpid(pid, nullptr, 0);
  }
};

uint64_t NetnsOf(const std::string& pid) {
  struct stat info {};
  return stat(absl::StrCat("/proc/", pid, "/ns/net").c_str(), &info) == 0 ? info.st_ino : 0;
}

// A listener in another network namespace on the same port as one in ours: the namespaced dump
// has both, each with its namespace id, as `nsenter --net=... ss` shows; a plain SockDiag (and
// DumpOwn) only ours; and a connection to that port in our namespace is not taken for an accepted
// one of the other namespace's listener.
TEST(SockDiagNetnsTest, DumpsOtherNamespacesWithTheirIds) {
  if (geteuid() != 0) GTEST_SKIP() << "entering another network namespace needs root";
  Loopback loop;
  ASSERT_GE(loop.accepted, 0);
  NamespacedListener other(loop.port);
  ASSERT_GT(other.inode, 0u) << "unshare(CLONE_NEWNET) failed";
  const uint64_t own_id = NetnsOf("self");
  const uint64_t other_id = NetnsOf(std::to_string(other.pid));
  ASSERT_NE(own_id, other_id);

  absl::StatusOr<std::unique_ptr<NamespacedSockDiag>> diag = NamespacedSockDiag::Open();
  ASSERT_THAT(diag, IsOk());
  EXPECT_EQ((*diag)->own_namespace(), own_id);
  absl::StatusOr<std::vector<SocketInfo>> dump = (*diag)->Dump(1'000'000);
  ASSERT_THAT(dump, IsOk());
  EXPECT_GE((*diag)->other_namespaces(), 1u);
  SocketTable table;
  table.Update(*dump);
  const SocketInfo* theirs = table.Find(other.inode);
  ASSERT_NE(theirs, nullptr);
  EXPECT_EQ(theirs->netns, other_id);
  EXPECT_EQ(theirs->state, TCP_LISTEN);
  EXPECT_EQ(theirs->local_port, loop.port);
  EXPECT_EQ(theirs->local_ip, "0.0.0.0");
  const SocketInfo* client = table.Find(InodeOf(loop.client));
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(client->netns, own_id);
  EXPECT_FALSE(table.LocalIsServer(*client));
  EXPECT_TRUE(table.LocalIsServer(*table.Find(InodeOf(loop.accepted))));
  const std::string ss = RunCommand(
      absl::StrCat("nsenter --net=/proc/", other.pid, "/ns/net ss -Htlne sport = :", loop.port));
  EXPECT_THAT(ss, ::testing::HasSubstr(absl::StrCat("ino:", other.inode, " "))) << ss;

  absl::StatusOr<std::vector<SocketInfo>> own = (*diag)->DumpOwn(1'000'000);
  ASSERT_THAT(own, IsOk());
  for (const SocketInfo& s : *own) EXPECT_NE(s.inode, other.inode);
  absl::StatusOr<std::unique_ptr<SockDiag>> plain = SockDiag::Open();
  ASSERT_THAT(plain, IsOk());
  absl::StatusOr<std::vector<SocketInfo>> plain_dump = (*plain)->Dump(1'000'000);
  ASSERT_THAT(plain_dump, IsOk());
  for (const SocketInfo& s : *plain_dump) EXPECT_NE(s.inode, other.inode);

  // The namespace's socket is dropped once no process lives there.
  const pid_t gone = other.pid;
  kill(gone, SIGKILL);
  waitpid(gone, nullptr, 0);
  other.pid = -1;
  ASSERT_THAT((*diag)->Dump(1'000'000), IsOk());
  absl::StatusOr<std::vector<SocketInfo>> after = (*diag)->Dump(1'000'000);
  ASSERT_THAT(after, IsOk());
  for (const SocketInfo& s : *after) EXPECT_NE(s.netns, other_id);
}

TEST(SockDiagNetnsTest, OpeningAnotherNamespaceChecksItsId) {
  EXPECT_THAT(OpenSockDiagInNamespace("/proc/self/ns/net", 1),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(OpenSockDiagInNamespace("/nonexistent/ns/net", 0),
              StatusIs(absl::StatusCode::kNotFound));
  if (geteuid() == 0) {
    EXPECT_THAT(OpenSockDiagInNamespace("/proc/self/ns/net", NetnsOf("self")), IsOk());
  }
}

uint64_t CookieOf(int fd) {
  uint64_t cookie = 0;
  socklen_t length = sizeof(cookie);
  return getsockopt(fd, SOL_SOCKET, SO_COOKIE, &cookie, &length) == 0 ? cookie : 0;
}

// Drains `listener` for up to 5 s until a notice with `cookie` arrives.
std::optional<SocketInfo> AwaitDestroyed(SockDestroyListener& listener, uint64_t cookie) {
  for (int round = 0; round < 50; ++round) {
    pollfd ready{listener.fd(), POLLIN, 0};
    poll(&ready, 1, 100);
    std::vector<SocketInfo> notices;
    if (!listener.Drain(100'000, notices).ok()) return std::nullopt;
    for (const SocketInfo& notice : notices) {
      if (notice.cookie == cookie) return notice;
    }
  }
  return std::nullopt;
}

// A TCP connection over 127.0.0.1 and a connected UDP socket over ::1 are closed: the kernel's
// destroy notices name their tuples and the cookie SO_COOKIE and the dump gave, and the socket
// table turns the TCP one into a close event of the owner it recorded.
TEST(SockDestroyTest, NoticesCarryTheTupleAndTheDumpsCookie) {
  absl::StatusOr<std::unique_ptr<SockDestroyListener>> listener = SockDestroyListener::Open();
  ASSERT_THAT(listener, IsOk());
  absl::StatusOr<std::unique_ptr<SockDiag>> diag = SockDiag::Open();
  ASSERT_THAT(diag, IsOk());

  SocketTable table;
  uint64_t tcp_cookie = 0, tcp_inode = 0;
  uint16_t tcp_port = 0, tcp_client_port = 0;
  {
    Loopback loop;
    tcp_port = loop.port;
    sockaddr_in local{};
    socklen_t length = sizeof(local);
    getsockname(loop.client, reinterpret_cast<sockaddr*>(&local), &length);
    tcp_client_port = ntohs(local.sin_port);
    tcp_cookie = CookieOf(loop.client);
    tcp_inode = InodeOf(loop.client);
    ASSERT_NE(tcp_cookie, 0u);
    absl::StatusOr<std::vector<SocketInfo>> dump = (*diag)->Dump(1'000'000);
    ASSERT_THAT(dump, IsOk());
    table.Update(*std::move(dump));
    const SocketInfo* dumped = table.Find(tcp_inode);
    ASSERT_NE(dumped, nullptr);
    EXPECT_EQ(dumped->cookie, tcp_cookie);
    table.SetOwner(tcp_inode, 4242, 7);
  }
  const std::optional<SocketInfo> tcp = AwaitDestroyed(**listener, tcp_cookie);
  ASSERT_TRUE(tcp.has_value());
  EXPECT_EQ(tcp->family, AF_INET);
  EXPECT_EQ(tcp->protocol, IPPROTO_TCP);
  EXPECT_EQ(tcp->local_ip, "127.0.0.1");
  EXPECT_EQ(tcp->local_port, tcp_client_port);
  EXPECT_EQ(tcp->remote_ip, "127.0.0.1");
  EXPECT_EQ(tcp->remote_port, tcp_port);
  EXPECT_EQ(tcp->inode, 0u);  // Gone with the file; the cookie ties it to the dump.
  EXPECT_EQ(tcp->uid, geteuid());

  const v1::Event closed = SocketCloseEvent(*tcp, table);
  EXPECT_EQ(closed.type(), v1::EVENT_TYPE_CLOSE);
  EXPECT_EQ(closed.pid(), 4242);
  EXPECT_EQ(closed.fd().num(), 7);
  EXPECT_EQ(closed.fd().inode(), tcp_inode);
  EXPECT_EQ(closed.fd().l4proto(), "tcp");
  EXPECT_EQ(closed.fd().client_port(), tcp_client_port);
  EXPECT_EQ(closed.fd().server_ip(), "127.0.0.1");
  EXPECT_EQ(closed.fd().server_port(), tcp_port);
  EXPECT_FALSE(closed.fd().local_is_server());
  EXPECT_TRUE(closed.socket_destroy().owner_known());
  EXPECT_EQ(closed.socket_destroy().cookie(), tcp_cookie);
  EXPECT_EQ(closed.socket_destroy().state(), static_cast<uint32_t>(TCP_CLOSE));

  const int server = socket(AF_INET6, SOCK_DGRAM, 0);
  sockaddr_in6 address{};
  address.sin6_family = AF_INET6;
  address.sin6_addr = in6addr_loopback;
  ASSERT_EQ(bind(server, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  socklen_t length = sizeof(address);
  getsockname(server, reinterpret_cast<sockaddr*>(&address), &length);
  const int client = socket(AF_INET6, SOCK_DGRAM, 0);
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const uint64_t udp_cookie = CookieOf(client);
  close(client);
  close(server);
  const std::optional<SocketInfo> udp = AwaitDestroyed(**listener, udp_cookie);
  ASSERT_TRUE(udp.has_value());
  EXPECT_EQ(udp->family, AF_INET6);
  EXPECT_EQ(udp->protocol, IPPROTO_UDP);
  EXPECT_EQ(udp->remote_ip, "::1");
  EXPECT_EQ(udp->remote_port, ntohs(address.sin6_port));
  // Never in a dump: a close of nobody known.
  const v1::Event unknown = SocketCloseEvent(*udp, table);
  EXPECT_EQ(unknown.pid(), 0);
  EXPECT_EQ(unknown.fd().num(), -1);
  EXPECT_EQ(unknown.fd().l4proto(), "udp");
  EXPECT_EQ(unknown.fd().server_port(), ntohs(address.sin6_port));
  EXPECT_FALSE(unknown.socket_destroy().owner_known());
  EXPECT_EQ(unknown.socket_destroy().cookie(), udp_cookie);
}

// The kernel declares the destroy groups NL_CFG_F_NONROOT_RECV: an unprivileged process may
// subscribe (docs/runtime.md relies on this).
TEST(SockDestroyTest, SubscribingNeedsNoCapability) {
  if (geteuid() != 0) {
    EXPECT_THAT(SockDestroyListener::Open(), IsOk());
    return;
  }
  const pid_t child = fork();
  if (child == 0) {
    // Leaving uid 0 clears every effective capability.
    if (setresgid(65534, 65534, 65534) != 0 || setresuid(65534, 65534, 65534) != 0) _exit(2);
    _exit(SockDestroyListener::Open().ok() ? 0 : 1);
  }
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFEXITED(status));
  EXPECT_EQ(WEXITSTATUS(status), 0);
}

TEST(SocketTableTest, ClosesFindSocketsOfThePreviousDumpByCookie) {
  SocketInfo listener{.inode = 10,
                      .family = AF_INET,
                      .protocol = IPPROTO_TCP,
                      .state = TCP_LISTEN,
                      .local_ip = "0.0.0.0",
                      .local_port = 8080,
                      .netns = 1,
                      .cookie = 77};
  SocketInfo accepted{.inode = 11,
                      .family = AF_INET,
                      .protocol = IPPROTO_TCP,
                      .state = TCP_ESTABLISHED,
                      .local_ip = "10.0.0.1",
                      .local_port = 8080,
                      .remote_ip = "10.0.0.2",
                      .remote_port = 40000,
                      .netns = 1,
                      .cookie = 78};
  SocketTable table;
  table.Update({listener, accepted});
  table.SetOwner(10, 300, 5);
  table.SetOwner(11, 300, 6);
  // Next dump: the listener is gone (its notice may come after the dump) and the accepted
  // connection was closed but is still shutting down: orphaned, inode 0.
  SocketInfo orphan = accepted;
  orphan.inode = 0;
  orphan.state = TCP_FIN_WAIT1;
  EXPECT_TRUE(table.Update({orphan}).empty());
  ASSERT_NE(table.Find(11), nullptr);  // The orphan keeps its inode.

  SocketInfo destroyed = listener;
  destroyed.inode = 0;
  destroyed.state = TCP_CLOSE;
  v1::Event closed = SocketCloseEvent(destroyed, table);
  EXPECT_EQ(closed.pid(), 300);
  EXPECT_EQ(closed.fd().num(), 5);
  EXPECT_EQ(closed.fd().inode(), 10u);
  EXPECT_TRUE(closed.fd().local_is_server());  // It listened when the dump saw it.
  EXPECT_EQ(closed.fd().server_port(), 8080u);
  EXPECT_EQ(closed.socket_destroy().netns(), 1u);

  table.Update({});
  destroyed = accepted;
  destroyed.inode = 0;
  destroyed.state = TCP_CLOSE;
  closed = SocketCloseEvent(destroyed, table);
  EXPECT_EQ(closed.pid(), 300);
  EXPECT_EQ(closed.fd().num(), 6);
  EXPECT_EQ(closed.fd().inode(), 11u);
  // Accepted from a listener that no longer exists: still the server end.
  EXPECT_TRUE(closed.fd().local_is_server());
  EXPECT_EQ(closed.fd().server_port(), 8080u);
  EXPECT_EQ(closed.fd().client_port(), 40000u);

  table.Update({});  // Two dumps without it: forgotten, and so is its owner.
  EXPECT_EQ(table.FindByCookie(78), nullptr);
  EXPECT_EQ(table.Owner(11), nullptr);
  closed = SocketCloseEvent(destroyed, table);
  EXPECT_EQ(closed.pid(), 0);
  EXPECT_EQ(closed.fd().num(), -1);
  EXPECT_FALSE(closed.socket_destroy().owner_known());
}

TEST(SocketTableTest, ListeningPortsArePerNamespace) {
  SocketInfo listener{.inode = 1,
                      .family = AF_INET,
                      .protocol = IPPROTO_TCP,
                      .state = TCP_LISTEN,
                      .local_port = 80,
                      .netns = 100};
  SocketInfo elsewhere{.inode = 2,
                       .family = AF_INET,
                       .protocol = IPPROTO_TCP,
                       .state = TCP_ESTABLISHED,
                       .local_port = 80,
                       .netns = 200};
  SocketInfo same_namespace = elsewhere;
  same_namespace.inode = 3;
  same_namespace.netns = 100;
  SocketTable table;
  table.Update({listener, elsewhere, same_namespace});
  EXPECT_FALSE(table.LocalIsServer(elsewhere));
  EXPECT_TRUE(table.LocalIsServer(same_namespace));
}

TEST(ProcFdsTest, DescriptorsOfThisProcess) {
  Loopback loop;
  int pipe_fds[2];
  ASSERT_EQ(pipe(pipe_fds), 0);
  const int event = eventfd(0, 0);
  const int memfd = memfd_create("payload", 0);
  const int file = open("/etc/hostname", O_RDONLY);
  const int dir = open("/etc", O_RDONLY | O_DIRECTORY);
  absl::StatusOr<std::vector<v1::FileDescriptor>> fds = ReadProcFds(getpid(), 100'000);
  ASSERT_THAT(fds, IsOk());
  auto find = [&](int num) -> v1::FileDescriptor {
    for (const v1::FileDescriptor& fd : *fds)
      if (fd.num() == num) return fd;
    return {};
  };
  EXPECT_EQ(find(pipe_fds[0]).type(), v1::FD_TYPE_PIPE);
  EXPECT_EQ(find(event).type(), v1::FD_TYPE_EVENT);
  EXPECT_EQ(find(memfd).type(), v1::FD_TYPE_MEMFD);
  EXPECT_EQ(find(memfd).name(), "memfd:payload");
  EXPECT_EQ(find(file).type(), v1::FD_TYPE_FILE);
  EXPECT_EQ(find(file).name(), "/etc/hostname");
  EXPECT_EQ(find(dir).type(), v1::FD_TYPE_DIRECTORY);
  EXPECT_EQ(find(loop.client).inode(), InodeOf(loop.client));
  EXPECT_EQ(find(loop.client).name(), absl::StrCat("socket:[", InodeOf(loop.client), "]"));

  auto owners = ScanSocketOwners(10'000'000);
  ASSERT_TRUE(owners.contains(InodeOf(loop.accepted)));
  EXPECT_EQ(owners[InodeOf(loop.accepted)],
            std::make_pair(int64_t{getpid()}, int64_t{loop.accepted}));
  EXPECT_THAT(ReadProcFds(1 << 23, 10), StatusIs(absl::StatusCode::kNotFound));
  for (int fd : {pipe_fds[0], pipe_fds[1], event, memfd, file, dir}) close(fd);
}

// A reply datagram of `messages` (type, payload) each with its header.
std::vector<uint8_t> Reply(const std::vector<std::pair<uint16_t, std::vector<uint8_t>>>& messages) {
  std::vector<uint8_t> out;
  for (const auto& [type, payload] : messages) {
    nlmsghdr header{};
    header.nlmsg_len = NLMSG_LENGTH(payload.size());
    header.nlmsg_type = type;
    const size_t start = out.size();
    out.resize(start + NLMSG_SPACE(payload.size()));
    std::memcpy(out.data() + start, &header, sizeof(header));
    std::memcpy(out.data() + start + NLMSG_HDRLEN, payload.data(), payload.size());
  }
  return out;
}

TEST(SockDiagParserTest, MalformedRepliesAreErrors) {
  std::vector<SocketInfo> out;
  absl::StatusOr<bool> done = ParseSockDiagReply(Reply({{NLMSG_DONE, {}}}), IPPROTO_TCP, 10, out);
  ASSERT_THAT(done, IsOk());
  EXPECT_TRUE(*done);
  std::vector<uint8_t> truncated = Reply({{SOCK_DIAG_BY_FAMILY, std::vector<uint8_t>(8)}});
  EXPECT_THAT(ParseSockDiagReply(truncated, IPPROTO_TCP, 10, out),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("truncated")));
  std::vector<uint8_t> bad_length = Reply({{NLMSG_DONE, {}}});
  bad_length[0] = 0xff;
  EXPECT_THAT(ParseSockDiagReply(bad_length, IPPROTO_TCP, 10, out),
              StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("bad length")));
  nlmsgerr error{};
  error.error = -EPERM;
  std::vector<uint8_t> payload(sizeof(error));
  std::memcpy(payload.data(), &error, sizeof(error));
  EXPECT_THAT(ParseSockDiagReply(Reply({{NLMSG_ERROR, payload}}), IPPROTO_TCP, 10, out),
              StatusIs(absl::StatusCode::kPermissionDenied));
  // Not an errno (found by sock_diag_fuzzer: negating INT_MIN overflowed).
  error.error = std::numeric_limits<int>::min();
  std::memcpy(payload.data(), &error, sizeof(error));
  EXPECT_THAT(ParseSockDiagReply(Reply({{NLMSG_ERROR, payload}}), IPPROTO_TCP, 10, out),
              ::testing::Not(IsOk()));
  EXPECT_TRUE(out.empty());
}

// An inet_diag_msg for 10.0.0.1:1234 -> 10.0.0.2:80 followed by `attributes`.
std::vector<uint8_t> InetMessage(const std::vector<uint8_t>& attributes) {
  inet_diag_msg message{};
  message.idiag_family = AF_INET;
  message.idiag_state = TCP_CLOSE;
  message.id.idiag_sport = htons(1234);
  message.id.idiag_dport = htons(80);
  inet_pton(AF_INET, "10.0.0.1", message.id.idiag_src);
  inet_pton(AF_INET, "10.0.0.2", message.id.idiag_dst);
  message.id.idiag_cookie[0] = 5;
  message.id.idiag_cookie[1] = 1;
  std::vector<uint8_t> payload(NLMSG_ALIGN(sizeof(message)));
  std::memcpy(payload.data(), &message, sizeof(message));
  payload.insert(payload.end(), attributes.begin(), attributes.end());
  return payload;
}

// An INET_DIAG_PROTOCOL attribute naming `protocol`.
std::vector<uint8_t> ProtocolAttribute(uint8_t protocol) {
  nlattr attr{};
  attr.nla_len = NLA_HDRLEN + 1;
  attr.nla_type = INET_DIAG_PROTOCOL;
  std::vector<uint8_t> out(NLA_ALIGN(attr.nla_len));
  std::memcpy(out.data(), &attr, sizeof(attr));
  out[NLA_HDRLEN] = protocol;
  return out;
}

TEST(SockDiagParserTest, DestroyNoticesNameTheirProtocol) {
  std::vector<SocketInfo> out;
  ASSERT_THAT(ParseSockDiagReply(
                  Reply({{SOCK_DIAG_BY_FAMILY, InetMessage(ProtocolAttribute(IPPROTO_UDP))}}),
                  kProtocolFromAttribute, 10, out),
              IsOk());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].protocol, IPPROTO_UDP);
  EXPECT_EQ(out[0].local_ip, "10.0.0.1");
  EXPECT_EQ(out[0].remote_port, 80);
  EXPECT_EQ(out[0].cookie, (uint64_t{1} << 32) | 5);
  // UDP-Lite shares the UDP group and is skipped.
  EXPECT_THAT(ParseSockDiagReply(
                  Reply({{SOCK_DIAG_BY_FAMILY, InetMessage(ProtocolAttribute(IPPROTO_UDPLITE))}}),
                  kProtocolFromAttribute, 10, out),
              IsOk());
  EXPECT_EQ(out.size(), 1u);
  EXPECT_THAT(
      ParseSockDiagReply(Reply({{SOCK_DIAG_BY_FAMILY, InetMessage({})}}), kProtocolFromAttribute,
                         10, out),
      StatusIs(absl::StatusCode::kInvalidArgument, ::testing::HasSubstr("INET_DIAG_PROTOCOL")));
}

}  // namespace
}  // namespace bulwark::runtime::internal
