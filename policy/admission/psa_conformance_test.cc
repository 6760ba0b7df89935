// Pod Security Standards baseline controls (privileged, hostPorts, hostPath volumes), written as
// a ValidatingAdmissionPolicy each and a Kyverno ValidatingPolicy, checked against every
// upstream pod-security-admission fixture in ../shared/conformance/psa: fail/<control>N.yaml
// must fail exactly its control's policy, every other fixture must pass all of them. The
// Kyverno policy is also checked on each fixture wrapped in a Deployment and a CronJob (autogen).
#include <algorithm>
#include <filesystem>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/policy/admission/policy_set.h"
#include "gtest/gtest.h"

namespace bulwark::policy {
namespace {

using ::bulwark::core::testing::IsOk;

constexpr const char* kControls[] = {"privileged", "hostports", "hostpathvolumes"};

core::Value Map(std::vector<std::pair<std::string, core::Value>> entries) {
  core::ValueMap map;
  for (auto& [key, value] : entries) map.push_back({key, std::move(value)});
  return core::Value(std::move(map));
}

// `pod` as the template of a Deployment, or of a CronJob's job.
core::Value Wrap(const core::Value& pod, bool cronjob) {
  core::Value tmpl = Map({{"metadata", *pod.Find("metadata")}, {"spec", *pod.Find("spec")}});
  core::Value metadata = Map({{"name", core::Value("wrapped")}});
  if (!cronjob) {
    return Map({{"apiVersion", core::Value("apps/v1")},
                {"kind", core::Value("Deployment")},
                {"metadata", metadata},
                {"spec", Map({{"template", tmpl}})}});
  }
  return Map({{"apiVersion", core::Value("batch/v1")},
              {"kind", core::Value("CronJob")},
              {"metadata", metadata},
              {"spec", Map({{"jobTemplate", Map({{"spec", Map({{"template", tmpl}})}})}})}});
}

Outcome OutcomeOf(const std::vector<Result>& results, const std::string& policy) {
  for (const Result& r : results) {
    if (r.policy == policy && r.outcome != Outcome::kSkip) return r.outcome;
  }
  return Outcome::kSkip;
}

TEST(PsaConformanceTest, BaselineControlsAgreeWithUpstreamFixtures) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/psa/testdata/baseline");
  absl::StatusOr<std::unique_ptr<const PolicySet>> set =
      PolicySet::Load({"policy/admission/testdata/psa/baseline-policies.yaml"});
  ASSERT_THAT(set.status(), IsOk());
  std::vector<std::string> files;
  for (const auto& entry : std::filesystem::recursive_directory_iterator(dir)) {
    if (entry.path().extension() == ".yaml") files.push_back(entry.path().string());
  }
  std::sort(files.begin(), files.end());
  ASSERT_GT(files.size(), 500u);
  int failing_fixtures = 0;
  for (const std::string& file : files) {
    absl::StatusOr<std::vector<core::Value>> docs = core::ParseYamlFile(file);
    ASSERT_THAT(docs.status(), IsOk()) << file;
    const core::Value& pod = docs->front();
    std::string name = std::filesystem::path(file).stem().string();
    bool in_fail_dir = absl::StrContains(file, "/fail/");
    absl::StatusOr<std::vector<Result>> results = (*set)->EvaluateObject(pod);
    ASSERT_THAT(results.status(), IsOk()) << file;
    for (const char* control : kControls) {
      bool should_fail = in_fail_dir && absl::StartsWith(name, control) &&
                         std::isdigit(static_cast<unsigned char>(name[strlen(control)]));
      if (should_fail) ++failing_fixtures;
      EXPECT_EQ(OutcomeOf(*results, control), should_fail ? Outcome::kFail : Outcome::kPass)
          << file << " control " << control;
    }
    bool privileged = in_fail_dir && absl::StartsWith(name, "privileged");
    Outcome expected = privileged ? Outcome::kFail : Outcome::kPass;
    EXPECT_EQ(OutcomeOf(*results, "kyverno-privileged"), expected) << file;
    for (bool cronjob : {false, true}) {
      absl::StatusOr<std::vector<Result>> wrapped = (*set)->EvaluateObject(Wrap(pod, cronjob));
      ASSERT_THAT(wrapped.status(), IsOk());
      EXPECT_EQ(OutcomeOf(*wrapped, "kyverno-privileged"), expected)
          << file << (cronjob ? " as CronJob" : " as Deployment");
      EXPECT_EQ(OutcomeOf(*wrapped, "privileged"), Outcome::kSkip);  // VAP has no autogen
    }
  }
  EXPECT_GT(failing_fixtures, 100);
}

}  // namespace
}  // namespace bulwark::policy
