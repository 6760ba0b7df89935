// Loads the upstream Falco rule files from ../shared/conformance/runtime/falco-rules unmodified.
#include <iostream>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/runtime/rule_set.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::runtime {
namespace {

using ::bulwark::core::testing::IsOk;

class UpstreamRulesTest : public ::testing::TestWithParam<std::string> {};

TEST_P(UpstreamRulesTest, LoadsWithoutErrorsAndEveryEnabledRuleCompiles) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/falco-rules");
  const std::string path = absl::StrCat(dir, "/", GetParam());
  absl::StatusOr<std::unique_ptr<const RuleSet>> rules = RuleSet::Load({path});
  ASSERT_THAT(rules, IsOk());
  size_t enabled = 0, disabled = 0;
  for (const RuleDefinition& rule : (*rules)->rules()) {
    EXPECT_FALSE(rule.skipped) << rule.name;
    (rule.enabled ? enabled : disabled)++;
  }
  EXPECT_EQ((*rules)->enabled_rule_count(), enabled);
  EXPECT_GT(enabled, 0u);
  std::cout << GetParam() << ": " << (*rules)->rules().size() << " rules, " << enabled
            << " enabled and compiled, " << disabled << " disabled (compiled too), "
            << (*rules)->warnings().size() << " warnings\n";
  for (const LoadMessage& warning : (*rules)->warnings()) {
    if (warning.code != "LOAD_UNUSED_MACRO" && warning.code != "LOAD_UNUSED_LIST") {
      std::cout << "  " << warning.ToString() << "\n";
    }
  }
  ASSERT_FALSE((*rules)->required_plugins().empty());
  EXPECT_EQ((*rules)->required_plugins()[0].name, "container");
}

INSTANTIATE_TEST_SUITE_P(FalcoRules, UpstreamRulesTest,
                         ::testing::Values("falco_rules.yaml", "falco-incubating_rules.yaml",
                                           "falco-sandbox_rules.yaml"));

// STATS.txt counts the rules per file; loading must see the same number.
TEST(UpstreamRulesCountsTest, RuleCountsMatchStats) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/falco-rules");
  struct Expected {
    const char* file;
    size_t rules;
    size_t disabled;
  };
  for (const Expected& e :
       {Expected{"falco_rules.yaml", 25, 0}, Expected{"falco-incubating_rules.yaml", 31, 0},
        Expected{"falco-sandbox_rules.yaml", 37, 12}}) {
    auto rules = RuleSet::Load({absl::StrCat(dir, "/", e.file)});
    ASSERT_THAT(rules, IsOk());
    EXPECT_EQ((*rules)->rules().size(), e.rules) << e.file;
    EXPECT_EQ((*rules)->rules().size() - (*rules)->enabled_rule_count(), e.disabled) << e.file;
  }
}

TEST(UpstreamRulesCountsTest, AllThreeTogether) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/runtime/falco-rules");
  auto rules = RuleSet::Load({absl::StrCat(dir, "/falco_rules.yaml"),
                              absl::StrCat(dir, "/falco-incubating_rules.yaml"),
                              absl::StrCat(dir, "/falco-sandbox_rules.yaml")});
  ASSERT_THAT(rules, IsOk());
  std::cout << "all three files: " << (*rules)->enabled_rule_count() << " enabled rules compiled\n";
}

}  // namespace
}  // namespace bulwark::runtime
