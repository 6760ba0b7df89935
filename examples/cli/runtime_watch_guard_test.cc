// The --guard-* flags of `bulwark runtime watch`: what they parse into, what they refuse and why,
// the decision they make for an access (path prefixes, rule selectors, scope) and the lines
// printed for verdicts. Needs no root: the live guard is tested by runtime_guard_command_test.py.
#include "bulwark/examples/cli/runtime_watch_guard.h"

#include <string>
#include <vector>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::cli {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kRules[] = R"(
- rule: Secret read
  desc: t
  condition: evt.type = openat and fd.name endswith /secret.txt
  output: "%fd.name"
  priority: WARNING
  tags: [T1552, filesystem]
- rule: Disabled one
  desc: t
  condition: evt.type = openat
  output: "%fd.name"
  priority: CRITICAL
  tags: [unused_tag]
  enabled: false
)";

class RuntimeWatchGuardTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto rules = runtime::RuleSet::LoadContents({{"guard.yaml", kRules}});
    ASSERT_THAT(rules, IsOk());
    rules_ = *std::move(rules);
  }

  absl::StatusOr<std::optional<GuardSetup>> Parse(std::vector<std::string> argv,
                                                  bool with_rules = true) {
    std::vector<std::string> flags = GuardFlagNames();
    auto args = ParseArgs(argv, flags);
    EXPECT_THAT(args, IsOk());
    return ParseGuardFlags(*args, with_rules ? rules_.get() : nullptr);
  }

  static runtime::v1::Event Open(const std::string& path, const std::string& container) {
    runtime::v1::Event event;
    event.set_type(runtime::v1::EVENT_TYPE_OPENAT);
    event.set_pid(42);
    event.mutable_process()->set_pid(42);
    event.mutable_process()->set_name("cat");
    event.mutable_process()->set_container_id(container);
    event.mutable_fd()->set_name(path);
    event.mutable_file()->set_path(path);
    return event;
  }

  std::unique_ptr<const runtime::RuleSet> rules_;
};

TEST_F(RuntimeWatchGuardTest, OffWithoutGuardMount) {
  auto setup = Parse({});
  ASSERT_THAT(setup, IsOk());
  EXPECT_FALSE(setup->has_value());
  EXPECT_THAT(Parse({"--guard-deny", "rule:Secret read"}),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("--guard-deny needs --guard-mount DIR")));
  EXPECT_THAT(Parse({"--guard-mode", "audit"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("--guard-mode needs")));
}

TEST_F(RuntimeWatchGuardTest, ParsesEveryFlag) {
  auto setup = Parse({"--guard-mount",       "/srv,/data",
                      "--guard-mount",       "/var",
                      "--guard-deny",        "rule:Secret read",
                      "--guard-deny",        "tag:T1552,priority:critical",
                      "--guard-deny-path",   "/srv/private//",
                      "--guard-mode",        "audit",
                      "--guard-scope",       "all",
                      "--guard-access",      "exec",
                      "--guard-timeout",     "1.5s",
                      "--guard-max-pending", "64"});
  ASSERT_THAT(setup, IsOk());
  ASSERT_TRUE(setup->has_value());
  const GuardSetup& guard = **setup;
  EXPECT_THAT(guard.options.mounts, ::testing::ElementsAre("/srv", "/data", "/var"));
  EXPECT_FALSE(guard.options.enabled);
  EXPECT_FALSE(guard.options.opens);
  EXPECT_TRUE(guard.options.execs);
  EXPECT_EQ(guard.options.response_timeout, absl::Milliseconds(1500));
  EXPECT_EQ(guard.options.max_pending, 64u);
  EXPECT_FALSE(guard.containers_only);
  EXPECT_THAT(guard.deny_paths.prefixes(), ::testing::ElementsAre("/srv/private"));
  EXPECT_TRUE(guard.policy.enabled);
  ASSERT_EQ(guard.policy.rules.size(), 2u);
  EXPECT_EQ(guard.policy.rules[0].rule, "Secret read");
  EXPECT_EQ(guard.policy.rules[1].tag, "T1552");
  EXPECT_EQ(guard.policy.rules[1].minimum_priority, runtime::v1::PRIORITY_CRITICAL);
  for (const runtime::ResponseRule& rule : guard.policy.rules) {
    EXPECT_EQ(rule.action, runtime::ResponseAction::kDeny);
    EXPECT_FALSE(rule.only_in_containers);
  }
}

TEST_F(RuntimeWatchGuardTest, DefaultsEnforceBothAccessesInContainersOnly) {
  auto setup = Parse({"--guard-mount", "/srv", "--guard-deny-path", "/srv"}, false);
  ASSERT_THAT(setup, IsOk());
  const GuardSetup& guard = **setup;
  EXPECT_TRUE(guard.options.enabled);
  EXPECT_TRUE(guard.options.opens);
  EXPECT_TRUE(guard.options.execs);
  EXPECT_EQ(guard.options.response_timeout, runtime::FanotifyGuardOptions{}.response_timeout);
  EXPECT_EQ(guard.options.max_pending, runtime::FanotifyGuardOptions{}.max_pending);
  EXPECT_TRUE(guard.containers_only);
  EXPECT_EQ(DescribeGuard(guard),
            "guard: holding opens and execs on /srv (enforce; container processes only; 0 alert "
            "selector(s), 1 path prefix(es); fail open after 250ms)\n");
}

TEST_F(RuntimeWatchGuardTest, RefusesWhatItCannotHonour) {
  const std::vector<std::pair<std::vector<std::string>, std::string>> cases = {
      {{"--guard-mount", "/srv"}, "nothing to deny"},
      {{"--guard-mount", "/srv", "--guard-deny", "rule:Secret reed"},
       "'rule:Secret reed': no enabled rule named 'Secret reed' in --rules"},
      {{"--guard-mount", "/srv", "--guard-deny", "rule:Disabled one"}, "no enabled rule named"},
      {{"--guard-mount", "/srv", "--guard-deny", "tag:unused_tag"},
       "no enabled rule in --rules has tag 'unused_tag'"},
      {{"--guard-mount", "/srv", "--guard-deny", "priority:loud"}, "unknown priority 'loud'"},
      {{"--guard-mount", "/srv", "--guard-deny", "Secret read"},
       "'Secret read' is not rule:NAME, tag:TAG or priority:LEVEL"},
      {{"--guard-mount", "/srv", "--guard-deny", "user:root"}, "'user:' is unknown"},
      {{"--guard-mount", "/srv", "--guard-deny", "tag:T1552,tag:filesystem"}, "given twice"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "srv/x"}, "must be an absolute path"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/srv/../etc"},
       "--guard-deny-path: guard path prefix '/srv/../etc': must not contain '..'"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-mode", "block"},
       "--guard-mode 'block': expected enforce or audit"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-scope", "pods"},
       "expected containers or all"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-access", "open,write"},
       "expected open, exec or open,exec"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-timeout", "soon"},
       "expected a duration"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-timeout", "0"},
       "must be positive and finite"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-timeout", "inf"},
       "must be positive and finite"},
      {{"--guard-mount", "/srv", "--guard-deny-path", "/x", "--guard-max-pending", "0"},
       "expected a count from 1 to 1000000"},
  };
  for (const auto& [argv, message] : cases) {
    EXPECT_THAT(Parse(argv), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)))
        << argv.back();
  }
  EXPECT_THAT(Parse({"--guard-mount", "/srv", "--guard-deny", "rule:Secret read"}, false),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("it needs --rules")));
}

TEST_F(RuntimeWatchGuardTest, PathPrefixesMatchWholeComponents) {
  auto setup =
      Parse({"--guard-mount", "/srv", "--guard-deny-path", "/srv/sec", "--guard-scope", "all"});
  ASSERT_THAT(setup, IsOk());
  runtime::FanotifyGuard::Decide decide = GuardDecision(**setup, nullptr);
  EXPECT_EQ(decide(Open("/srv/sec", "host")), "--guard-deny-path /srv/sec");
  EXPECT_EQ(decide(Open("/srv/sec/key.pem", "host")), "--guard-deny-path /srv/sec");
  EXPECT_EQ(decide(Open("/srv/secret.txt", "host")), "");
  EXPECT_EQ(decide(Open("/srv", "host")), "");
}

TEST_F(RuntimeWatchGuardTest, ContainerScopeSparesHostProcesses) {
  auto setup = Parse({"--guard-mount", "/srv", "--guard-deny-path", "/srv/private", "--guard-deny",
                      "rule:Secret read"});
  ASSERT_THAT(setup, IsOk());
  runtime::FanotifyGuard::Decide decide = GuardDecision(**setup, rules_.get());
  const std::string container = "4f0c5dd16e5b";
  EXPECT_EQ(decide(Open("/srv/private/a", container)), "--guard-deny-path /srv/private");
  EXPECT_EQ(decide(Open("/srv/secret.txt", container)), "Secret read");
  EXPECT_EQ(decide(Open("/srv/private/a", "host")), "");
  EXPECT_EQ(decide(Open("/srv/private/a", "")), "");
  EXPECT_EQ(decide(Open("/srv/secret.txt", "host")), "");
  EXPECT_EQ(decide(Open("/srv/public.txt", container)), "");
}

TEST_F(RuntimeWatchGuardTest, PrioritySelectorNeedsThatSeverity) {
  auto critical = Parse({"--guard-mount", "/srv", "--guard-deny", "tag:T1552,priority:Critical",
                         "--guard-scope", "all"});
  ASSERT_THAT(critical, IsOk());
  EXPECT_EQ(GuardDecision(**critical, rules_.get())(Open("/srv/secret.txt", "host")), "");
  auto warning = Parse({"--guard-mount", "/srv", "--guard-deny", "tag:T1552,priority:Warning",
                        "--guard-scope", "all"});
  ASSERT_THAT(warning, IsOk());
  EXPECT_EQ(GuardDecision(**warning, rules_.get())(Open("/srv/secret.txt", "host")), "Secret read");
}

TEST(GuardLogTest, KeepsDenialsAndTimeOutsUpToItsCapacity) {
  GuardLog log(2);
  runtime::GuardVerdict allowed;
  runtime::GuardVerdict denied{.rule = "r", .deny = true, .denied = true};
  runtime::GuardVerdict would_deny{.rule = "r", .deny = true};
  runtime::GuardVerdict timed_out{.timed_out = true};
  log.Add(allowed);
  log.Add(denied);
  log.Add(timed_out);
  log.Add(would_deny);
  std::vector<runtime::GuardVerdict> kept = log.Take();
  ASSERT_EQ(kept.size(), 2u);
  EXPECT_TRUE(kept[0].denied);
  EXPECT_TRUE(kept[1].timed_out);
  EXPECT_EQ(log.dropped(), 1u);
  EXPECT_TRUE(log.Take().empty());
  log.Add(would_deny);
  EXPECT_EQ(log.Take().size(), 1u);
}

TEST(FormatGuardVerdictTest, TextLines) {
  runtime::GuardVerdict verdict;
  verdict.event.set_timestamp_ns(1700000000123456789);
  verdict.event.set_type(runtime::v1::EVENT_TYPE_OPENAT);
  verdict.event.set_pid(42);
  verdict.event.mutable_process()->set_name("cat");
  verdict.event.mutable_process()->set_container_id("4f0c5dd16e5b");
  verdict.event.mutable_fd()->set_name("/srv/secret.txt");
  verdict.rule = "Secret read";
  verdict.deny = verdict.denied = true;
  EXPECT_EQ(FormatGuardVerdict(verdict, absl::Milliseconds(250), false),
            "2023-11-14T22:13:20.123456789+0000: Guard denied open of /srv/secret.txt by cat (pid "
            "42, container 4f0c5dd16e5b): Secret read\n");
  verdict.denied = false;
  EXPECT_THAT(FormatGuardVerdict(verdict, absl::Milliseconds(250), false),
              HasSubstr(": Guard would deny open of /srv/secret.txt by cat"));

  runtime::GuardVerdict late;  // What the guard knows after a time-out: pid, type and path.
  late.event.set_type(runtime::v1::EVENT_TYPE_EXECVE);
  late.event.set_pid(7);
  late.event.mutable_fd()->set_name("/srv/tool");
  late.timed_out = true;
  EXPECT_THAT(FormatGuardVerdict(late, absl::Milliseconds(250), false),
              HasSubstr(": Guard allowed exec of /srv/tool by pid 7: no decision within 250ms "
                        "(fail open)\n"));
}

TEST(FormatGuardVerdictTest, JsonLines) {
  runtime::GuardVerdict verdict;
  verdict.event.set_type(runtime::v1::EVENT_TYPE_EXECVE);
  verdict.event.set_pid(42);
  verdict.event.mutable_exec()->set_filename("/srv/private/tool");
  verdict.rule = "--guard-deny-path /srv/private";
  verdict.deny = true;
  const std::string line = FormatGuardVerdict(verdict, absl::Milliseconds(250), true);
  ASSERT_TRUE(line.ends_with("}\n"));
  auto json = core::ParseJson(line);
  ASSERT_THAT(json, IsOk());
  const core::Value* guard = json->Find("guard");
  ASSERT_NE(guard, nullptr);
  EXPECT_EQ(guard->Find("verdict")->string_value(), "would_deny");
  EXPECT_EQ(guard->Find("access")->string_value(), "exec");
  EXPECT_EQ(guard->Find("path")->string_value(), "/srv/private/tool");
  EXPECT_EQ(guard->Find("rule")->string_value(), "--guard-deny-path /srv/private");
  EXPECT_EQ(guard->Find("pid")->int_value(), 42);
  auto filename = json->Lookup("event.exec.filename");
  ASSERT_THAT(filename, IsOk());
  EXPECT_EQ((*filename)->string_value(), "/srv/private/tool");
}

}  // namespace
}  // namespace bulwark::cli
