// unix_diag: the parser against hand-built replies (well-formed, truncated, hostile), the socket
// table's dump-to-dump diff that turns vanished Unix sockets into close events, and a real dump
// of Unix sockets this test opens compared with iproute2's `ss -x` (which reads the same kernel
// interface with its own code).
#include "bulwark/runtime/internal/unix_diag.h"

#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/internal/sock_diag.h"
#include "bulwark/runtime/internal/socket_table.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime::internal {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

// One netlink attribute: header, value, padding to 4 bytes.
std::vector<uint8_t> Attribute(uint16_t type, const std::string& value) {
  nlattr attr{};
  attr.nla_len = static_cast<uint16_t>(NLA_HDRLEN + value.size());
  attr.nla_type = type;
  std::vector<uint8_t> out(NLA_ALIGN(attr.nla_len));
  std::memcpy(out.data(), &attr, sizeof(attr));
  std::memcpy(out.data() + NLA_HDRLEN, value.data(), value.size());
  return out;
}

std::string U32(uint32_t value) { return std::string(reinterpret_cast<char*>(&value), 4); }

// A unix_diag_msg (stream, connected, inode 77, cookie 2^32 + 9) followed by `attributes`.
std::vector<uint8_t> UnixMessage(const std::vector<std::vector<uint8_t>>& attributes) {
  unix_diag_msg message{};
  message.udiag_family = AF_UNIX;
  message.udiag_type = SOCK_STREAM;
  message.udiag_state = TCP_ESTABLISHED;
  message.udiag_ino = 77;
  message.udiag_cookie[0] = 9;
  message.udiag_cookie[1] = 1;
  std::vector<uint8_t> payload(NLMSG_ALIGN(sizeof(message)));
  std::memcpy(payload.data(), &message, sizeof(message));
  for (const std::vector<uint8_t>& attribute : attributes) {
    payload.insert(payload.end(), attribute.begin(), attribute.end());
  }
  return payload;
}

// A reply datagram holding one SOCK_DIAG_BY_FAMILY message with `payload`.
std::vector<uint8_t> Reply(const std::vector<uint8_t>& payload) {
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(payload.size());
  header.nlmsg_type = SOCK_DIAG_BY_FAMILY;
  std::vector<uint8_t> out(NLMSG_SPACE(payload.size()));
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + NLMSG_HDRLEN, payload.data(), payload.size());
  return out;
}

TEST(UnixDiagParserTest, ReadsEveryAskedAttribute) {
  absl::StatusOr<SocketInfo> socket = ParseUnixDiagMessage(UnixMessage({
      Attribute(UNIX_DIAG_NAME, std::string("/run/app.sock\0", 14)),
      Attribute(UNIX_DIAG_VFS, std::string(8, 'v')),  // Not asked for: skipped.
      Attribute(UNIX_DIAG_PEER, U32(78)),
      Attribute(UNIX_DIAG_UID, U32(1000)),
      Attribute(UNIX_DIAG_ICONS, U32(7) + U32(0) + U32(8)),  // 0: a client already gone.
      Attribute(42, "future attribute"),
  }));
  ASSERT_THAT(socket, IsOk());
  EXPECT_EQ(socket->family, AF_UNIX);
  EXPECT_EQ(socket->type, SOCK_STREAM);
  EXPECT_EQ(socket->state, TCP_ESTABLISHED);
  EXPECT_EQ(socket->inode, 77u);
  EXPECT_EQ(socket->cookie, (uint64_t{1} << 32) | 9);
  EXPECT_EQ(socket->path, "/run/app.sock");
  EXPECT_EQ(socket->peer_inode, 78u);
  EXPECT_EQ(socket->uid, 1000u);
  EXPECT_THAT(socket->pending_clients, ::testing::ElementsAre(7u, 8u));

  // The same through the reply parser, which ParseSockDiagReply hands Unix messages to.
  std::vector<SocketInfo> out;
  ASSERT_THAT(
      ParseSockDiagReply(Reply(UnixMessage({Attribute(UNIX_DIAG_PEER, U32(5))})), 0, 10, out),
      IsOk());
  ASSERT_EQ(out.size(), 1u);
  EXPECT_EQ(out[0].peer_inode, 5u);
  EXPECT_EQ(out[0].path, "");
}

TEST(UnixDiagParserTest, NamesAreShownAsFalcoShowsThem) {
  EXPECT_EQ(UnixSocketName(std::string("\0bus\0tail", 9)), "@bus");
  EXPECT_EQ(UnixSocketName(std::string("\0", 1)), "@");
  EXPECT_EQ(UnixSocketName(std::string("/tmp/s\0\0\0", 9)), "/tmp/s");
  EXPECT_EQ(UnixSocketName("relative.sock"), "relative.sock");
  EXPECT_EQ(UnixSocketName("/tmp/\xff.sock"), "/tmp/\xEF\xBF\xBD.sock");
  EXPECT_EQ(UnixSocketName(""), "");
  // A name filling sun_path exactly (no NUL) is whole.
  const std::string longest = "/" + std::string(sizeof(sockaddr_un::sun_path) - 1, 'n');
  absl::StatusOr<SocketInfo> socket =
      ParseUnixDiagMessage(UnixMessage({Attribute(UNIX_DIAG_NAME, longest)}));
  ASSERT_THAT(socket, IsOk());
  EXPECT_EQ(socket->path, longest);
}

TEST(UnixDiagParserTest, MalformedMessagesAreErrorsNamingTheByte) {
  const auto invalid = [](const std::string& what) {
    return StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(what));
  };
  std::vector<uint8_t> message = UnixMessage({});
  EXPECT_THAT(ParseUnixDiagMessage(absl::MakeConstSpan(message).first(8)), invalid("truncated"));
  message[0] = AF_INET;
  EXPECT_THAT(ParseUnixDiagMessage(message), invalid("family 2, not AF_UNIX"));

  // An attribute header cut short, one shorter than its own header, one longer than the message.
  message = UnixMessage({});
  message.resize(message.size() + 3);
  EXPECT_THAT(ParseUnixDiagMessage(message), invalid("at byte 16: truncated attribute"));
  std::vector<uint8_t> attribute = Attribute(UNIX_DIAG_PEER, U32(1));
  attribute[0] = 2;  // nla_len below NLA_HDRLEN.
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({attribute})), invalid("attribute length 2"));
  attribute[0] = 200;
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({attribute})),
              invalid("at byte 16: attribute length 200 with 8 bytes left"));
  // Values of the wrong size.
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({Attribute(UNIX_DIAG_PEER, "ab")})),
              invalid("UNIX_DIAG_PEER of 2 bytes, not 4"));
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({Attribute(UNIX_DIAG_UID, U32(1) + "x")})),
              invalid("UNIX_DIAG_UID of 5 bytes"));
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({Attribute(UNIX_DIAG_ICONS, U32(1) + "ab")})),
              invalid("UNIX_DIAG_ICONS of 6 bytes, not a multiple of 4"));
  EXPECT_THAT(ParseUnixDiagMessage(UnixMessage({Attribute(UNIX_DIAG_NAME, std::string(109, 'x'))})),
              invalid("UNIX_DIAG_NAME of 109 bytes, longer than sun_path"));
  // The reply parser says where the message starts.
  std::vector<SocketInfo> out;
  EXPECT_THAT(ParseSockDiagReply(Reply(UnixMessage({Attribute(UNIX_DIAG_PEER, "ab")})), 0, 10, out),
              invalid("sock_diag reply at byte 0: unix_diag message at byte 16"));
  EXPECT_TRUE(out.empty());
}

TEST(UnixDiagParserTest, TheLastAttributeMayLackItsPadding) {
  std::vector<uint8_t> message = UnixMessage({Attribute(UNIX_DIAG_NAME, "/a")});
  message.resize(message.size() - 2);  // "/a" is 2 bytes, padded to 4.
  absl::StatusOr<SocketInfo> socket = ParseUnixDiagMessage(message);
  ASSERT_THAT(socket, IsOk());
  EXPECT_EQ(socket->path, "/a");
}

SocketInfo Unix(uint64_t inode, const std::string& path, uint64_t peer = 0, uint64_t netns = 1) {
  SocketInfo socket;
  socket.family = AF_UNIX;
  socket.type = SOCK_STREAM;
  socket.state = TCP_ESTABLISHED;
  socket.inode = inode;
  socket.cookie = inode + 1000;
  socket.path = path;
  socket.peer_inode = peer;
  socket.netns = netns;
  return socket;
}

TEST(SocketTableUnixTest, SocketsMissingFromTheNextDumpAreClosedWithTheirOwner) {
  SocketTable table;
  // A server's accepted end (named), its client (unnamed, peer 11) and an abstract listener.
  std::vector<const SocketInfo*> fresh =
      table.Update({Unix(11, "/run/app.sock", 12), Unix(12, "", 11), Unix(13, "@bus")});
  ASSERT_EQ(fresh.size(), 3u);
  EXPECT_EQ(table.Find(12)->path, "/run/app.sock");  // The client is named by its peer.
  EXPECT_THAT(table.closed_unix(), ::testing::IsEmpty());
  table.SetOwner(12, 40, 5);
  table.SetOwner(13, 41, 3);

  // The server closed its end: the client no longer has a peer but keeps its name.
  EXPECT_THAT(table.Update({Unix(12, ""), Unix(13, "@bus")}), ::testing::IsEmpty());
  ASSERT_EQ(table.closed_unix().size(), 1u);
  EXPECT_EQ(table.closed_unix()[0].inode, 11u);
  EXPECT_EQ(table.Find(12)->path, "/run/app.sock");

  // Then the client and the abstract listener close.
  EXPECT_THAT(table.Update({}), ::testing::IsEmpty());
  ASSERT_EQ(table.closed_unix().size(), 2u);
  const v1::Event client = SocketCloseEvent(table.closed_unix()[0], table);
  EXPECT_EQ(client.type(), v1::EVENT_TYPE_CLOSE);
  EXPECT_EQ(client.pid(), 40);
  EXPECT_EQ(client.fd().num(), 5);
  EXPECT_EQ(client.fd().type(), v1::FD_TYPE_UNIX);
  EXPECT_EQ(client.fd().family(), AF_UNIX);
  EXPECT_EQ(client.fd().name(), "/run/app.sock");
  EXPECT_EQ(client.fd().inode(), 12u);
  EXPECT_TRUE(client.socket_destroy().owner_known());
  EXPECT_EQ(client.socket_destroy().socket_type(), SOCK_STREAM);
  EXPECT_EQ(client.socket_destroy().cookie(), 1012u);
  EXPECT_EQ(client.socket_destroy().netns(), 1u);
  const v1::Event bus = SocketCloseEvent(table.closed_unix()[1], table);
  EXPECT_EQ(bus.pid(), 41);
  EXPECT_EQ(bus.fd().name(), "@bus");

  // One dump later the owners are forgotten.
  table.Update({});
  EXPECT_THAT(table.closed_unix(), ::testing::IsEmpty());
  EXPECT_EQ(table.Owner(12), nullptr);
  EXPECT_EQ(table.Owner(13), nullptr);
}

TEST(SocketTableUnixTest, AClientWaitingForAcceptIsNamedByItsListener) {
  SocketTable table;
  SocketInfo listener = Unix(11, "/run/app.sock");
  listener.state = TCP_LISTEN;
  listener.pending_clients = {12};
  table.Update({listener, Unix(12, ""), Unix(13, "")});
  EXPECT_EQ(table.Find(12)->path, "/run/app.sock");
  EXPECT_EQ(table.Find(13)->path, "");  // Not pending anywhere, no peer: a socketpair end, say.
}

TEST(SocketTableUnixTest, AReusedInodeIsAClosedSocketAndANewOne) {
  SocketTable table;
  table.Update({Unix(11, "/a")});
  SocketInfo reused = Unix(11, "/b");
  reused.cookie = 5;
  std::vector<const SocketInfo*> fresh = table.Update({reused});
  ASSERT_EQ(fresh.size(), 1u);
  EXPECT_EQ(fresh[0]->path, "/b");
  ASSERT_EQ(table.closed_unix().size(), 1u);
  EXPECT_EQ(table.closed_unix()[0].path, "/a");
}

TEST(SocketTableUnixTest, SocketsOfANamespaceThatWasNotDumpedAreKept) {
  SocketTable table;
  table.Update({Unix(11, "/host.sock", 0, 1), Unix(21, "@in-container", 0, 2)});
  table.SetOwner(21, 50, 4);
  // Namespace 2 could not be dumped this time: its socket is neither closed nor new.
  EXPECT_THAT(table.Update({Unix(11, "/host.sock", 0, 1)}, {2}), ::testing::IsEmpty());
  EXPECT_THAT(table.closed_unix(), ::testing::IsEmpty());
  ASSERT_NE(table.Find(21), nullptr);
  EXPECT_EQ(table.Find(21)->path, "@in-container");
  ASSERT_NE(table.Owner(21), nullptr);
  // A table full already forgets it instead of keeping it, and does not report it closed.
  SocketTable small(1);
  small.Update({Unix(11, "/host.sock", 0, 1), Unix(21, "@in-container", 0, 2)});
  small.Update({Unix(11, "/host.sock", 0, 1)}, {2});
  EXPECT_EQ(small.Find(21), nullptr);
  EXPECT_THAT(small.closed_unix(), ::testing::IsEmpty());
  // The next dump of namespace 2 lacks it: now it is closed.
  table.Update({Unix(11, "/host.sock", 0, 1)});
  ASSERT_EQ(table.closed_unix().size(), 1u);
  EXPECT_EQ(SocketCloseEvent(table.closed_unix()[0], table).pid(), 50);
}

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

// A Unix socket of `type` bound to `name` (a leading '\0' makes it abstract), or -1.
int BoundUnixSocket(int type, const std::string& name) {
  const int fd = socket(AF_UNIX, type | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, name.data(), name.size());
  const socklen_t length = static_cast<socklen_t>(offsetof(sockaddr_un, sun_path) + name.size());
  if (fd < 0 || bind(fd, reinterpret_cast<sockaddr*>(&address), length) != 0) return -1;
  if (type == SOCK_STREAM && listen(fd, 4) != 0) return -1;
  return fd;
}

// Real sockets: a path-bound stream listener with a connected client and its accepted end, a
// second client it has not accepted, an abstract datagram socket and a socketpair. The dump agrees
// with `ss -x` on names and inodes, the client is named by its peer, and once closed the next
// dump's diff lists them all.
TEST(UnixDiagDumpTest, DumpAgreesWithSsAndClosesShowInTheNextDump) {
  char dir_template[] = "/tmp/unix_diag_test.XXXXXX";
  ASSERT_NE(mkdtemp(dir_template), nullptr);
  const std::string path = absl::StrCat(dir_template, "/server.sock");
  const std::string abstract = absl::StrCat("bulwark-unix-diag-test-", getpid());
  const int listener = BoundUnixSocket(SOCK_STREAM, path);
  const int datagram = BoundUnixSocket(SOCK_DGRAM, std::string(1, '\0') + abstract);
  ASSERT_GE(listener, 0);
  ASSERT_GE(datagram, 0);
  const int client = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_un address{};
  address.sun_family = AF_UNIX;
  std::memcpy(address.sun_path, path.data(), path.size());
  ASSERT_EQ(connect(client, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  const int accepted = accept4(listener, nullptr, nullptr, SOCK_CLOEXEC);
  ASSERT_GE(accepted, 0);
  const int waiting = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);  // Never accepted.
  ASSERT_EQ(connect(waiting, reinterpret_cast<sockaddr*>(&address), sizeof(address)), 0);
  int pair[2];
  ASSERT_EQ(socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, pair), 0);

  absl::StatusOr<std::unique_ptr<SockDiag>> diag = SockDiag::Open();
  ASSERT_THAT(diag, IsOk());
  absl::StatusOr<std::vector<SocketInfo>> dump = (*diag)->Dump(10'000'000);
  ASSERT_THAT(dump, IsOk());
  SocketTable table;
  table.Update(*std::move(dump));
  struct Expected {
    int fd;
    int type;
    int state;
    std::string name;
    int peer_fd;  // -1: none; -2: a peer not listed (waiting for accept).
  };
  const std::vector<Expected> expected = {
      {listener, SOCK_STREAM, TCP_LISTEN, path, -1},
      {accepted, SOCK_STREAM, TCP_ESTABLISHED, path, client},
      {client, SOCK_STREAM, TCP_ESTABLISHED, path, accepted},  // Its peer's name.
      {waiting, SOCK_STREAM, TCP_ESTABLISHED, path, -2},       // Its listener's name.
      {datagram, SOCK_DGRAM, TCP_CLOSE, "@" + abstract, -1},
      {pair[0], SOCK_SEQPACKET, TCP_ESTABLISHED, "", pair[1]},
  };
  // ss prints "u_str LISTEN 0 4 /tmp/.../server.sock 1234 * 0" (netid state queues name inode
  // peer-name peer-inode); the client's own name is "*".
  const std::string ss = RunCommand("ss -xaH");
  for (const Expected& e : expected) {
    SCOPED_TRACE(e.name);
    const SocketInfo* socket = table.Find(InodeOf(e.fd));
    ASSERT_NE(socket, nullptr);
    EXPECT_EQ(socket->type, e.type);
    EXPECT_EQ(socket->state, e.state);
    EXPECT_EQ(socket->path, e.name);
    if (e.peer_fd != -2) {
      EXPECT_EQ(socket->peer_inode, e.peer_fd < 0 ? 0 : InodeOf(e.peer_fd));
    }
    EXPECT_EQ(socket->uid, geteuid());
    EXPECT_NE(socket->cookie, 0u);
    const std::string own_name = e.fd == client || e.fd == waiting || e.name.empty() ? "*" : e.name;
    EXPECT_THAT(ss, HasSubstr(absl::StrCat(" ", own_name, " ", socket->inode, " "))) << ss;
  }
  EXPECT_THAT(table.closed_unix(), ::testing::IsEmpty());

  EXPECT_THAT(table.Find(InodeOf(listener))->pending_clients,
              ::testing::ElementsAre(InodeOf(waiting)));
  for (int fd : {listener, datagram, client, accepted, waiting, pair[0], pair[1]}) close(fd);
  absl::StatusOr<std::vector<SocketInfo>> after = (*diag)->Dump(10'000'000);
  ASSERT_THAT(after, IsOk());
  table.Update(*std::move(after));
  for (const Expected& e : expected) {
    bool closed = false;
    for (const SocketInfo& socket : table.closed_unix()) {
      if (socket.path == e.name && socket.type == e.type && socket.state == e.state) closed = true;
    }
    EXPECT_TRUE(closed) << e.name;
  }
  unlink(path.c_str());
  rmdir(dir_template);
}

}  // namespace
}  // namespace bulwark::runtime::internal
