// Runs the Sigstore-bundle, SLSA-provenance and trust-root cases of
// ../shared/conformance/sig/EXPECTATIONS.json through VerifyBundle / TrustedRoot::Parse and
// prints how many came out as expected, listing each mismatch with Bulwark's reason.
#include "bulwark/image/sign/bundle.h"

#include <cstdio>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;

std::string Read(const std::string& path) {
  absl::StatusOr<std::string> text = core::ReadFileToString(path, 64 << 20);
  EXPECT_THAT(text, IsOk()) << path;
  return text.value_or("");
}

// The identity policy each case's note names (empty: not checked).
BundlePolicy PolicyFor(const std::string& sig, const std::string& id) {
  BundlePolicy policy;
  if (absl::StrContains(id, "bundle_v3_github")) {
    policy.identity =
        "https://github.com/trailofbits/rfc8785.py/.github/workflows/release.yml@refs/tags/v0.1.2";
    policy.issuer = "https://token.actions.githubusercontent.com";
  } else if (absl::StrContains(id, "othername")) {
    policy.identity = "foo!oidc.local";
    policy.issuer = "http://oidc.local:8080";
  } else if (absl::StrContains(id, "sigstore.js@2.0.0")) {
    policy.identity =
        "https://github.com/sigstore/sigstore-js/.github/workflows/release.yml@refs/heads/main";
  } else if (absl::StartsWith(id, "sigstore-js/")) {
    policy.identity = "brian@dehamer.com";
    policy.issuer = "https://github.com/login/oauth";
    absl::StatusOr<PublicKey> key =
        PublicKey::Parse(Read(sig + "/sigstore-js/verify-fixtures/public_key.pem"));
    if (key.ok()) policy.key = *key;
  } else if (absl::StrContains(id, "public-key-validity")) {
    absl::StatusOr<PublicKey> key = PublicKey::Parse(
        Read(sig + "/sigstore-go/pkg/testing/data/public-keys/public-key-validity.pem"));
    if (key.ok()) policy.key = *key;
  } else if (absl::StartsWith(id, "slsa-verifier/bcr/")) {
    // slsa-verifier's trusted builder for BCR modules.
    policy.identity =
        "https://github.com/bazel-contrib/publish-to-bcr/.github/workflows/publish.yaml@.*";
    policy.identity_is_regex = true;
    policy.issuer = "https://token.actions.githubusercontent.com";
  } else if (absl::StartsWith(id, "slsa-verifier/gha_")) {
    policy.identity =
        "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/.*@refs/tags/"
        "v.*";
    policy.identity_is_regex = true;
    policy.issuer = "https://token.actions.githubusercontent.com";
  }
  return policy;
}

Artifact ArtifactFor(const std::string& sig, const core::Value& entry) {
  const std::string id = entry.Find("id")->string_value();
  // "verify_dsse: envelope only": its statement names a.txt, not the file beside the bundle.
  if (absl::StrContains(id, "a.dsse.staging-rekor-v2")) return Artifact{};
  if (const core::Value* path = entry.Find("artifact")) {
    return Artifact::FromBytes(Read(absl::StrCat(sig, "/", path->string_value())));
  }
  if (absl::StrContains(id, "othername")) {
    return Artifact::FromDigest(*core::Digest::Parse(
        "sha256:bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b"));
  }
  if (absl::StrContains(id, "public-key-validity")) return Artifact::FromBytes("test content");
  if (absl::StartsWith(id, "slsa-verifier/bcr/")) {
    const std::string file = entry.Find("file")->string_value();
    return Artifact::FromBytes(Read(
        absl::StrCat(sig, "/", file.substr(0, file.size() - std::string(".intoto.jsonl").size()))));
  }
  return Artifact{};
}

TEST(BundleConformanceTest, ExpectationsCases) {
  BULWARK_SHARED_PATH_OR_SKIP(sig, "conformance/sig");
  absl::StatusOr<core::Value> expectations = core::ParseJsonFile(sig + "/EXPECTATIONS.json");
  ASSERT_THAT(expectations, IsOk());
  int total = 0, as_expected = 0;
  std::vector<std::string> mismatches;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    const std::string expect = entry.Find("expect")->string_value();
    const bool bundle_case = entry.Find("bundle") != nullptr ||
                             (absl::StartsWith(id, "slsa-verifier/") && entry.Find("trusted_root"));
    const bool root_case =
        absl::StrContains(id, "trusted_root/") || absl::StrContains(id, "trust_config/");
    if (!bundle_case && !root_case) continue;
    if (expect != "pass" && !absl::StartsWith(expect, "fail")) continue;  // Not asserted upstream.
    ++total;
    absl::Status status;
    if (root_case) {
      status = TrustedRoot::Parse(Read(absl::StrCat(sig, "/", entry.Find("file")->string_value())))
                   .status();
    } else {
      absl::StatusOr<std::shared_ptr<const TrustedRoot>> root =
          TrustedRoot::Load(absl::StrCat(sig, "/", entry.Find("trusted_root")->string_value()));
      ASSERT_THAT(root, IsOk()) << id;
      const core::Value* bundle_path = entry.Find("bundle");
      if (bundle_path == nullptr) bundle_path = entry.Find("file");
      status = VerifyBundle(Read(absl::StrCat(sig, "/", bundle_path->string_value())),
                            ArtifactFor(sig, entry), **root, PolicyFor(sig, id))
                   .status();
    }
    const bool passed = status.ok();
    if (passed == (expect == "pass")) {
      ++as_expected;
    } else {
      mismatches.push_back(
          absl::StrCat(id, " expected ", expect, ", got ", passed ? "pass" : status.ToString()));
    }
    std::printf("%-80s %s%s\n", id.c_str(),
                passed ? "pass" : "fail: ", passed ? "" : std::string(status.message()).c_str());
  }
  std::printf("bundle/trust-root cases: %d of %d as expected\n", as_expected, total);
  for (const std::string& mismatch : mismatches) ADD_FAILURE() << mismatch;
}

// The identity policy rejects what the bundle does not say.
TEST(BundleConformanceTest, IdentityPolicyMismatchesFail) {
  BULWARK_SHARED_PATH_OR_SKIP(sig, "conformance/sig");
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> root =
      TrustedRoot::Load(sig + "/sigstore-go/pkg/testing/data/trusted-roots/scaffolding.json");
  ASSERT_THAT(root, IsOk());
  const std::string bundle =
      Read(sig + "/sigstore-go/pkg/testing/data/bundles/othername.sigstore.json");
  const Artifact artifact = Artifact::FromDigest(*core::Digest::Parse(
      "sha256:bc103b4a84971ef6459b294a2b98568a2bfb72cded09d4acd1e16366a401f95b"));
  BundlePolicy policy;
  policy.identity = "foo@oidc.local";  // The email form of the otherName identity.
  EXPECT_THAT(VerifyBundle(bundle, artifact, **root, policy),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("identity:")));
  policy.identity = "foo!oidc\\.local";
  policy.identity_is_regex = true;
  policy.issuer = "http://oidc.local:9090";
  EXPECT_THAT(VerifyBundle(bundle, artifact, **root, policy),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("OIDC issuer")));
  policy.issuer = "http://oidc\\.local:.*";
  policy.issuer_is_regex = true;
  EXPECT_THAT(VerifyBundle(bundle, artifact, **root, policy), IsOk());
  policy.issuer = "http://oidc(";
  EXPECT_THAT(VerifyBundle(bundle, artifact, **root, policy),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid RE2 pattern")));
  // Another artifact fails at the artifact step (the bundle records the signed digest).
  EXPECT_THAT(VerifyBundle(bundle, Artifact::FromBytes("other"), **root, policy),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("artifact:")));
}

// The embedded SCT is checked: without the CT logs (or with another log's key) the production
// bundle fails at the sct step; without the Fulcio CA at the certificate step.
TEST(BundleConformanceTest, SctAndCaComeFromTheTrustRoot) {
  BULWARK_SHARED_PATH_OR_SKIP(sig, "conformance/sig");
  std::string root_json =
      Read(sig +
           "/sigstore-python/sigstore/_store/https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/"
           "trusted_root.json");
  const std::string bundle =
      Read(sig + "/sigstore-python/test/assets/bundle_v3_github.whl.sigstore");
  const Artifact artifact =
      Artifact::FromBytes(Read(sig + "/sigstore-python/test/assets/bundle_v3_github.whl"));
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> full = TrustedRoot::Parse(root_json);
  ASSERT_THAT(full, IsOk());
  ASSERT_THAT(VerifyBundle(bundle, artifact, **full, {}), IsOk());
  std::string no_ct = root_json;
  no_ct.replace(no_ct.find("\"ctlogs\""), 8, "\"ctlogz\"");
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> without_ct = TrustedRoot::Parse(no_ct);
  ASSERT_THAT(without_ct, IsOk());
  EXPECT_THAT(VerifyBundle(bundle, artifact, **without_ct, {}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("sct:")));
  BundlePolicy no_sct;
  no_sct.require_sct = false;
  EXPECT_THAT(VerifyBundle(bundle, artifact, **without_ct, no_sct), IsOk());
  std::string no_ca = root_json;
  no_ca.replace(no_ca.find("\"certificateAuthorities\""), 24, "\"certificateAuthoritiez\"");
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> without_ca = TrustedRoot::Parse(no_ca);
  ASSERT_THAT(without_ca, IsOk());
  EXPECT_THAT(VerifyBundle(bundle, artifact, **without_ca, {}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("certificate:")));
}

TEST(BundleConformanceTest, MalformedBundles) {
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> root = TrustedRoot::Parse(
      R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"})");
  ASSERT_THAT(root, IsOk());
  EXPECT_THAT(VerifyBundle("{", Artifact{}, **root, {}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      VerifyBundle(R"({"mediaType":"x"})", Artifact{}, **root, {}),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unsupported bundle version")));
  EXPECT_THAT(VerifyBundle(R"({"mediaType":"application/vnd.dev.sigstore.bundle.v0.3+json"})",
                           Artifact{}, **root, {}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("verificationMaterial")));
}

}  // namespace
}  // namespace bulwark::sign
