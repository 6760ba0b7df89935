// Kyverno ValidatingPolicy evaluation (with autogen for pod controllers) and the kyverno-test.yaml
// runner, on the manifests in testdata/ (written here from Kyverno's documented behaviour).
#include "bulwark/policy/admission/kyverno_test.h"

#include <string>

#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/admission/internal/compiled_policy.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::policy {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kTestData[] = "policy/admission/testdata";

TEST(KyvernoTest, ValidatingPolicyWithAutogenMatchesDocumentedResults) {
  absl::StatusOr<TestManifestReport> report =
      RunKyvernoTestManifest(std::string(kTestData) + "/kyverno-vpol/kyverno-test.yaml");
  ASSERT_THAT(report.status(), IsOk());
  EXPECT_EQ(report->name, "disallow-privileged");
  ASSERT_THAT(report->cases, SizeIs(10));
  for (const TestCaseOutcome& c : report->cases) {
    EXPECT_TRUE(c.ok) << c.policy << " " << c.kind << " " << c.resource << ": expected "
                      << c.expected << ", got " << c.actual << " (" << c.message << ")";
  }
  EXPECT_EQ(report->mismatches, 0u);
  EXPECT_EQ(report->cases[1].message, "privileged containers are not allowed in privileged-init");
  // The Deployment's message comes from the autogen rule, which reads the pod template's
  // metadata but keeps object.metadata.name.
  EXPECT_EQ(report->cases[3].message,
            "privileged containers are not allowed in privileged-deployment");
}

TEST(KyvernoTest, ParamsAndParameterNotFoundActionThroughManifest) {
  absl::StatusOr<std::vector<TestManifestReport>> reports =
      RunKyvernoTests(std::string(kTestData) + "/kyverno-vap");
  ASSERT_THAT(reports.status(), IsOk());
  ASSERT_THAT(*reports, SizeIs(1));
  EXPECT_EQ((*reports)[0].mismatches, 0u);
  ASSERT_THAT((*reports)[0].cases, SizeIs(3));
  EXPECT_EQ((*reports)[0].cases[1].message, "at most 3 replicas");
}

TEST(KyvernoTest, MissingManifestIsNotFound) {
  EXPECT_THAT(RunKyvernoTests(std::string(kTestData) + "/kyverno-vap", "nothing.yaml").status(),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(KyvernoTest, RewriteForControllerKeepsNameAndNamespace) {
  EXPECT_EQ(internal::RewriteForController("object.spec.containers.all(c, oldObject.spec.x)",
                                           "spec", "spec.template.spec"),
            "object.spec.template.spec.containers.all(c, oldObject.spec.template.spec.x)");
  EXPECT_EQ(internal::RewriteForController(
                "object.metadata.name + object.metadata.namespace + object.metadata.labels.a + "
                "object.metadata.nameSuffix",
                "metadata", "spec.template.metadata"),
            "object.metadata.name + object.metadata.namespace + "
            "object.spec.template.metadata.labels.a + object.spec.template.metadata.nameSuffix");
}

}  // namespace
}  // namespace bulwark::policy
