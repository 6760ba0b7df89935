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

void ExpectAllAsExpected(const TestManifestReport& report) {
  for (const TestCaseOutcome& c : report.cases) {
    EXPECT_TRUE(c.ok) << c.policy << " " << c.kind << " " << c.resource << ": expected "
                      << c.expected << ", got " << c.actual << " (" << c.message << ")";
  }
  EXPECT_EQ(report.mismatches, 0u);
}

const TestCaseOutcome* FindCase(const TestManifestReport& report, absl::string_view policy,
                                absl::string_view resource) {
  for (const TestCaseOutcome& c : report.cases) {
    if (c.policy == policy && c.resource == resource) return &c;
  }
  return nullptr;
}

TEST(KyvernoTest, CelLibrariesExceptionsContextAndUserInfo) {
  absl::StatusOr<TestManifestReport> report =
      RunKyvernoTestManifest(std::string(kTestData) + "/kyverno-libs/kyverno-test.yaml");
  ASSERT_THAT(report.status(), IsOk());
  ASSERT_THAT(report->cases, SizeIs(16));
  ExpectAllAsExpected(*report);
  const TestCaseOutcome* excepted = FindCase(*report, "check-images", "legacy-tool");
  ASSERT_NE(excepted, nullptr);
  EXPECT_EQ(excepted->message,
            "rule is skipped due to policy exception: policy-exceptions/legacy-tool-digest");
  const TestCaseOutcome* registry = FindCase(*report, "restrict-image-registries", "legacy-tool");
  ASSERT_NE(registry, nullptr);
  EXPECT_EQ(registry->message, "image must be from registry: ghcr.io/");
  const TestCaseOutcome* arm = FindCase(*report, "check-image-details", "tagged-arm-pod");
  ASSERT_NE(arm, nullptr);
  EXPECT_EQ(arm->message, "arm64 image architecture is not supported");
  const TestCaseOutcome* no_data = FindCase(*report, "check-image-details", "legacy-tool");
  ASSERT_NE(no_data, nullptr);
  EXPECT_THAT(no_data->message, HasSubstr("image data for docker.io/library/nginx:1.25 not found"));
  const TestCaseOutcome* http = FindCase(*report, "vpol-http-get", "digest-pod");
  ASSERT_NE(http, nullptr);
  EXPECT_THAT(http->message, HasSubstr("not available offline"));
}

TEST(KyvernoTest, ValuesFileNamespacesAndOperation) {
  absl::StatusOr<TestManifestReport> report =
      RunKyvernoTestManifest(std::string(kTestData) + "/kyverno-values/kyverno-test.yaml");
  ASSERT_THAT(report.status(), IsOk());
  ASSERT_THAT(report->cases, SizeIs(10));
  ExpectAllAsExpected(*report);
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
