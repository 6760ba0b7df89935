// The engine's decision trie (conjunct sharing, prefix prefilter, merged `or` comparisons) must
// give exactly what evaluating every candidate rule in load order gives: on the upstream Falco
// rules plus Bulwark's, over the generated event mix, event by event.
#include <arpa/inet.h>

#include <cstring>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/engine.h"
#include "bulwark/runtime/internal/comparison.h"
#include "bulwark/runtime/internal/compiled_rules.h"
#include "bulwark/runtime/internal/fields.h"
#include "bulwark/runtime/rule_set.h"
#include "bulwark/runtime/state.h"
#include "bulwark/runtime/testing/event_mix.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;

// Names of the rules whose specialised conditions hold, visiting every candidate in order with
// no memo and no field cache: the reference the trie is checked against.
std::vector<std::string> EveryCandidate(const RuleSet& rules, RuntimeState& state,
                                        const v1::Event& event) {
  std::vector<std::string> names;
  state.Apply(event);
  const internal::CompiledRules& compiled = rules.compiled();
  const int type = event.type();
  if (type > 0 && static_cast<size_t>(type) < compiled.by_event_type.size()) {
    const int64_t pid = event.pid() != 0 ? event.pid() : event.process().pid();
    const ProcessInfo* process = state.FindProcess(pid);
    const v1::Container* container =
        process != nullptr ? state.FindContainer(process->process.container_id()) : nullptr;
    internal::ExtractContext context(event, process, &state, container);
    for (const internal::Candidate& candidate : compiled.by_event_type[type]) {
      if (candidate.condition.Evaluate(context)) {
        names.push_back(rules.rules()[compiled.rules[candidate.rule].definition_index].name);
      }
    }
  }
  state.FinishEvent();
  return names;
}

std::vector<std::string> AlertRules(const std::vector<v1::Alert>& alerts) {
  std::vector<std::string> names;
  for (const v1::Alert& alert : alerts) names.push_back(alert.rule());
  return names;
}

// The address parser's fast path for dotted quads agrees with inet_pton(3) on what is an address
// and on its bytes, leading zeros, overflows, NULs and IPv6 included.
TEST(ComparisonTest, IpAddressesParseAsInetPton) {
  const std::string cases[] = {"10.0.0.1",    "255.255.255.255", "0.0.0.0",    "256.1.1.1",
                               "01.2.3.4",    "1.2.3",           "1.2.3.4.5",  "1.2.3.4 ",
                               " 1.2.3.4",    "1..2.3",          "1.2.3.04",   "1234.1.1.1",
                               "1.2.3.-4",    "::1",             "fe80::1",    "::ffff:1.2.3.4",
                               "",            "a.b.c.d",         "1.2.3.0x4",  "99.199.249.255",
                               std::string("1.2.3.4\0junk", 12)};
  for (const std::string& text : cases) {
    unsigned char expected[16] = {};
    int family = 0;
    const std::string c_text(text.c_str());  // inet_pton reads up to the first NUL.
    if (inet_pton(AF_INET, c_text.c_str(), expected) == 1) {
      family = AF_INET;
    } else if (inet_pton(AF_INET6, c_text.c_str(), expected) == 1) {
      family = AF_INET6;
    }
    internal::IpAddress parsed;
    const bool ok = internal::ParseIpAddress(text, parsed);
    EXPECT_EQ(ok, family != 0) << text;
    if (!ok || family == 0) continue;
    EXPECT_EQ(parsed.family, family) << text;
    EXPECT_EQ(std::memcmp(parsed.bytes, expected, family == AF_INET ? 4 : 16), 0) << text;
  }
}

TEST(DecisionTrieTest, SameMatchesAsEveryCandidateOnUpstreamRules) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/falco-rules");
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::Load(
      {absl::StrCat(dir, "/falco_rules.yaml"), absl::StrCat(dir, "/falco-incubating_rules.yaml"),
       absl::StrCat(dir, "/falco-sandbox_rules.yaml"), "runtime/rules/bulwark_rules.yaml"});
  ASSERT_THAT(rules, IsOk());
  const std::vector<v1::Event> events = testing::GenerateEventMix({.events = 60'000});
  Engine all(**rules, EngineOptions{.matching = EngineOptions::Matching::kAll});
  Engine first(**rules);
  RuntimeState reference_state;
  size_t matched_events = 0, matches = 0;
  for (size_t i = 0; i < events.size(); ++i) {
    const std::vector<std::string> expected = EveryCandidate(**rules, reference_state, events[i]);
    ASSERT_EQ(AlertRules(all.Process(events[i])), expected) << "event " << i;
    const std::vector<std::string> first_match = AlertRules(first.Process(events[i]));
    ASSERT_EQ(first_match.size(), expected.empty() ? 0u : 1u) << "event " << i;
    if (!expected.empty()) {
      EXPECT_EQ(first_match[0], expected[0]) << "event " << i;
      ++matched_events;
      matches += expected.size();
    }
  }
  // The mix must exercise the rules, not only their misses.
  EXPECT_GT(matched_events, 100u);
  std::cout << matched_events << " of " << events.size() << " events matched " << matches
            << " rules in all\n";
}

}  // namespace
}  // namespace bulwark::runtime
