// The condition language, fields and loader semantics, on hand-built events.
#include <fcntl.h>
#include <fnmatch.h>

#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

std::string RuleYaml(absl::string_view condition, absl::string_view output = "o",
                     absl::string_view prelude = "") {
  return absl::StrCat(prelude, "- rule: r\n  desc: d\n  condition: |\n    ", condition,
                      "\n  output: \"", output, "\"\n  priority: INFO\n");
}

absl::StatusOr<std::unique_ptr<const RuleSet>> Rules(absl::string_view yaml) {
  return RuleSet::LoadContents({RulesContent{"test.yaml", std::string(yaml)}});
}

// A shell in a container whose parent chain is containerd-shim -> runc -> bash.
std::vector<v1::Event> ContainerShell() {
  std::vector<v1::Event> events;
  auto announce = [&events](int64_t pid, int64_t ppid, const char* name, const char* exepath) {
    v1::Event e;
    e.set_pid(pid);
    v1::Process* p = e.mutable_process();
    p->set_pid(pid);
    p->set_ppid(ppid);
    p->set_name(name);
    p->set_exe(exepath);
    p->set_exepath(exepath);
    p->add_cgroups(
        "0::/system.slice/"
        "docker-4f0c5dd16e5bb3f2e0c1d3ddd8c0b6f5a43bcb7b0d0d5f8b8e1a2c3d4e5f6a7b.scope");
    p->set_cap_permitted((uint64_t{1} << 21) | (uint64_t{1} << 12));  // SYS_ADMIN, NET_ADMIN
    events.push_back(e);
  };
  announce(10, 1, "containerd-shim", "/usr/bin/containerd-shim");
  announce(20, 10, "runc", "/usr/bin/runc");
  announce(30, 20, "bash", "/bin/bash");
  return events;
}

v1::Event Exec(int64_t pid, const char* path, std::vector<std::string> args) {
  v1::Event e;
  e.set_type(v1::EVENT_TYPE_EXECVE);
  e.set_pid(pid);
  e.mutable_exec()->set_filename(path);
  for (const std::string& a : args) e.mutable_exec()->add_args(a);
  return e;
}

v1::Event Clone(int64_t parent, int64_t child) {
  v1::Event e;
  e.set_type(v1::EVENT_TYPE_CLONE);
  e.set_pid(parent);
  e.set_result(child);
  return e;
}

v1::Event Open(int64_t pid, const char* path, uint32_t flags) {
  v1::Event e;
  e.set_type(v1::EVENT_TYPE_OPENAT);
  e.set_pid(pid);
  e.set_result(3);
  e.mutable_file()->set_path(path);
  e.mutable_file()->set_flags(flags);
  e.mutable_fd()->set_num(3);
  e.mutable_fd()->set_type(v1::FD_TYPE_FILE);
  e.mutable_fd()->set_name(path);
  return e;
}

v1::Event Connect(int64_t pid, const char* ip, uint32_t port) {
  v1::Event e;
  e.set_type(v1::EVENT_TYPE_CONNECT);
  e.set_pid(pid);
  v1::FileDescriptor* fd = e.mutable_fd();
  fd->set_num(4);
  fd->set_type(v1::FD_TYPE_IPV4);
  fd->set_l4proto("tcp");
  fd->set_client_ip("172.17.0.2");
  fd->set_client_port(40000);
  fd->set_server_ip(ip);
  fd->set_server_port(port);
  fd->set_connected(true);
  return e;
}

// Runs the setup, a bash->curl exec (pid 40), then `event`; returns the alerts of `event`.
std::vector<v1::Alert> Replay(const RuleSet& rules, const v1::Event& event) {
  Engine engine(rules);
  for (const v1::Event& e : ContainerShell()) engine.Process(e);
  engine.Process(Clone(30, 40));
  engine.Process(Exec(40, "/usr/bin/curl", {"-s", "http://example.com"}));
  return engine.Process(event);
}

bool Fires(absl::string_view condition, const v1::Event& event, absl::string_view prelude = "") {
  auto rules = Rules(RuleYaml(condition, "o", prelude));
  EXPECT_THAT(rules, IsOk()) << condition;
  if (!rules.ok()) return false;
  return !Replay(**rules, event).empty();
}

TEST(ConditionTest, Operators) {
  const v1::Event open = Open(40, "/etc/shadow", 0);
  EXPECT_TRUE(Fires("fd.name = /etc/shadow", open));
  EXPECT_TRUE(Fires("fd.name == /etc/shadow", open));
  EXPECT_FALSE(Fires("fd.name != /etc/shadow", open));
  EXPECT_TRUE(Fires("fd.name contains sha", open));
  EXPECT_TRUE(Fires("fd.name icontains SHA", open));
  EXPECT_FALSE(Fires("fd.name contains SHA", open));
  EXPECT_TRUE(Fires("fd.name startswith /etc/", open));
  EXPECT_TRUE(Fires("fd.name endswith dow", open));
  EXPECT_TRUE(Fires("fd.name glob '/etc/sh*'", open));
  EXPECT_FALSE(Fires("fd.name glob '/etc/SH*'", open));
  EXPECT_TRUE(Fires("fd.name iglob '/etc/SH*'", open));
  EXPECT_TRUE(Fires("fd.name pmatch (/etc, /usr)", open));
  EXPECT_FALSE(Fires("fd.name pmatch (/et)", open));
  EXPECT_TRUE(Fires("fd.name in (/etc/passwd, /etc/shadow)", open));
  EXPECT_FALSE(Fires("fd.name in (/etc/passwd)", open));
  EXPECT_TRUE(Fires("fd.name regex '/etc/s[a-z]+'", open));
  EXPECT_FALSE(Fires("fd.name regex 'etc'", open));  // RE2 full match.
  EXPECT_TRUE(Fires("fd.name exists", open));
  EXPECT_FALSE(Fires("fd.sip exists", open));
  EXPECT_TRUE(Fires("fd.name bcontains 736861", open));      // "sha"
  EXPECT_TRUE(Fires("fd.name bstartswith 2f657463", open));  // "/etc"
  EXPECT_TRUE(Fires("fd.num >= 3 and fd.num <= 3 and fd.num > 2 and fd.num < 4", open));
  EXPECT_TRUE(Fires("proc.aname intersects (runc, sshd)", open));
  EXPECT_TRUE(Fires("not (fd.name = /etc/passwd or fd.name = /tmp/x) and evt.type = openat", open));
}

// `or` over one field is evaluated as one merged comparison, and globs are prefiltered by their
// literal head and tail: each must still decide exactly as the separate comparisons would.
TEST(ConditionTest, MergedAlternativesAndGlobPrefilter) {
  const v1::Event open = Open(40, "/etc/shadow", 0);
  EXPECT_TRUE(Fires("fd.name startswith /usr or fd.name glob '/etc/*dow'", open));
  EXPECT_TRUE(Fires("fd.name = /x or fd.name in (/etc/shadow) or proc.name = nobody", open));
  EXPECT_TRUE(Fires("fd.name contains nope or fd.name endswith adow", open));
  EXPECT_FALSE(Fires("fd.name startswith /usr or fd.name glob '/etc/*x' or fd.name = /etc", open));
  EXPECT_FALSE(Fires("fd.name pmatch (/et) or fd.name glob '/etc/shadow?'", open));
  EXPECT_TRUE(Fires("fd.name glob '*' and fd.name glob '*shadow' and fd.name glob '/etc/*'", open));
  EXPECT_TRUE(Fires("fd.name glob '/etc/[rs]hadow'", open));
  EXPECT_FALSE(Fires("fd.name glob '/etc/[rt]hadow' or fd.name glob '/etc/sha?'", open));
  EXPECT_TRUE(Fires("fd.name iglob '/ETC/SH*' or fd.name icontains SHADOW", open));
  // Multi-valued: any ancestor (runc, containerd-shim, bash) matching any alternative.
  EXPECT_TRUE(Fires("proc.aname startswith containerd or proc.aname = nobody", open));
  EXPECT_FALSE(Fires("proc.aname startswith dockerd or proc.aname = nobody", open));
  // Different fields are not merged; `not` over a merged `or` stays exact.
  EXPECT_TRUE(Fires("not (fd.name startswith /usr or fd.name = /tmp) and proc.name = curl", open));
  EXPECT_FALSE(Fires("not (fd.name startswith /usr or fd.name = /etc/shadow)", open));
}

// Globs whose only wildcard is `*` are matched piece by piece without fnmatch; fnmatch(3) with no
// flags (what Falco's glob is) is the reference for every pattern and path pair.
TEST(ConditionTest, StarGlobsDecideAsFnmatch) {
  const char* const patterns[] = {"*",
                                  "**",
                                  "/etc/*",
                                  "*shadow",
                                  "/proc/*/environ",
                                  "/home/*/.ssh/*",
                                  "*/.aws/credentials",
                                  "/a*b*c",
                                  "/a*bc*bc",
                                  "*.*",
                                  "/etc/shadow",
                                  "/x*y*",
                                  "a*a*a"};
  const char* const paths[] = {"/etc/shadow",
                               "/proc/1/environ",
                               "/proc/1/2/environ",
                               "/proc/environ",
                               "/home/app/.ssh/id_rsa",
                               "/home/.ssh/",
                               "/root/.aws/credentials",
                               "/abc",
                               "/abcbc",
                               "/abcbcx",
                               "/abbc",
                               "/xyy",
                               "aa",
                               "aaa",
                               "/"};
  for (const char* pattern : patterns) {
    for (const char* path : paths) {
      const bool expected = fnmatch(pattern, path, 0) == 0;
      EXPECT_EQ(Fires(absl::StrCat("fd.name glob '", pattern, "'"), Open(40, path, 0)), expected)
          << pattern << " vs " << path;
    }
  }
}

// `contains` decides as std::string::find does, including needles whose first characters recur
// in the value, needles at either end, and needles as long as the value.
TEST(ConditionTest, ContainsDecidesAsFind) {
  const char* const needles[] = {"/", "//", "../", "/.ssh/", "id_rsa", "aab", "x", "/a/b/../c"};
  const char* const paths[] = {
      "/a/b/../c", "/home/u/.ssh/id_rsa", "/.ssh/", "/aaab", "/aa/b", "/tmp/x", "//", "/a"};
  for (const char* needle : needles) {
    for (const char* path : paths) {
      const bool expected = std::string(path).find(needle) != std::string::npos;
      EXPECT_EQ(Fires(absl::StrCat("fd.name contains '", needle, "'"), Open(40, path, 0)), expected)
          << needle << " in " << path;
    }
  }
}

// Rules sharing leading conjuncts share trie nodes; the first match is still the first rule in
// load order, and prefix requirements prune only rules that cannot hold.
TEST(EngineTest, DecisionTrieKeepsLoadOrder) {
  const std::string yaml =
      "- macro: m\n  condition: evt.type = openat and proc.name = curl\n"
      "- rule: late_branch_first\n  desc: d\n  condition: m and fd.name startswith /etc\n"
      "  output: o\n  priority: INFO\n"
      "- rule: shared_prefix\n  desc: d\n  condition: m and fd.name = /x\n"
      "  output: o\n  priority: INFO\n"
      "- rule: other_root\n  desc: d\n  condition: fd.name pmatch (/etc) and evt.type = openat\n"
      "  output: o\n  priority: INFO\n"
      "- rule: shorter\n  desc: d\n  condition: m\n  output: o\n  priority: INFO\n";
  auto rules = Rules(yaml);
  ASSERT_THAT(rules, IsOk());
  auto names = [&](const v1::Event& event, EngineOptions::Matching matching) {
    Engine engine(**rules, EngineOptions{.matching = matching});
    for (const v1::Event& e : ContainerShell()) engine.Process(e);
    engine.Process(Clone(30, 40));
    engine.Process(Exec(40, "/usr/bin/curl", {}));
    std::vector<std::string> result;
    for (const v1::Alert& alert : engine.Process(event)) result.push_back(alert.rule());
    return result;
  };
  using M = EngineOptions::Matching;
  EXPECT_THAT(names(Open(40, "/etc/passwd", 0), M::kFirst),
              ::testing::ElementsAre("late_branch_first"));
  EXPECT_THAT(names(Open(40, "/etc/passwd", 0), M::kAll),
              ::testing::ElementsAre("late_branch_first", "other_root", "shorter"));
  EXPECT_THAT(names(Open(40, "/x", 0), M::kAll),
              ::testing::ElementsAre("shared_prefix", "shorter"));
  EXPECT_THAT(names(Open(40, "/tmp/y", 0), M::kFirst), ::testing::ElementsAre("shorter"));
}

TEST(ConditionTest, FieldsArgumentsAndTransformers) {
  const v1::Event open = Open(40, "/etc/Shadow", O_WRONLY | O_TRUNC);
  EXPECT_TRUE(Fires("proc.name = curl and proc.pname = bash and proc.aname[2] = runc", open));
  EXPECT_TRUE(Fires("proc.aname[3] = containerd-shim and proc.aname = runc", open));
  EXPECT_FALSE(Fires("proc.aname = sshd", open));
  EXPECT_TRUE(Fires("proc.cmdline = \"curl -s http://example.com\"", open));
  EXPECT_TRUE(Fires("proc.args = \"-s http://example.com\" and proc.pcmdline = bash", open));
  EXPECT_TRUE(Fires("evt.arg.name = /etc/Shadow and evt.arg[2] = /etc/Shadow", open));
  EXPECT_TRUE(Fires("evt.arg.flags contains O_TRUNC and evt.is_open_write = true", open));
  EXPECT_FALSE(Fires("evt.is_open_read = true", open));
  EXPECT_TRUE(Fires("tolower(fd.name) = /etc/shadow and toupper(proc.name) = CURL", open));
  EXPECT_TRUE(Fires("basename(fd.name) = Shadow and len(fd.name) = 11", open));
  EXPECT_TRUE(Fires("fd.directory = /etc and fd.filename = Shadow and fd.typechar = f", open));
  EXPECT_TRUE(Fires("proc.pname = val(proc.aname[1])", open));
  EXPECT_FALSE(Fires("proc.name = val(proc.pname)", open));
  EXPECT_TRUE(Fires("container.id = 4f0c5dd16e5b", open));
  EXPECT_TRUE(Fires("thread.cap_permitted contains CAP_SYS_ADMIN", open));
  EXPECT_FALSE(Fires("thread.cap_permitted contains CAP_SYS_MODULE", open));
  v1::Event b64 = Open(40, "L2V0Yy9zaGFkb3c=", 0);
  EXPECT_TRUE(Fires("b64(fd.name) = /etc/shadow", b64));
}

TEST(ConditionTest, NetworkFields) {
  const v1::Event connect = Connect(40, "10.1.2.3", 4444);
  EXPECT_TRUE(Fires("fd.sip = 10.1.2.3 and fd.sport = 4444 and fd.rport = 4444", connect));
  EXPECT_TRUE(Fires("fd.snet in (\"10.0.0.0/8\") and not fd.snet = \"192.168.0.0/16\"", connect));
  EXPECT_TRUE(Fires("fd.net = \"172.17.0.0/16\"", connect));  // client side
  EXPECT_TRUE(Fires("fd.port = 40000 and fd.l4proto = tcp and fd.typechar = 4", connect));
  EXPECT_TRUE(Fires("fd.name = \"172.17.0.2:40000->10.1.2.3:4444\"", connect));
  EXPECT_TRUE(Fires("fd.sockfamily = ip and fd.connected = true", connect));
}

TEST(ConditionTest, ListsAndMacros) {
  const v1::Event open = Open(40, "/etc/shadow", 0);
  const char* prelude =
      "- list: files\n  items: [/etc/shadow]\n"
      "- list: more_files\n  items: [files, /etc/gshadow]\n"
      "- macro: sensitive\n  condition: fd.name in (more_files)\n";
  EXPECT_TRUE(Fires("sensitive and evt.type in (open, openat)", open, prelude));
  EXPECT_TRUE(Fires("fd.name = files", open, prelude));  // Falco substitutes bare list names.
  EXPECT_FALSE(Fires("fd.name in (\"files\")", open, prelude));  // A quoted item is a string.
}

TEST(LoaderTest, ErrorsNameTheRuleFieldAndPosition) {
  EXPECT_THAT(Rules(RuleYaml("proc.nobody = x")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("test.yaml:1:3: rule 'r': filter_check called with nonexistent "
                                 "field proc.nobody (LOAD_ERR_COMPILE_CONDITION)")));
  EXPECT_THAT(Rules(RuleYaml("proc.name = x and (")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unexpected end of condition at condition offset 20")));
  EXPECT_THAT(
      Rules(RuleYaml("evt.type = nosuchcall")),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown event type nosuchcall")));
  EXPECT_THAT(Rules(RuleYaml("fd.num = abc")), StatusIs(absl::StatusCode::kInvalidArgument,
                                                        HasSubstr("'abc' is not a valid number")));
  EXPECT_THAT(Rules(RuleYaml("fd.name regex '('")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid regex")));
  EXPECT_THAT(Rules(RuleYaml("evt.type = open", "%proc.nope")),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("invalid formatting token proc.nope")));
}

TEST(LoaderTest, SkipIfUnknownFilterWarns) {
  auto rules = Rules(
      "- rule: r\n  desc: d\n  condition: proc.nobody = x\n  output: o\n  priority: INFO\n"
      "  skip-if-unknown-filter: true\n");
  ASSERT_THAT(rules, IsOk());
  EXPECT_EQ((*rules)->enabled_rule_count(), 0u);
  ASSERT_EQ((*rules)->warnings().size(), 1u);
  EXPECT_EQ((*rules)->warnings()[0].code, "LOAD_UNKNOWN_FIELD");
}

TEST(LoaderTest, OverrideSyntax) {
  std::string yaml = RuleYaml("evt.type = openat") +
                     "- rule: r\n  condition: and fd.name = /etc/shadow\n"
                     "  override:\n    condition: append\n"
                     "- rule: r\n  priority: CRITICAL\n  override:\n    priority: replace\n";
  auto rules = Rules(yaml);
  ASSERT_THAT(rules, IsOk());
  EXPECT_EQ((*rules)->rules()[0].condition, "evt.type = openat\n and fd.name = /etc/shadow");
  EXPECT_EQ((*rules)->rules()[0].priority, v1::PRIORITY_CRITICAL);
  EXPECT_EQ(Replay(**rules, Open(40, "/etc/shadow", 0)).size(), 1u);
  EXPECT_TRUE(Replay(**rules, Open(40, "/etc/passwd", 0)).empty());
}

TEST(EngineTest, AlertCarriesRuleOutputFieldsAndContainer) {
  auto rules = Rules(absl::StrCat(
      "- rule: r\n  desc: d\n  condition: evt.type = openat\n",
      "  output: \"%proc.name read %fd.name (parent=%proc.aname[2] cport=%fd.cport)\"\n",
      "  priority: WARNING\n  tags: [a, b]\n"));
  ASSERT_THAT(rules, IsOk());
  std::vector<v1::Alert> alerts = Replay(**rules, Open(40, "/etc/shadow", 0));
  ASSERT_EQ(alerts.size(), 1u);
  const v1::Alert& alert = alerts[0];
  EXPECT_EQ(alert.rule(), "r");
  EXPECT_EQ(alert.priority(), v1::PRIORITY_WARNING);
  EXPECT_THAT(alert.tags(), ::testing::ElementsAre("a", "b"));
  EXPECT_EQ(alert.output(), "curl read /etc/shadow (parent=runc cport=<NA>)");
  EXPECT_EQ(alert.output_fields().at("proc.aname[2]"), "runc");
  EXPECT_EQ(alert.output_fields().at("fd.cport"), "<NA>");
  EXPECT_EQ(alert.event().process().name(), "curl");
  EXPECT_EQ(alert.event().process().container_id(), "4f0c5dd16e5b");
}

TEST(EngineTest, IndexedByEventTypeAndFirstMatchByDefault) {
  auto rules = Rules(RuleYaml("evt.type = openat") +
                     "- rule: any\n  desc: d\n  condition: proc.name = curl\n  output: o\n"
                     "  priority: INFO\n  warn_evttypes: false\n");
  ASSERT_THAT(rules, IsOk());
  EXPECT_EQ(Replay(**rules, Open(40, "/x", 0)).size(), 1u);  // First match only.
  Engine all(**rules, EngineOptions{.matching = EngineOptions::Matching::kAll});
  for (const v1::Event& e : ContainerShell()) all.Process(e);
  all.Process(Clone(30, 40));
  all.Process(Exec(40, "/usr/bin/curl", {}));
  EXPECT_EQ(all.Process(Open(40, "/x", 0)).size(), 2u);
  EXPECT_EQ(all.Process(Connect(40, "1.1.1.1", 53)).size(), 1u);  // Only "any".
}

TEST(EngineTest, ExitedProcessesAreEvicted) {
  auto rules = Rules(RuleYaml("evt.type = openat"));
  ASSERT_THAT(rules, IsOk());
  Engine engine(**rules);
  for (const v1::Event& e : ContainerShell()) engine.Process(e);
  engine.Process(Clone(30, 40));
  EXPECT_NE(engine.state().FindProcess(40), nullptr);
  v1::Event exit;
  exit.set_type(v1::EVENT_TYPE_PROCEXIT);
  exit.set_pid(40);
  engine.Process(exit);
  EXPECT_EQ(engine.state().FindProcess(40), nullptr);
  EXPECT_EQ(engine.state().process_count(), 3u);
}

// One RuleSet shared by engines on several threads gives each the same alerts (run under
// --config=tsan to check for races).
TEST(EngineTest, SharedRuleSetAcrossThreads) {
  auto rules =
      Rules(RuleYaml("evt.type = openat and fd.name startswith /etc and proc.aname = runc"));
  ASSERT_THAT(rules, IsOk());
  auto count = [&rules]() {
    Engine engine(**rules);
    size_t alerts = 0;
    for (const v1::Event& e : ContainerShell()) engine.Process(e);
    engine.Process(Clone(30, 40));
    engine.Process(Exec(40, "/usr/bin/curl", {}));
    for (int i = 0; i < 2000; ++i) {
      alerts += engine.Process(Open(40, i % 2 ? "/etc/passwd" : "/tmp/x", 0)).size();
    }
    return alerts;
  };
  std::vector<size_t> results(4);
  std::vector<std::thread> threads;
  for (size_t i = 0; i < results.size(); ++i) {
    threads.emplace_back([&results, &count, i] { results[i] = count(); });
  }
  for (std::thread& t : threads) t.join();
  for (size_t r : results) EXPECT_EQ(r, 1000u);
}

}  // namespace
}  // namespace bulwark::runtime
