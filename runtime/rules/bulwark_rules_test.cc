// Each built-in rule fires on its positive event and stays quiet on its negative one. Events are
// JSON Lines of bulwark.runtime.v1.Event after a prelude announcing the processes:
//   pid 100: sh in a docker container, uid 1000, on a terminal
//   pid 200: bash on the host, uid 1000
//   pid 300: nginx in the same container, uid 0
#include <set>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/event_source.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;

constexpr char kPrelude[] = R"(
{"pid":100,"process":{"pid":100,"ppid":90,"name":"sh","exepath":"/bin/sh","uid":1000,"tty":34816,"capEffective":"0","cgroups":["0::/system.slice/docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope"]}}
{"pid":200,"process":{"pid":200,"ppid":1,"name":"bash","exepath":"/bin/bash","uid":1000,"tty":34817}}
{"pid":300,"process":{"pid":300,"ppid":90,"name":"nginx","exepath":"/usr/sbin/nginx","uid":0,"cgroups":["0::/system.slice/docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope"]}}
)";

struct Case {
  const char* rule;
  const char* positive;
  const char* negative;
};

// O_WRONLY=1, O_RDWR=2, O_CREAT=64, O_TRUNC=512. S_ISUID=2048. AF_NETLINK=16, AF_PACKET=17.
const Case kCases[] =
    {
        {"Container Runtime Binary Overwrite",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/proc/self/exe","flags":577},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/17/exe"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/proc/self/exe","flags":0},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/17/exe"}})"},
        {"Host Access Through Proc",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/proc/1/root/etc/shadow"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/1/root/etc/shadow"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/proc/self/status"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/self/status"}})"},
        {"Host Access Through Proc",
         R"({"type":"EVENT_TYPE_SETNS","pid":100,"namespaceOp":{"fd":3,"path":"/proc/1/ns/mnt"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/1/ns/mnt"}})",
         R"({"type":"EVENT_TYPE_SETNS","pid":200,"namespaceOp":{"fd":3},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/proc/1/ns/mnt"}})"},
        {"Mount From Container",
         R"({"type":"EVENT_TYPE_MOUNT","pid":100,"result":-1,"mount":{"source":"/dev/sda1","target":"/mnt","fstype":"ext4"}})",
         R"({"type":"EVENT_TYPE_MOUNT","pid":200,"mount":{"source":"/dev/sda1","target":"/mnt","fstype":"ext4"}})"},
        {"Namespace Change From Container",
         R"({"type":"EVENT_TYPE_UNSHARE","pid":100,"namespaceOp":{"flags":"268435456"}})",
         R"({"type":"EVENT_TYPE_UNSHARE","pid":200,"namespaceOp":{"flags":"268435456"}})"},
        {"Container Process In Host Mount Namespace",
         R"({"pid":1,"process":{"pid":1,"name":"systemd","namespaces":{"mnt":"4026531841"}}}
{"type":"EVENT_TYPE_EXECVE","pid":100,"process":{"pid":100,"name":"sh","exepath":"/bin/sh","cgroups":["0::/system.slice/docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope"],"namespaces":{"mnt":"4026531841"}}})",
         R"({"pid":1,"process":{"pid":1,"name":"systemd","namespaces":{"mnt":"4026531841"}}}
{"type":"EVENT_TYPE_EXECVE","pid":100,"process":{"pid":100,"name":"sh","exepath":"/bin/sh","cgroups":["0::/system.slice/docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope"],"namespaces":{"mnt":"4026532555"}}})"},
        {"Container Runtime Socket Access",
         R"({"type":"EVENT_TYPE_CONNECT","pid":100,"fd":{"num":4,"type":"FD_TYPE_UNIX","name":"/var/run/docker.sock"}})",
         R"({"type":"EVENT_TYPE_CONNECT","pid":100,"fd":{"num":4,"type":"FD_TYPE_UNIX","name":"/tmp/app.sock"}})"},
        {"Cgroup Release Agent Write",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/tmp/cg/release_agent","flags":1},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/tmp/cg/release_agent"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":100,"result":3,"file":{"path":"/tmp/cg/release_agent","flags":0},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/tmp/cg/release_agent"}})"},
        {"Kernel Module Load", R"({"type":"EVENT_TYPE_FINIT_MODULE","pid":200,"module":{"fd":3}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/lib/modules/x.ko"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/lib/modules/x.ko"}})"},
        {"Setuid To Root From Non-Root",
         R"({"type":"EVENT_TYPE_SETUID","pid":200,"credentials":{"uid":0}})",
         R"({"type":"EVENT_TYPE_SETUID","pid":300,"credentials":{"uid":0}})"},
        {"Capability Gain",
         R"({"type":"EVENT_TYPE_CAPSET","pid":100,"credentials":{"capEffective":"2097152"}})",
         R"({"type":"EVENT_TYPE_CAPSET","pid":100,"credentials":{"capEffective":"1024"}})"},
        {"Setuid Or Setgid Bit Set",
         R"({"type":"EVENT_TYPE_CHMOD","pid":200,"file":{"path":"/tmp/rootshell","mode":3565}})",
         R"({"type":"EVENT_TYPE_CHMOD","pid":200,"file":{"path":"/tmp/script","mode":493}})"},
        {"Account File Modified",
         R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/etc/passwd","flags":1025},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/etc/passwd"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/etc/passwd","flags":0},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/etc/passwd"}})"},
        {"Sudo Or Pkexec In Container",
         R"({"type":"EVENT_TYPE_EXECVE","pid":100,"exec":{"filename":"/usr/bin/sudo","args":["id"]}})",
         R"({"type":"EVENT_TYPE_EXECVE","pid":200,"exec":{"filename":"/usr/bin/sudo","args":["id"]}})"},
        {"Interactive Shell In Container",
         R"({"type":"EVENT_TYPE_EXECVE","pid":100,"exec":{"filename":"/bin/bash"}})",
         R"({"type":"EVENT_TYPE_EXECVE","pid":300,"exec":{"filename":"/bin/bash"}})"},
        {"Reverse Shell",
         R"({"type":"EVENT_TYPE_DUP2","pid":100,"result":0,"fd":{"num":3,"type":"FD_TYPE_IPV4","clientIp":"172.17.0.2","clientPort":40000,"serverIp":"203.0.113.7","serverPort":4444}})",
         R"({"type":"EVENT_TYPE_DUP2","pid":100,"result":0,"fd":{"num":3,"type":"FD_TYPE_PIPE"}})"},
        {"Sensitive File Read By Unexpected Process",
         R"({"type":"EVENT_TYPE_OPENAT","pid":300,"result":3,"file":{"path":"/var/run/secrets/kubernetes.io/serviceaccount/token"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/var/run/secrets/kubernetes.io/serviceaccount/token"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":300,"result":3,"file":{"path":"/etc/nginx/nginx.conf"},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/etc/nginx/nginx.conf"}})"},
        {"Packet Socket In Container",
         R"({"type":"EVENT_TYPE_SOCKET","pid":100,"result":3,"socket":{"domain":17,"type":3}})",
         R"({"type":"EVENT_TYPE_SOCKET","pid":100,"result":3,"socket":{"domain":2,"type":1}})"},
        {"Netlink Socket In Container",
         R"({"type":"EVENT_TYPE_SOCKET","pid":100,"result":3,"socket":{"domain":16,"type":3}})",
         R"({"type":"EVENT_TYPE_SOCKET","pid":200,"result":3,"socket":{"domain":16,"type":3}})"},
        {"Kernel Tracing Syscall From Container",
         R"({"type":"EVENT_TYPE_PERF_EVENT_OPEN","pid":100,"result":-1,"perfEventOpen":{"type":1}})",
         R"({"type":"EVENT_TYPE_PERF_EVENT_OPEN","pid":200,"perfEventOpen":{"type":1}})"},
        {"Kernel Tracing Syscall From Container",
         R"({"type":"EVENT_TYPE_BPF","pid":100,"bpf":{"cmd":5}})",
         R"({"type":"EVENT_TYPE_BPF","pid":200,"bpf":{"cmd":5}})"},
        {"Userfaultfd From Container", R"({"type":"EVENT_TYPE_USERFAULTFD","pid":100,"result":3})",
         R"({"type":"EVENT_TYPE_USERFAULTFD","pid":200,"result":3})"},
        {"Fileless Execution",
         R"({"type":"EVENT_TYPE_EXECVE","pid":100,"process":{"pid":100,"name":"x","exepath":"memfd:x","exeFromMemfd":true}})",
         R"({"type":"EVENT_TYPE_EXECVE","pid":100,"process":{"pid":100,"name":"x","exepath":"/usr/bin/x"}})"},
        {"Ptrace Attach From Container",
         R"({"type":"EVENT_TYPE_PTRACE","pid":100,"ptrace":{"request":16,"targetPid":300}})",
         R"({"type":"EVENT_TYPE_PTRACE","pid":100,"ptrace":{"request":0}})"},
        {"Crypto Miner",
         R"({"type":"EVENT_TYPE_EXECVE","pid":300,"exec":{"filename":"/tmp/xmrig","args":["-o","pool:443"]}})",
         R"({"type":"EVENT_TYPE_EXECVE","pid":300,"exec":{"filename":"/usr/bin/curl","args":["https://example.com"]}})"},
        {"Crypto Miner",
         R"({"type":"EVENT_TYPE_CONNECT","pid":300,"fd":{"num":5,"type":"FD_TYPE_IPV4","clientIp":"172.17.0.2","clientPort":40000,"serverIp":"198.51.100.9","serverPort":3333}})",
         R"({"type":"EVENT_TYPE_CONNECT","pid":300,"fd":{"num":5,"type":"FD_TYPE_IPV4","clientIp":"172.17.0.2","clientPort":40000,"serverIp":"198.51.100.9","serverPort":443}})"},
        {"Package Manager In Container",
         R"({"type":"EVENT_TYPE_EXECVE","pid":100,"exec":{"filename":"/usr/bin/apt-get","args":["install","nmap"]}})",
         R"({"type":"EVENT_TYPE_EXECVE","pid":200,"exec":{"filename":"/usr/bin/apt-get","args":["install","nmap"]}})"},
        {"Write Below Binary Directory",
         R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/usr/bin/ls","flags":577},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/usr/bin/ls"}})", R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/usr/bin/ls","flags":0},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/usr/bin/ls"}})"},
        {"Write Below Etc In Container",
         R"({"type":"EVENT_TYPE_OPENAT","pid":300,"result":3,"file":{"path":"/etc/ld.so.preload","flags":65},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/etc/ld.so.preload"}})",
         R"({"type":"EVENT_TYPE_OPENAT","pid":200,"result":3,"file":{"path":"/etc/ld.so.preload","flags":65},"fd":{"num":3,"type":"FD_TYPE_FILE","name":"/etc/ld.so.preload"}})"},
        {"Outbound Connection From Shell Or Netcat In Container",
         R"({"type":"EVENT_TYPE_CONNECT","pid":100,"fd":{"num":5,"type":"FD_TYPE_IPV4","clientIp":"172.17.0.2","clientPort":40000,"serverIp":"203.0.113.7","serverPort":443}})",
         R"({"type":"EVENT_TYPE_CONNECT","pid":100,"fd":{"num":5,"type":"FD_TYPE_IPV4","clientIp":"172.17.0.2","clientPort":40000,"serverIp":"10.0.0.8","serverPort":443}})"},
};

std::set<std::string> RulesFiring(const RuleSet& rules, const std::string& line) {
  Engine engine(rules, EngineOptions{.matching = EngineOptions::Matching::kAll});
  std::set<std::string> fired;
  std::string text = absl::StrCat(kPrelude, line, "\n");
  absl::Status status = ReadEventLines(text, "case", {}, [&](v1::Event&& event) {
    fired.clear();
    for (const v1::Alert& alert : engine.Process(event)) fired.insert(alert.rule());
    return absl::OkStatus();
  });
  EXPECT_THAT(status, IsOk()) << line;
  return fired;
}

class BulwarkRulesTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rules = RuleSet::Load({"runtime/rules/bulwark_rules.yaml"});
    ASSERT_THAT(rules, IsOk());
    rules_ = *std::move(rules);
  }
  std::unique_ptr<const RuleSet> rules_;
};

TEST_F(BulwarkRulesTest, LoadsWithoutWarnings) {
  for (const LoadMessage& warning : rules_->warnings()) ADD_FAILURE() << warning.ToString();
  EXPECT_EQ(rules_->enabled_rule_count(), rules_->rules().size());
}

TEST_F(BulwarkRulesTest, EachRuleHasPositiveAndNegativeCases) {
  std::set<std::string> tested;
  for (const Case& c : kCases) {
    SCOPED_TRACE(c.rule);
    tested.insert(c.rule);
    EXPECT_THAT(RulesFiring(*rules_, c.positive), ::testing::Contains(c.rule)) << c.positive;
    EXPECT_THAT(RulesFiring(*rules_, c.negative), ::testing::Not(::testing::Contains(c.rule)))
        << c.negative;
  }
  for (const RuleDefinition& rule : rules_->rules()) {
    EXPECT_TRUE(tested.contains(rule.name)) << "no test case for " << rule.name;
  }
}

}  // namespace
}  // namespace bulwark::runtime
