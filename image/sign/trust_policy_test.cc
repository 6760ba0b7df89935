#include "bulwark/image/sign/trust_policy.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_replace.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// Indents a PEM block for a YAML literal scalar.
std::string Indented(const std::string& pem, int spaces) {
  return absl::StrReplaceAll(pem, {{"\n", "\n" + std::string(spaces, ' ')}});
}

class TrustPolicyLayoutTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> source =
        core::testing::SharedDataPath("conformance/oci/trivy/pkg/fanal/test/testdata/test.oci");
    if (!source.ok()) GTEST_SKIP() << source.status();
    layout_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", test_info_->name());
    std::filesystem::remove_all(layout_);
    std::filesystem::copy(*source, layout_, std::filesystem::copy_options::recursive);
    image_ = *ResolveLayoutImage(layout_, "");
    release_ = *PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
    builder_ = *PrivateKey::Generate(KeyAlgorithm::kEd25519);
    // keys/ holds the builder key, read through keyFile.
    std::filesystem::create_directories(layout_ + "/policy/keys");
    std::ofstream(layout_ + "/policy/keys/builder.pub") << builder_->public_key().Pem();
  }

  absl::StatusOr<TrustPolicy> Policy(int min_signatures, const std::string& builder_id) {
    const std::string yaml = absl::StrCat(R"(apiVersion: bulwark.dev/v1
kind: TrustPolicy
scopes:
  - name: system
    match: ["registry.k8s.io/**", "docker.io/library/*"]
    skip: true
  - name: prod
    match: ["ghcr.io/example/*"]
    minSignatures: )",
                                          min_signatures, R"(
    signers:
      - name: release
        key: |
          )",
                                          Indented(release_->public_key().Pem(), 10), R"(
      - name: builder
        keyFile: keys/builder.pub
    attestations:
      - name: provenance
        predicateType: slsaprovenance1
        signers: [builder]
        conditions:
          - path: runDetails.builder.id
            equals: )",
                                          builder_id, R"(
          - path: buildDefinition.buildType
            matches: "https://example\\.com/.*"
)");
    return ParseTrustPolicy(yaml, layout_ + "/policy", {}, "policy.yaml");
  }

  void SignAndAttest() {
    absl::StatusOr<CosignSignature> signature = SignImage(*release_, image_);
    ASSERT_THAT(signature, IsOk());
    ASSERT_THAT(WriteOciLayoutSignature(layout_, image_, *signature), IsOk());
    const std::string predicate =
        R"({"buildDefinition":{"buildType":"https://example.com/build/v1"},
            "runDetails":{"builder":{"id":"https://example.com/builder@v2"}}})";
    absl::StatusOr<CosignSignature> attestation =
        AttestImage(*builder_, image_, {std::string(kSlsaProvenanceV1), predicate, "app"});
    ASSERT_THAT(attestation, IsOk());
    ASSERT_THAT(WriteOciLayoutAttachment(layout_, image_, "att", *attestation), IsOk());
  }

  const ::testing::TestInfo* test_info_ = ::testing::UnitTest::GetInstance()->current_test_info();
  std::string layout_;
  core::Digest image_ = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  std::optional<PrivateKey> release_;
  std::optional<PrivateKey> builder_;
};

TEST_F(TrustPolicyLayoutTest, DecisionWithReasonPerRequirement) {
  absl::StatusOr<TrustPolicy> policy = Policy(1, "https://example.com/builder@v2");
  ASSERT_THAT(policy, IsOk());

  // Unsigned: both requirements fail, each with its reason.
  absl::StatusOr<PolicyDecision> unsigned_image =
      EvaluateTrustPolicyForLayout(*policy, "ghcr.io/example/app:v1", layout_, "");
  ASSERT_THAT(unsigned_image, IsOk());
  EXPECT_FALSE(unsigned_image->allowed);
  EXPECT_EQ(unsigned_image->scope, "prod");
  ASSERT_EQ(unsigned_image->requirements.size(), 2u);
  EXPECT_FALSE(unsigned_image->requirements[0].satisfied);
  EXPECT_THAT(unsigned_image->requirements[0].reason, HasSubstr("0 of 1 required signer(s)"));
  EXPECT_THAT(unsigned_image->requirements[1].reason, HasSubstr("no attestations found"));

  SignAndAttest();
  absl::StatusOr<PolicyDecision> signed_image = EvaluateTrustPolicyForLayout(
      *policy, "ghcr.io/example/app@sha256:" + image_.Hex(), layout_, "");
  ASSERT_THAT(signed_image, IsOk());
  EXPECT_TRUE(signed_image->allowed) << signed_image->Summary();
  EXPECT_THAT(signed_image->requirements[0].reason, HasSubstr("(release)"));
  EXPECT_THAT(signed_image->requirements[1].reason, HasSubstr("signed by builder"));
  EXPECT_THAT(signed_image->Summary(), HasSubstr("allow ghcr.io/example/app@"));

  // Two distinct signers required: only the release key signed the image.
  absl::StatusOr<TrustPolicy> two = Policy(2, "https://example.com/builder@v2");
  ASSERT_THAT(two, IsOk());
  absl::StatusOr<PolicyDecision> one_signer =
      EvaluateTrustPolicyForLayout(*two, "ghcr.io/example/app", layout_, "");
  ASSERT_THAT(one_signer, IsOk());
  EXPECT_FALSE(one_signer->allowed);
  EXPECT_THAT(one_signer->requirements[0].reason, HasSubstr("1 of 2 required signer(s)"));
  EXPECT_THAT(one_signer->requirements[0].reason, HasSubstr("builder: "));
  EXPECT_TRUE(one_signer->requirements[1].satisfied);

  // A predicate condition that does not hold.
  absl::StatusOr<TrustPolicy> other_builder = Policy(1, "https://example.com/builder@v3");
  ASSERT_THAT(other_builder, IsOk());
  absl::StatusOr<PolicyDecision> condition =
      EvaluateTrustPolicyForLayout(*other_builder, "ghcr.io/example/app", layout_, "");
  ASSERT_THAT(condition, IsOk());
  EXPECT_FALSE(condition->allowed);
  EXPECT_THAT(
      condition->requirements[1].reason,
      HasSubstr("builder: condition: runDetails.builder.id is "
                "\"https://example.com/builder@v2\", not \"https://example.com/builder@v3\""));
  // The release key did not sign the provenance; it is not an allowed attester anyway.
  EXPECT_THAT(condition->requirements[1].reason, Not(HasSubstr("release:")));

  // Scopes: skip, Docker Hub short names, and no match.
  absl::StatusOr<PolicyDecision> skipped =
      EvaluateTrustPolicyForLayout(*policy, "nginx:1.25", layout_, "");
  ASSERT_THAT(skipped, IsOk());
  EXPECT_TRUE(skipped->allowed);
  EXPECT_TRUE(skipped->skipped);
  EXPECT_EQ(skipped->scope, "system");
  absl::StatusOr<PolicyDecision> nested =
      EvaluateTrustPolicyForLayout(*policy, "ghcr.io/example/team/app:v1", layout_, "");
  ASSERT_THAT(nested, IsOk());
  EXPECT_FALSE(nested->allowed);
  EXPECT_EQ(nested->scope, "");
  EXPECT_THAT(nested->Summary(), HasSubstr("no scope matches"));
  EXPECT_EQ(FindScope(*policy, "registry.k8s.io/a/b/c:v1")->name, "system");
  EXPECT_EQ(FindScope(*policy, "localhost:5000/x"), nullptr);
}

TEST(TrustPolicyTest, MalformedPoliciesNameLineAndColumn) {
  const std::string dir = std::getenv("TEST_TMPDIR");
  struct Case {
    const char* yaml;
    const char* error;
  } cases[] = {
      {"scopes: []", "1:9: scopes must be a non-empty list"},
      {"scopes:\n  - name: a\n    match: [x]\n    skipp: true\n", "4:12: unknown member \"skipp\""},
      {"scopes:\n  - name: a\n    match: [x]\n", "lists no signers; use skip: true"},
      {"scopes:\n  - name: a\n    match: [x]\n    signers:\n      - name: k\n", "exactly one of"},
      {"scopes:\n  - name: a\n    match: [x]\n    signers:\n      - name: k\n        keyFile: "
       "../k.pub\n",
       "must be relative to the policy's directory"},
      {"scopes:\n  - name: a\n    match: [x]\n    signers:\n      - name: k\n        keyless:\n"
       "          identity: me\n          issuer: https://i\n",
       "needs the policy's trustedRoot"},
      {"scopes:\n  - name: a\n    match: [x]\n    signers:\n      - name: k\n        keyless:\n"
       "          identity: me\n",
       "one of issuer/issuerRegexp"},
      {"scopes:\n  - name: a\n    match: [x]\n    signers:\n      - name: k\n        key: nope\n",
       "signer \"k\""},
      {"kind: Other\nscopes: []\n", "kind \"Other\" is not TrustPolicy"},
      {"a: [\n", "policy.yaml"},
      {"--- {scopes: []}\n--- {}\n", "expected one YAML document, found 2"},
  };
  for (const Case& c : cases) {
    EXPECT_THAT(ParseTrustPolicy(c.yaml, dir, {}, "policy.yaml"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.error)))
        << c.yaml;
  }
  EXPECT_THAT(LoadTrustPolicy(dir + "/missing.yaml"), StatusIs(absl::StatusCode::kNotFound));
}

// Keyless signers against Sigstore's production trusted root, with containers/image's Fulcio
// fixture (signed by mitr@redhat.com through GitHub's OAuth issuer).
TEST(TrustPolicyTest, KeylessSignerWithProductionRoot) {
  absl::StatusOr<std::string> store =
      core::testing::SharedDataPath("conformance/sig/sigstore-python/sigstore/_store");
  if (!store.ok()) GTEST_SKIP() << store.status();
  absl::StatusOr<std::string> fixture = core::testing::SharedDataPath(
      "conformance/sig/containers-image/signature/fixtures/dir-img-cosign-fulcio-rekor-valid");
  ASSERT_THAT(fixture, IsOk());
  absl::StatusOr<ContainersImageDir> dir = ReadContainersImageDir(*fixture);
  ASSERT_THAT(dir, IsOk());
  auto policy_for = [&](const std::string& identity) {
    return ParseTrustPolicy(
        absl::StrCat(R"(trustedRoot: https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json
scopes:
  - name: all
    match: ["**"]
    signers:
      - name: redhat
        keyless: {identityRegexp: ")",
                     identity, R"(", issuer: "https://github.com/login/oauth"}
)"),
        *store, {}, "policy.yaml");
  };
  absl::StatusOr<TrustPolicy> policy = policy_for(".*@redhat\\\\.com");
  ASSERT_THAT(policy, IsOk());
  PolicyDecision allowed = EvaluateTrustPolicy(*policy, "192.168.64.2:5000/cosign-signed/x",
                                               dir->manifest_digest, dir->signatures, {});
  EXPECT_TRUE(allowed.allowed) << allowed.Summary();
  absl::StatusOr<TrustPolicy> other = policy_for(".*@example\\\\.com");
  ASSERT_THAT(other, IsOk());
  PolicyDecision denied = EvaluateTrustPolicy(*other, "192.168.64.2:5000/cosign-signed/x",
                                              dir->manifest_digest, dir->signatures, {});
  EXPECT_FALSE(denied.allowed);
  EXPECT_THAT(denied.requirements[0].reason,
              HasSubstr("redhat: " + dir->signatures[0].source +
                        ": cosign: certificate: no subject alternative name matches"));
}

}  // namespace
}  // namespace bulwark::sign
