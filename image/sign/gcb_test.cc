#include "bulwark/image/sign/gcb.h"

#include <string>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/dsse.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;

class GcbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<std::string> dir = core::testing::SharedDataPath(
        "conformance/sig/slsa-verifier/cli/slsa-verifier/testdata/gcb_container/v0.3");
    if (!dir.ok()) GTEST_SKIP() << dir.status();
    dir_ = *dir;
    absl::StatusOr<std::string> digest =
        core::ReadFileToString(dir_ + "/gcloud-container-github.digest", 1024);
    ASSERT_THAT(digest, IsOk());
    image_ = *core::Digest::Parse(absl::StripAsciiWhitespace(*digest));
  }

  std::string Read(const std::string& name) {
    return core::ReadFileToString(dir_ + "/" + name, 1 << 20).value_or("");
  }

  std::string dir_;
  core::Digest image_ = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
};

// slsa-verifier's three gcb_container cases of EXPECTATIONS.json, without Google's keys: the two
// "fail" cases fail for the reason their notes give, the "pass" case stops at the missing key.
TEST_F(GcbTest, ExpectationsCasesWithoutGoogleKeys) {
  EXPECT_THAT(VerifyGcbProvenance(Read("gcloud-container-invalid-keyid.json"), image_, {}),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("gcb: keyid: provenance_summary.provenance[0]: no signature by a "
                                 "builtByGCB key version (keyid \"projects/verified-builder/"
                                 "locations/us-west2/invalid-field/keyRings/")));
  EXPECT_THAT(
      VerifyGcbProvenance(Read("gcloud-container-mismatch-payload-digest.json"), image_, {}),
      StatusIs(absl::StatusCode::kPermissionDenied,
               HasSubstr("gcb: subject: in-toto: no subject has digest " + image_.ToString())));
  EXPECT_THAT(
      VerifyGcbProvenance(Read("gcloud-container-github.json"), image_, {}),
      StatusIs(absl::StatusCode::kFailedPrecondition,
               HasSubstr("gcb: key: the Google Cloud KMS public key of projects/verified-builder/"
                         "locations/us-west2/keyRings/attestor/cryptoKeys/builtByGCB/"
                         "cryptoKeyVersions/1 is not available")));
  // Another image: the subject check fails before any key is needed.
  EXPECT_THAT(VerifyGcbProvenance(Read("gcloud-container-github.json"),
                                  core::DigestBytes(core::DigestAlgorithm::kSha256, "x"), {}),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("gcb: subject:")));
}

// A key given by the caller decides the signature step: a key that is not Google's rejects the
// genuine signature; the same provenance re-signed here (same keyid) with a test key verifies
// with that key, and exposes the SLSA v0.1 fields.
TEST_F(GcbTest, CallerSuppliedKeyDecidesTheSignature) {
  const std::string original = Read("gcloud-container-github.json");
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(key, IsOk());
  GcbVerifyOptions options;
  options.keys.emplace("us-west2", key->public_key());
  EXPECT_THAT(VerifyGcbProvenance(original, image_, options),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("gcb: signature: provenance_summary.provenance[0]: the "
                                 "envelope's signature does not verify")));

  absl::StatusOr<core::Value> json = core::ParseJson(original);
  ASSERT_THAT(json, IsOk());
  const core::Value& envelope_json = **json->Lookup("provenance_summary.provenance[0].envelope");
  absl::StatusOr<DsseEnvelope> envelope = DsseEnvelopeFromValue(envelope_json, "envelope");
  ASSERT_THAT(envelope, IsOk());
  const std::string genuine = (*envelope_json.Lookup("signatures[0].sig"))->string_value();
  absl::StatusOr<std::string> ours =
      key->Sign(PreAuthEncoding(envelope->payload_type, envelope->payload),
                key->public_key().DefaultParams());
  ASSERT_THAT(ours, IsOk());
  std::string resigned = original;
  ASSERT_NE(resigned.find(genuine), std::string::npos);
  resigned.replace(resigned.find(genuine), genuine.size(), absl::Base64Escape(*ours));

  absl::StatusOr<GcbVerification> verified = VerifyGcbProvenance(resigned, image_, options);
  ASSERT_THAT(verified, IsOk());
  ASSERT_EQ(verified->provenance.size(), 1u);
  const GcbProvenance& provenance = verified->provenance[0];
  EXPECT_EQ(provenance.region, "us-west2");
  EXPECT_EQ(provenance.builder_id, "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.3");
  EXPECT_EQ(provenance.build_type, "https://cloudbuild.googleapis.com/CloudBuildYaml@v0.1");
  EXPECT_EQ(provenance.source_uri, "https://github.com/laurentsimon/gcb-tests");
  EXPECT_EQ(provenance.source_digest.at("sha1"), "01ce393d04eb6df2a7b2b3e95d4126e687afb7ae");
  EXPECT_EQ(provenance.entry_point, "cloudbuild.yaml");

  options.builder_id = "https://cloudbuild.googleapis.com/GoogleHostedWorker@v0.2";
  EXPECT_THAT(VerifyGcbProvenance(resigned, image_, options),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("gcb: builder:")));
}

TEST(GcbMalformedTest, StructureErrorsNameTheProvenanceStep) {
  const core::Digest image = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  for (const char* json :
       {"", "[]", R"({"provenance_summary": {}})", R"({"provenance_summary": {"provenance": []}})",
        R"({"provenance_summary": {"provenance": [{}]}})",
        R"({"provenance_summary": {"provenance": [{"envelope": {"payload": "e30=",
            "payloadType": "text/plain", "signatures": [{"sig": "AA=="}]}}]}})"}) {
    EXPECT_THAT(VerifyGcbProvenance(json, image, {}),
                StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("gcb: provenance:")))
        << json;
  }
}

}  // namespace
}  // namespace bulwark::sign
