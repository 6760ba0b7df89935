// Decoding of process connector datagrams built here in the kernel's layout (cn_proc.h).
#include "bulwark/runtime/internal/proc_connector.h"

#include <linux/cn_proc.h>
#include <linux/connector.h>
#include <linux/netlink.h>

#include <cstring>
#include <vector>

#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime::internal {
namespace {

std::vector<uint8_t> Datagram(const proc_event& event) {
  std::vector<uint8_t> out(NLMSG_SPACE(sizeof(cn_msg) + sizeof(proc_event)));
  nlmsghdr header{};
  header.nlmsg_len = NLMSG_LENGTH(sizeof(cn_msg) + sizeof(proc_event));
  header.nlmsg_type = NLMSG_DONE;
  cn_msg message{};
  message.id.idx = CN_IDX_PROC;
  message.id.val = CN_VAL_PROC;
  message.len = sizeof(proc_event);
  std::memcpy(out.data(), &header, sizeof(header));
  std::memcpy(out.data() + NLMSG_HDRLEN, &message, sizeof(message));
  std::memcpy(out.data() + NLMSG_HDRLEN + sizeof(cn_msg), &event, sizeof(event));
  return out;
}

std::vector<ProcNotification> Decode(const std::vector<uint8_t>& datagram) {
  std::vector<ProcNotification> out;
  DecodeProcConnector(datagram, [&](const ProcNotification& n) { out.push_back(n); });
  return out;
}

TEST(ProcConnectorTest, DecodesEachKind) {
  proc_event fork{};
  fork.what = proc_event::PROC_EVENT_FORK;
  fork.timestamp_ns = 77;
  fork.event_data.fork = {.parent_pid = 10, .parent_tgid = 10, .child_pid = 11, .child_tgid = 11};
  std::vector<ProcNotification> n = Decode(Datagram(fork));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].kind, ProcNotification::Kind::kFork);
  EXPECT_EQ(n[0].monotonic_ns, 77u);
  EXPECT_EQ(n[0].tgid, 10);
  EXPECT_EQ(n[0].child_tgid, 11);

  proc_event ptrace{};
  ptrace.what = proc_event::PROC_EVENT_PTRACE;
  ptrace.event_data.ptrace = {
      .process_pid = 21, .process_tgid = 20, .tracer_pid = 31, .tracer_tgid = 30};
  n = Decode(Datagram(ptrace));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].kind, ProcNotification::Kind::kPtrace);
  EXPECT_EQ(n[0].pid, 31);
  EXPECT_EQ(n[0].tgid, 30);
  EXPECT_EQ(n[0].child_pid, 21);
  EXPECT_EQ(n[0].child_tgid, 20);

  proc_event uid{};
  uid.what = proc_event::PROC_EVENT_UID;
  uid.event_data.id.process_pid = 40;
  uid.event_data.id.process_tgid = 40;
  uid.event_data.id.r.ruid = 1000;
  uid.event_data.id.e.euid = 0;
  n = Decode(Datagram(uid));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].kind, ProcNotification::Kind::kUid);
  EXPECT_EQ(n[0].id1, 1000);
  EXPECT_EQ(n[0].id2, 0);

  proc_event exit{};
  exit.what = proc_event::PROC_EVENT_EXIT;
  exit.event_data.exit.process_pid = 50;
  exit.event_data.exit.process_tgid = 50;
  exit.event_data.exit.exit_code = 9;
  n = Decode(Datagram(exit));
  ASSERT_EQ(n.size(), 1u);
  EXPECT_EQ(n[0].kind, ProcNotification::Kind::kExit);
  EXPECT_EQ(n[0].tgid, 50);
  EXPECT_EQ(n[0].id1, 9);

  proc_event none{};
  none.what = proc_event::PROC_EVENT_NONE;
  EXPECT_TRUE(Decode(Datagram(none)).empty());
  std::vector<uint8_t> truncated = Datagram(fork);
  truncated.resize(truncated.size() / 2);
  EXPECT_TRUE(Decode(truncated).empty());
}

}  // namespace
}  // namespace bulwark::runtime::internal
