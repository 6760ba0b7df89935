#include "bulwark/runtime/response.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>

#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;

constexpr char kRules[] = R"(
- rule: Shell in container
  desc: t
  condition: evt.type = execve and proc.name = sleep and container.id != host
  output: "shell %proc.pid"
  priority: CRITICAL
  tags: [T1059]
)";

// A real child process (sleep) to act on.
pid_t StartSleeper() {
  pid_t pid = fork();
  if (pid == 0) {
    execl("/bin/sleep", "sleep", "60", static_cast<char*>(nullptr));
    _exit(127);
  }
  return pid;
}

v1::Event ExecEvent(pid_t pid, bool in_container) {
  v1::Event event;
  event.set_type(v1::EVENT_TYPE_EXECVE);
  event.set_pid(pid);
  v1::Process* p = event.mutable_process();
  p->set_pid(pid);
  p->set_name("sleep");
  p->set_exepath("/bin/sleep");
  if (in_container) {
    p->add_cgroups(
        "0::/system.slice/"
        "docker-4f0c5dd16e5b0123456789abcdef0123456789abcdef0123456789abcdef0123.scope");
  }
  return event;
}

std::vector<v1::Alert> Alerts(const v1::Event& event) {
  static const auto* const rules = RuleSet::LoadContents({{"r.yaml", kRules}})->release();
  Engine engine(*rules);
  return engine.Process(event);
}

TEST(ResponseTest, OffByDefault) {
  std::vector<v1::Alert> alerts = Alerts(ExecEvent(4242, true));
  ASSERT_EQ(alerts.size(), 1u);
  ProcessKiller killer;
  Responder responder(ResponsePolicy{}, &killer);
  EXPECT_FALSE(responder.Decide(alerts[0]).has_value());
  EXPECT_THAT(responder.Handle(alerts[0]), IsOk());
}

TEST(ResponseTest, KillsTheActingProcessOfAMatchingAlert) {
  const pid_t child = StartSleeper();
  ASSERT_GT(child, 0);
  std::vector<v1::Alert> alerts = Alerts(ExecEvent(child, true));
  ASSERT_EQ(alerts.size(), 1u);
  ResponsePolicy policy;
  policy.enabled = true;
  policy.rules.push_back(ResponseRule{.tag = "T1059",
                                      .minimum_priority = v1::PRIORITY_ERROR,
                                      .action = ResponseAction::kKillProcess});
  ProcessKiller killer;
  Responder responder(policy, &killer);
  std::optional<ResponseDecision> decision = responder.Decide(alerts[0]);
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(decision->pid, child);
  EXPECT_EQ(decision->container_id, "4f0c5dd16e5b");
  EXPECT_EQ(decision->rule, "Shell in container");
  ASSERT_THAT(responder.Handle(alerts[0]), IsOk());
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST(ResponseTest, SelectorsFilterByRulePriorityAndHost) {
  std::vector<v1::Alert> host = Alerts(ExecEvent(4242, false));
  // container.id != host is false on the host: no alert at all; build one by hand instead.
  EXPECT_TRUE(host.empty());
  v1::Alert alert = Alerts(ExecEvent(4242, true))[0];
  ResponsePolicy policy;
  policy.enabled = true;
  policy.rules.push_back(ResponseRule{.rule = "Other rule"});
  policy.rules.push_back(ResponseRule{.minimum_priority = v1::PRIORITY_ALERT});
  EXPECT_FALSE(Responder(policy, nullptr).Decide(alert).has_value());
  policy.rules.push_back(
      ResponseRule{.rule = "Shell in container", .action = ResponseAction::kDeny});
  std::optional<ResponseDecision> decision = Responder(policy, nullptr).Decide(alert);
  ASSERT_TRUE(decision.has_value());
  EXPECT_EQ(decision->action, ResponseAction::kDeny);
  alert.mutable_event()->mutable_process()->set_container_id("host");
  EXPECT_FALSE(Responder(policy, nullptr).Decide(alert).has_value());
}

TEST(ResponseTest, ProcessKillerRefusesWhatItCannotOrMustNotDo) {
  ProcessKiller killer;
  EXPECT_THAT(killer.Enforce({ResponseAction::kKillProcess, 1, "host", "r"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(killer.Enforce({ResponseAction::kKillProcess, getpid(), "host", "r"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(killer.Enforce({ResponseAction::kDeny, 4242, "abc", "r"}),
              StatusIs(absl::StatusCode::kFailedPrecondition));
  // A pid that cannot exist (above pid_max's hard limit of 2^22).
  EXPECT_THAT(killer.Enforce({ResponseAction::kKillProcess, 1 << 23, "abc", "r"}),
              StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace bulwark::runtime
