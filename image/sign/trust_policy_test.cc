#include "bulwark/image/sign/trust_policy.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_replace.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/testing/layout_copy_test_base.h"
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

class TrustPolicyLayoutTest : public testing::LayoutCopyTestBase {
 protected:
  void SetUp() override {
    testing::LayoutCopyTestBase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
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

// An OCI layout holding, as OCI 1.1 referrers of `subject`, one notation signature manifest per
// envelope (media type, bytes). index.json lists only those manifests.
void WriteNotationReferrers(const std::string& layout, const core::Digest& subject,
                            const std::vector<std::pair<std::string, std::string>>& envelopes) {
  std::filesystem::remove_all(layout);
  std::filesystem::create_directories(layout + "/blobs/sha256");
  auto put = [&](const std::string& bytes) {
    const core::Digest digest = core::DigestBytes(core::DigestAlgorithm::kSha256, bytes);
    std::ofstream(layout + "/blobs/sha256/" + digest.Hex(), std::ios::binary) << bytes;
    return absl::StrCat("\"size\":", bytes.size(), ",\"digest\":\"", digest.ToString(), "\"");
  };
  std::vector<std::string> entries;
  for (const auto& [media_type, bytes] : envelopes) {
    const std::string manifest = absl::StrCat(
        R"({"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",)",
        R"("artifactType":")", kNotationSignatureArtifactType, R"(",)",
        R"("config":{"mediaType":"application/vnd.oci.empty.v1+json",)", put("{}"), "},",
        R"("layers":[{"mediaType":")", media_type, "\",", put(bytes), "}],",
        R"("subject":{"mediaType":"application/vnd.oci.image.manifest.v1+json","size":481,)",
        R"("digest":")", subject.ToString(), "\"}}");
    entries.push_back(absl::StrCat(R"({"mediaType":"application/vnd.oci.image.manifest.v1+json",)",
                                   put(manifest), "}"));
  }
  std::ofstream(layout + "/oci-layout") << R"({"imageLayoutVersion":"1.0.0"})";
  std::ofstream(layout + "/index.json")
      << absl::StrCat(R"({"schemaVersion":2,"manifests":[)", absl::StrJoin(entries, ","), "]}");
}

// Notation signers in the trust policy, with notation-go's own JWS and COSE signatures (what they
// sign: the manifest digest below) stored as referrers in a layout built here, next to a cosign
// signature made here.
class NotationPolicyTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = core::testing::SharedDataPath("conformance/sig/notation-go");
    if (!dir.ok()) GTEST_SKIP() << dir.status();
    notation_ = *dir;
    jws_ = *core::ReadFileToString(notation_ + "/internal/testdata/jws_signature.sig", 1 << 20);
    cose_ = *core::ReadFileToString(notation_ + "/internal/testdata/cose_signature.sig", 1 << 20);
    work_ = absl::StrCat(std::getenv("TEST_TMPDIR"), "/notation-policy");
    layout_ = work_ + "/layout";
    WriteNotationReferrers(
        layout_, image_, {{std::string(kNotationJws), jws_}, {std::string(kNotationCose), cose_}});
    // The signer's self-signed certificate in a trust store of notation's layout, as
    // notation-go's tests put it in a temporary store.
    absl::StatusOr<NotationEnvelope> envelope = ParseNotationEnvelope(jws_, kNotationJws);
    ASSERT_THAT(envelope, IsOk());
    signer_pem_ = envelope->chain.front().Pem();
    std::filesystem::create_directories(work_ + "/policy/truststore/x509/ca/alpine");
    std::ofstream(work_ + "/policy/truststore/x509/ca/alpine/alpine.pem") << signer_pem_;
    release_ = *PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  }

  // A scope "prod" with a cosign key signer "release" and the notation signer `notation` (YAML
  // flow map), needing `min` signers.
  absl::StatusOr<TrustPolicy> Policy(const std::string& notation, int min,
                                     const std::string& base_dir = "") {
    return ParseTrustPolicy(
        absl::StrCat("scopes:\n  - name: prod\n    match: [\"registry.example.com/**\"]\n",
                     "    minSignatures: ", min, "\n    signers:\n",
                     "      - name: release\n        key: |\n          ",
                     Indented(release_->public_key().Pem(), 10), "\n",
                     "      - name: alpine\n        notation: ", notation, "\n"),
        base_dir.empty() ? work_ + "/policy" : base_dir, {}, "policy.yaml");
  }

  absl::StatusOr<PolicyDecision> Evaluate(const TrustPolicy& policy) {
    return EvaluateTrustPolicyForLayout(policy, "registry.example.com/alpine:v1", layout_,
                                        image_.ToString());
  }

  std::string notation_, jws_, cose_, work_, layout_, signer_pem_;
  const core::Digest image_ = *core::Digest::Parse(
      "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0");
  std::optional<PrivateKey> release_;
  const std::string kSubject = "x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine";
};

TEST_F(NotationPolicyTest, NotationSignerCountsTowardMinSignatures) {
  const std::string store = absl::StrCat(R"({trustStore: truststore, trustStores: ["ca:alpine"], )",
                                         R"(trustedIdentities: [")", kSubject, R"("]})");
  absl::StatusOr<TrustPolicy> one = Policy(store, 1);
  ASSERT_THAT(one, IsOk());
  absl::StatusOr<PolicyDecision> decision = Evaluate(*one);
  ASSERT_THAT(decision, IsOk());
  EXPECT_TRUE(decision->allowed) << decision->Summary();
  EXPECT_THAT(decision->requirements[0].reason, HasSubstr("1 of 1 required signer(s) verified "
                                                          "(alpine)"));
  EXPECT_THAT(decision->requirements[0].reason, HasSubstr("release: no signatures found"));

  // Both signers required: the cosign signature is missing, then present.
  absl::StatusOr<TrustPolicy> two = Policy(store, 2);
  ASSERT_THAT(two, IsOk());
  decision = Evaluate(*two);
  ASSERT_THAT(decision, IsOk());
  EXPECT_FALSE(decision->allowed);
  EXPECT_THAT(decision->requirements[0].reason, HasSubstr("1 of 2 required signer(s)"));
  absl::StatusOr<CosignSignature> signature = SignImage(*release_, image_);
  ASSERT_THAT(signature, IsOk());
  ASSERT_THAT(WriteOciLayoutSignature(layout_, image_, *signature), IsOk());
  decision = Evaluate(*two);
  ASSERT_THAT(decision, IsOk());
  EXPECT_TRUE(decision->allowed) << decision->Summary();
  EXPECT_THAT(decision->requirements[0].reason, HasSubstr("2 of 2 required signer(s) verified "
                                                          "(release, alpine)"));

  // The same certificate given inline instead of through a trust store, and as a file.
  absl::StatusOr<TrustPolicy> inline_pem =
      Policy(absl::StrCat(R"({certificates: [{type: ca, pem: ")",
                          absl::StrReplaceAll(signer_pem_, {{"\n", "\\n"}}),
                          R"("}], trustedIdentities: ["*"]})"),
             2);
  ASSERT_THAT(inline_pem, IsOk());
  decision = Evaluate(*inline_pem);
  ASSERT_THAT(decision, IsOk());
  EXPECT_TRUE(decision->allowed) << decision->Summary();
  absl::StatusOr<TrustPolicy> file = Policy(
      R"({certificates: [{file: truststore/x509/ca/alpine/alpine.pem}], trustedIdentities: ["*"]})",
      1);
  ASSERT_THAT(file, IsOk());
  EXPECT_TRUE(Evaluate(*file)->allowed);
}

TEST_F(NotationPolicyTest, ReasonNamesTheFailingNotationStep) {
  // Another identity: both envelopes fail authenticity, each named.
  absl::StatusOr<TrustPolicy> other = Policy(
      R"({trustStore: truststore, trustStores: ["ca:alpine"],
          trustedIdentities: ["x509.subject: O=Notary, CN=someone-else"]})",
      1);
  ASSERT_THAT(other, IsOk());
  absl::StatusOr<PolicyDecision> denied = Evaluate(*other);
  ASSERT_THAT(denied, IsOk());
  EXPECT_FALSE(denied->allowed);
  const std::string& reason = denied->requirements[0].reason;
  EXPECT_THAT(reason, HasSubstr("alpine: "));
  size_t count = 0;
  for (size_t at = reason.find("notation: authenticity: signing certificate subject");
       at != std::string::npos;
       at = reason.find("notation: authenticity: signing certificate subject", at + 1)) {
    ++count;
  }
  EXPECT_EQ(count, 2u) << reason;  // The JWS and the COSE envelope.

  // Audit only logs authenticity: admitted, and the decision says what was logged.
  absl::StatusOr<TrustPolicy> audit = Policy(
      R"({trustStore: truststore, trustStores: ["ca:alpine"],
          trustedIdentities: ["x509.subject: O=Notary, CN=someone-else"],
          signatureVerification: {level: audit}})",
      1);
  ASSERT_THAT(audit, IsOk());
  absl::StatusOr<PolicyDecision> audited = Evaluate(*audit);
  ASSERT_THAT(audited, IsOk());
  EXPECT_TRUE(audited->allowed);
  EXPECT_THAT(audited->requirements[0].reason,
              HasSubstr("alpine [logged: notation: authenticity:"));

  // notation-go's shared trust store does not hold this signer: authenticity fails.
  absl::StatusOr<TrustPolicy> shared = Policy(
      R"({trustStore: truststore, trustStores: ["ca:valid-trust-store"], trustedIdentities: ["*"]})",
      1, notation_ + "/verifier/testdata");
  ASSERT_THAT(shared, IsOk());
  absl::StatusOr<PolicyDecision> untrusted = Evaluate(*shared);
  ASSERT_THAT(untrusted, IsOk());
  EXPECT_FALSE(untrusted->allowed);
  EXPECT_THAT(untrusted->requirements[0].reason,
              HasSubstr("notation: authenticity: no certificate of the chain is in the trust "
                        "store"));

  // Another image: the signatures name a different artifact.
  const core::Digest other_image = core::DigestBytes(core::DigestAlgorithm::kSha256, "other");
  WriteNotationReferrers(layout_, other_image, {{std::string(kNotationJws), jws_}});
  absl::StatusOr<TrustPolicy> policy = Policy(
      R"({trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["*"]})", 1);
  ASSERT_THAT(policy, IsOk());
  absl::StatusOr<PolicyDecision> moved = EvaluateTrustPolicyForLayout(
      *policy, "registry.example.com/alpine:v1", layout_, other_image.ToString());
  ASSERT_THAT(moved, IsOk());
  EXPECT_FALSE(moved->allowed);
  EXPECT_THAT(moved->requirements[0].reason,
              HasSubstr("notation: artifact: signed " + image_.ToString()));
  // No notation signature at all.
  absl::StatusOr<PolicyDecision> none = EvaluateTrustPolicyForLayout(
      *policy, "registry.example.com/alpine:v1", layout_,
      core::DigestBytes(core::DigestAlgorithm::kSha256, "none").ToString());
  ASSERT_THAT(none, IsOk());
  EXPECT_THAT(none->requirements[0].reason, HasSubstr("alpine: no notation signatures found"));
}

TEST_F(NotationPolicyTest, MalformedNotationSigners) {
  const struct {
    const char* notation;
    const char* error;
  } cases[] = {
      {R"({trustStore: truststore, trustStores: ["ca:alpine"]})", "needs trustedIdentities"},
      {R"({trustedIdentities: ["*"]})", "needs ca or signingAuthority certificates"},
      {R"({trustStore: truststore, trustedIdentities: ["*"]})", "go together"},
      {R"({trustStore: ../x, trustStores: ["ca:a"], trustedIdentities: ["*"]})",
       "must be relative to the policy's directory"},
      {R"({trustStore: truststore, trustStores: ["ca:missing"], trustedIdentities: ["*"]})",
       "no such trust store directory"},
      {R"({certificates: [{type: root, pem: x}], trustedIdentities: ["*"]})",
       "type is ca, signingAuthority or tsa"},
      {R"({certificates: [{pem: "not a certificate"}], trustedIdentities: ["*"]})", "policy.yaml:"},
      {R"({trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["CN=x"]})",
       "neither \"*\" nor \"x509.subject: <DN>\""},
      {R"({trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["*"],
          signatureVerification: {level: skip}})",
       "use a scope with skip"},
      {R"({trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["*"],
          signatureVerification: {level: strict, override: {expiry: ignore}}})",
       "an override action is enforce, log or skip"},
      {R"({trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["*"],
          trustPolicy: x})",
       "unknown member \"trustPolicy\" in notation"},
  };
  for (const auto& c : cases) {
    EXPECT_THAT(Policy(c.notation, 1), Not(IsOk())) << c.notation;
    EXPECT_THAT(Policy(c.notation, 1).status().message(), HasSubstr(c.error)) << c.notation;
  }
  // Attestations are cosign's: a notation signer cannot be named for one.
  EXPECT_THAT(ParseTrustPolicy(R"(scopes:
  - name: prod
    match: ["**"]
    signers:
      - name: alpine
        notation: {trustStore: truststore, trustStores: ["ca:alpine"], trustedIdentities: ["*"]}
    attestations:
      - {name: provenance, predicateType: slsaprovenance1, signers: [alpine]}
)",
                               work_ + "/policy", {}, "policy.yaml"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("8:69: signer \"alpine\" is a notation signer")));
}

}  // namespace
}  // namespace bulwark::sign
