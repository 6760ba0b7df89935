// The file-descriptor table on its own, and through RuntimeState and the engine: events that
// name only a descriptor number get fd.* from what was opened, duplicated, connected earlier.
#include "bulwark/runtime/fd_table.h"

#include <fcntl.h>
#include <sys/socket.h>

#include <memory>
#include <string>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/state.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;

v1::FileDescriptor File(int64_t num, const std::string& path, bool cloexec = false) {
  v1::FileDescriptor fd;
  fd.set_num(num);
  fd.set_type(v1::FD_TYPE_FILE);
  fd.set_name(path);
  fd.set_close_on_exec(cloexec);
  return fd;
}

TEST(FdTableTest, OpenDupCloseForkExecExit) {
  FdTable table;
  table.Set(10, File(3, "/etc/passwd"));
  table.Set(10, File(4, "/tmp/x", /*cloexec=*/true));
  table.Duplicate(10, 3, 7, /*close_on_exec=*/false);
  ASSERT_NE(table.Find(10, 7), nullptr);
  EXPECT_EQ(table.Find(10, 7)->name(), "/etc/passwd");
  EXPECT_EQ(table.Find(10, 7)->num(), 7);
  table.CopyProcess(10, 11);
  EXPECT_EQ(table.size(), 6u);
  table.CloseOnExec(11);
  EXPECT_EQ(table.Find(11, 4), nullptr);
  EXPECT_NE(table.Find(10, 4), nullptr);
  table.Close(10, 3);
  EXPECT_EQ(table.Find(10, 3), nullptr);
  EXPECT_NE(table.Find(11, 3), nullptr);  // The child's copy stays open.
  // dup2 from a descriptor we never saw closes the target.
  table.Duplicate(11, 99, 7, false);
  EXPECT_EQ(table.Find(11, 7), nullptr);
  table.ForgetProcess(10);
  table.ForgetProcess(11);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.process_count(), 0u);
}

TEST(FdTableTest, ForkSharesUntilEitherChanges) {
  FdTable table;
  table.Set(10, File(3, "/a"));
  table.Set(10, File(4, "/b", /*cloexec=*/true));
  table.CopyProcess(10, 11);
  EXPECT_EQ(table.size(), 4u);
  EXPECT_EQ(table.process_count(), 2u);
  // A change through the child's mutable entry stays the child's.
  v1::FileDescriptor* child_fd = table.Find(11, 3);
  ASSERT_NE(child_fd, nullptr);
  child_fd->set_name("/changed");
  EXPECT_EQ(table.Find(10, 3)->name(), "/a");
  EXPECT_EQ(table.Find(11, 3)->name(), "/changed");
  // The parent's later open is not the child's.
  table.Set(10, File(5, "/c"));
  EXPECT_EQ(table.Find(11, 5), nullptr);
  table.CopyProcess(10, 12);
  table.CloseOnExec(12);
  EXPECT_EQ(table.Find(12, 4), nullptr);
  EXPECT_NE(table.Find(10, 4), nullptr);
  table.Close(12, 3);
  EXPECT_NE(table.Find(10, 3), nullptr);
  EXPECT_EQ(table.size(), 3u + 2u + 1u);
  // The parent's exit leaves the children their descriptors.
  table.ForgetProcess(10);
  ASSERT_NE(table.Find(12, 5), nullptr);
  EXPECT_EQ(table.Find(12, 5)->name(), "/c");
  EXPECT_EQ(table.Find(11, 4)->name(), "/b");
  EXPECT_EQ(table.size(), 3u);
  table.ForgetProcess(11);
  table.ForgetProcess(12);
  EXPECT_EQ(table.size(), 0u);
  EXPECT_EQ(table.process_count(), 0u);
}

TEST(FdTableTest, CopiesShareNothing) {
  FdTable table;
  table.Set(10, File(3, "/a"));
  table.CopyProcess(10, 11);
  FdTable copy = table;
  EXPECT_EQ(copy.size(), 2u);
  copy.Find(10, 3)->set_name("/copy");
  copy.Set(11, File(4, "/b"));
  EXPECT_EQ(table.Find(10, 3)->name(), "/a");
  EXPECT_EQ(table.Find(11, 3)->name(), "/a");
  EXPECT_EQ(table.Find(11, 4), nullptr);
  EXPECT_EQ(copy.Find(11, 3)->name(), "/a");  // The copy of the child is its own.
  table = copy;
  EXPECT_EQ(table.Find(10, 3)->name(), "/copy");
  EXPECT_EQ(table.size(), 3u);
}

TEST(FdTableTest, CapsAreEnforcedAndCounted) {
  FdTable table({.max_fds = 5, .max_fds_per_process = 3});
  for (int i = 0; i < 4; ++i) table.Set(1, File(i, "/f"));
  EXPECT_EQ(table.size(), 3u);
  EXPECT_EQ(table.dropped(), 1u);
  table.Set(2, File(0, "/g"));
  table.Set(2, File(1, "/g"));
  table.Set(2, File(2, "/g"));  // Over max_fds.
  EXPECT_EQ(table.size(), 5u);
  table.CopyProcess(1, 3);  // Would exceed max_fds: not copied.
  EXPECT_EQ(table.Find(3, 0), nullptr);
  EXPECT_EQ(table.dropped(), 5u);
  EXPECT_EQ(table.Set(1, File(-1, "/bad")), nullptr);
}

TEST(FdTableTest, StateTableIsCappedByLimits) {
  StateOptions options;
  options.limits.max_entries = 2;
  RuntimeState state(options);
  for (int i = 0; i < 5; ++i) {
    v1::Event open;
    open.set_type(v1::EVENT_TYPE_OPENAT);
    open.set_pid(100);
    open.set_result(3 + i);
    open.mutable_file()->set_path("/tmp/f");
    state.Apply(open);
    state.FinishEvent();
  }
  EXPECT_EQ(state.fds().size(), 2u);
  EXPECT_EQ(state.fds().dropped(), 3u);
}

constexpr char kRules[] = R"(
- rule: Write to etc
  desc: t
  condition: evt.type = write and fd.directory = /etc
  output: "write %fd.name fd=%fd.num type=%fd.type"
  priority: WARNING
- rule: Outbound via sendto
  desc: t
  condition: evt.type = sendto and fd.sip = 203.0.113.9 and fd.l4proto = udp
  output: "send %fd.name to %fd.sip:%fd.sport"
  priority: NOTICE
- rule: Closing a socket
  desc: t
  condition: evt.type = close and fd.type = ipv4
  output: "close %fd.num"
  priority: NOTICE
- rule: Host mount namespace in container
  desc: t
  condition: evt.type = execve and container.id != host and proc.ns_is_host[mnt] = true
  output: "%proc.name in host mnt ns %proc.ns[mnt]"
  priority: CRITICAL
)";

class EngineFdTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::unique_ptr<const RuleSet>> rules =
        RuleSet::LoadContents({{"fd.yaml", kRules}});
    ASSERT_THAT(rules, IsOk());
    rules_ = *std::move(rules);
    EngineOptions options;
    options.matching = EngineOptions::Matching::kAll;
    engine_ = std::make_unique<Engine>(*rules_, options);
  }
  std::vector<std::string> Outputs(const v1::Event& event) {
    std::vector<std::string> outputs;
    for (const v1::Alert& alert : engine_->Process(event)) outputs.push_back(alert.output());
    return outputs;
  }
  static v1::Event Event(v1::EventType type, int64_t pid, int64_t result) {
    v1::Event event;
    event.set_type(type);
    event.set_pid(pid);
    event.set_tid(pid);
    event.set_result(result);
    return event;
  }

  // An exec of sh by `pid` in a docker container.
  static v1::Event ContainerExec(int64_t pid) {
    v1::Event exec = Event(v1::EVENT_TYPE_EXECVE, pid, 0);
    exec.mutable_process()->set_name("sh");
    exec.mutable_process()->add_cgroups(
        "0::/system.slice/"
        "docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope");
    return exec;
  }

  std::unique_ptr<const RuleSet> rules_;
  std::unique_ptr<Engine> engine_;
};

TEST_F(EngineFdTest, WriteNamesTheFileOpenedEarlierRelativeToCwd) {
  v1::Event exec = Event(v1::EVENT_TYPE_EXECVE, 50, 0);
  exec.mutable_process()->set_name("sh");
  exec.mutable_process()->set_exepath("/bin/sh");
  exec.mutable_process()->set_cwd("/etc");
  EXPECT_THAT(Outputs(exec), ::testing::IsEmpty());
  v1::Event open = Event(v1::EVENT_TYPE_OPENAT, 50, 5);
  open.mutable_file()->set_path("shadow");
  open.mutable_file()->set_dirfd(AT_FDCWD);
  open.mutable_file()->set_flags(O_WRONLY);
  EXPECT_THAT(Outputs(open), ::testing::IsEmpty());
  v1::Event write = Event(v1::EVENT_TYPE_WRITE, 50, 10);
  write.mutable_file()->set_fd(5);
  EXPECT_THAT(Outputs(write), ::testing::ElementsAre("write /etc/shadow fd=5 type=file"));
  // dup2(5, 9): writes through 9 name the same file; after close(5) too.
  v1::Event dup = Event(v1::EVENT_TYPE_DUP2, 50, 9);
  dup.mutable_file()->set_fd(5);
  Outputs(dup);
  v1::Event close = Event(v1::EVENT_TYPE_CLOSE, 50, 0);
  close.mutable_file()->set_fd(5);
  Outputs(close);
  write.mutable_file()->set_fd(9);
  EXPECT_THAT(Outputs(write), ::testing::ElementsAre("write /etc/shadow fd=9 type=file"));
  write.mutable_file()->set_fd(5);
  EXPECT_THAT(Outputs(write), ::testing::IsEmpty());
  // A forked child inherits the descriptors; the process's exit forgets them.
  v1::Event fork = Event(v1::EVENT_TYPE_CLONE, 50, 51);
  Outputs(fork);
  v1::Event child_write = Event(v1::EVENT_TYPE_WRITE, 51, 1);
  child_write.mutable_file()->set_fd(9);
  EXPECT_THAT(Outputs(child_write), ::testing::ElementsAre("write /etc/shadow fd=9 type=file"));
  Outputs(Event(v1::EVENT_TYPE_PROCEXIT, 51, 0));
  EXPECT_THAT(Outputs(child_write), ::testing::IsEmpty());
}

TEST_F(EngineFdTest, SocketTupleFromSocketAndConnectReachesLaterCalls) {
  v1::Event socket = Event(v1::EVENT_TYPE_SOCKET, 60, 4);
  socket.mutable_socket()->set_domain(AF_INET);
  socket.mutable_socket()->set_type(SOCK_DGRAM);
  Outputs(socket);
  v1::Event connect = Event(v1::EVENT_TYPE_CONNECT, 60, 0);
  connect.mutable_fd()->set_num(4);
  connect.mutable_fd()->set_client_ip("10.0.0.2");
  connect.mutable_fd()->set_client_port(40000);
  connect.mutable_fd()->set_server_ip("203.0.113.9");
  connect.mutable_fd()->set_server_port(53);
  Outputs(connect);
  v1::Event send = Event(v1::EVENT_TYPE_SENDTO, 60, 32);
  send.mutable_fd()->set_num(4);
  EXPECT_THAT(Outputs(send),
              ::testing::ElementsAre("send 10.0.0.2:40000->203.0.113.9:53 to 203.0.113.9:53"));
  v1::Event close = Event(v1::EVENT_TYPE_CLOSE, 60, 0);
  close.mutable_fd()->set_num(4);
  EXPECT_THAT(Outputs(close), ::testing::ElementsAre("close 4"));  // Rules see it before it goes.
  EXPECT_THAT(Outputs(send), ::testing::IsEmpty());
}

TEST_F(EngineFdTest, SnapshotDescriptorsReplaceTheProcessTable) {
  v1::Event snapshot = Event(v1::EVENT_TYPE_UNSPECIFIED, 70, 0);
  snapshot.mutable_process()->set_name("nginx");
  *snapshot.add_open_fds() = File(12, "/etc/nginx/nginx.conf");
  Outputs(snapshot);
  v1::Event write = Event(v1::EVENT_TYPE_WRITE, 70, 1);
  write.mutable_file()->set_fd(12);
  EXPECT_THAT(Outputs(write), ::testing::IsEmpty());  // /etc/nginx, not /etc
  *snapshot.add_open_fds() = File(13, "/etc/hosts");
  Outputs(snapshot);
  write.mutable_file()->set_fd(13);
  EXPECT_THAT(Outputs(write), ::testing::ElementsAre("write /etc/hosts fd=13 type=file"));
}

TEST_F(EngineFdTest, ProcessInHostMountNamespace) {
  v1::Event init = Event(v1::EVENT_TYPE_UNSPECIFIED, 1, 0);
  init.mutable_process()->set_name("systemd");
  init.mutable_process()->set_vpid(1);
  init.mutable_process()->mutable_namespaces()->set_mnt(4026531841);
  init.mutable_process()->mutable_namespaces()->set_pid(4026531836);
  Outputs(init);
  v1::Event exec = ContainerExec(80);
  exec.mutable_process()->mutable_namespaces()->set_mnt(4026532555);
  EXPECT_THAT(Outputs(exec), ::testing::IsEmpty());
  // nsenter --target 1 --mount sh: the container process now runs in the host's mount namespace.
  exec.mutable_process()->mutable_namespaces()->set_mnt(4026531841);
  EXPECT_THAT(Outputs(exec), ::testing::ElementsAre("sh in host mnt ns 4026531841"));
}

TEST_F(EngineFdTest, HostNamespacesFromSourceMarks) {
  v1::Event exec = ContainerExec(81);
  v1::Namespaces* ns = exec.mutable_process()->mutable_namespaces();
  ns->set_mnt(4026531840);
  ns->add_host_kinds("mnt");
  EXPECT_THAT(Outputs(exec), ::testing::ElementsAre("sh in host mnt ns 4026531840"));
}

TEST(NamespaceFieldTest, UnknownKindIsALoadError) {
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::LoadContents({{"ns.yaml", R"(
- rule: r
  desc: t
  condition: evt.type = execve and proc.ns[mount] = 1
  output: o
  priority: INFO
)"}});
  ASSERT_FALSE(rules.ok());
  EXPECT_THAT(rules.status().message(), ::testing::HasSubstr("needs a namespace kind"));
}

}  // namespace
}  // namespace bulwark::runtime
