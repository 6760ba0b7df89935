#include "bulwark/runtime/response.h"

#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <memory>

#include "bulwark/core/status_matchers.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/internal/proc_reader.h"
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

// True while `pid` (our child) has not terminated.
bool Running(pid_t pid) {
  int status = 0;
  return waitpid(pid, &status, WNOHANG) == 0;
}

// A decision for a real sleeping child, with its start time as the collector reads it.
ResponseDecision DecisionFor(pid_t child, ResponseAction action) {
  absl::StatusOr<v1::Process> process = internal::ReadProcProcess(child);
  EXPECT_THAT(process, IsOk());
  return ResponseDecision{action, child, "4f0c5dd16e5b", "r",
                          process.ok() ? process->start_time_ns() : 0};
}

TEST(SignalEnforcerTest, OffByDefaultAndDryRunSendNothing) {
  const pid_t child = StartSleeper();
  ASSERT_GT(child, 0);
  int audited = 0;
  bool any_signalled = false;
  auto audit = [&](const ResponseDecision&, const absl::Status& status, bool signalled) {
    ++audited;
    any_signalled |= signalled;
    EXPECT_THAT(status, IsOk());
  };
  SignalEnforcer off({.audit = audit});
  EXPECT_THAT(off.Enforce(DecisionFor(child, ResponseAction::kDeny)), IsOk());
  SignalEnforcer dry_run({.enabled = true, .dry_run = true, .audit = audit});
  EXPECT_THAT(dry_run.Enforce(DecisionFor(child, ResponseAction::kKillProcess)), IsOk());
  EXPECT_EQ(audited, 2);
  EXPECT_FALSE(any_signalled);
  EXPECT_TRUE(Running(child));
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
}

TEST(SignalEnforcerTest, DenyStopsTheRealProcessThroughTheResponder) {
  const pid_t child = StartSleeper();
  ASSERT_GT(child, 0);
  // The alert's process carries the start time, as the collector reports it.
  v1::Event event = ExecEvent(child, true);
  event.mutable_process()->set_start_time_ns(
      DecisionFor(child, ResponseAction::kDeny).start_time_ns);
  std::vector<v1::Alert> alerts = Alerts(event);
  ASSERT_EQ(alerts.size(), 1u);
  ResponsePolicy policy;
  policy.enabled = true;
  policy.rules.push_back(
      ResponseRule{.rule = "Shell in container", .action = ResponseAction::kDeny});
  bool signalled = false;
  SignalEnforcer enforcer(
      {.enabled = true, .audit = [&](const ResponseDecision& d, const absl::Status&, bool s) {
         signalled = s;
         EXPECT_EQ(d.action, ResponseAction::kDeny);
       }});
  ASSERT_THAT(Responder(policy, &enforcer).Handle(alerts[0]), IsOk());
  EXPECT_TRUE(signalled);
  int status = 0;
  ASSERT_EQ(waitpid(child, &status, 0), child);
  ASSERT_TRUE(WIFSIGNALED(status));
  EXPECT_EQ(WTERMSIG(status), SIGKILL);
}

TEST(SignalEnforcerTest, RefusesAReusedPidAndGoneOrUnknownProcesses) {
  const pid_t child = StartSleeper();
  ASSERT_GT(child, 0);
  SignalEnforcer enforcer({.enabled = true});
  // The decision is about a process that started a second before this one got the pid.
  ResponseDecision reused = DecisionFor(child, ResponseAction::kKillProcess);
  reused.start_time_ns -= 1'000'000'000;
  EXPECT_THAT(enforcer.Enforce(reused),
              StatusIs(absl::StatusCode::kFailedPrecondition, ::testing::HasSubstr("another")));
  ResponseDecision unknown = DecisionFor(child, ResponseAction::kKillProcess);
  unknown.start_time_ns = 0;
  EXPECT_THAT(enforcer.Enforce(unknown), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_TRUE(Running(child));
  const ResponseDecision right = DecisionFor(child, ResponseAction::kKillProcess);
  kill(child, SIGKILL);
  waitpid(child, nullptr, 0);
  EXPECT_THAT(enforcer.Enforce(right), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(enforcer.Enforce({ResponseAction::kDeny, getpid(), "host", "r", 1}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::runtime
