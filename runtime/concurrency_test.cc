// One RuleSet (the three upstream Falco rule files plus Bulwark's) shared by several threads, each
// with its own Engine over the same slice of the generated event mix: every thread must report
// exactly the alerts of a single-threaded pass. CI runs this target under ThreadSanitizer as well
// (bazel/test.sh: `bazel test --config=tsan //runtime:concurrency_test`), which checks that
// evaluation (the decision tries, test programs, prefilter indexes, compiled comparisons and
// RE2 patterns) only reads the shared rule set.
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/testing/event_mix.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;

// "event index: rule: output" for every alert of one pass over `events`, all matches reported.
std::vector<std::string> Alerts(const RuleSet& rules, const std::vector<v1::Event>& events) {
  Engine engine(rules, EngineOptions{.matching = EngineOptions::Matching::kAll});
  std::vector<std::string> alerts;
  for (size_t i = 0; i < events.size(); ++i) {
    engine.Process(events[i], [&](v1::Alert&& alert) {
      alerts.push_back(absl::StrCat(i, ": ", alert.rule(), ": ", alert.output()));
    });
  }
  return alerts;
}

TEST(ConcurrencyTest, UpstreamRulesFromFourThreads) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/falco-rules");
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::Load(
      {absl::StrCat(dir, "/falco_rules.yaml"), absl::StrCat(dir, "/falco-incubating_rules.yaml"),
       absl::StrCat(dir, "/falco-sandbox_rules.yaml"), "runtime/rules/bulwark_rules.yaml"});
  ASSERT_THAT(rules, IsOk());
  const std::vector<v1::Event> events = testing::GenerateEventMix({.events = 6'000});
  const std::vector<std::string> expected = Alerts(**rules, events);
  // The slice must make rules fire, or the comparison below shows nothing.
  ASSERT_GT(expected.size(), 50u);

  std::vector<std::vector<std::string>> results(4);
  std::vector<std::thread> threads;
  for (size_t t = 0; t < results.size(); ++t) {
    threads.emplace_back([&, t] { results[t] = Alerts(**rules, events); });
  }
  for (std::thread& thread : threads) thread.join();
  for (size_t t = 0; t < results.size(); ++t) EXPECT_EQ(results[t], expected) << "thread " << t;
}

}  // namespace
}  // namespace bulwark::runtime
