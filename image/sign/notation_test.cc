#include "bulwark/image/sign/notation.h"

#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/timestamp.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

std::string MediaTypeOf(const std::string& bytes) {
  return std::string(!bytes.empty() && bytes[0] == '{' ? kNotationJws : kNotationCose);
}

// The 19 notation cases of ../shared/conformance/sig/EXPECTATIONS.json, verified at the
// strict level against notation-go's test trust stores.
TEST(NotationTest, ExpectationsCases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig");
  absl::StatusOr<core::Value> expectations =
      core::ParseJsonFile(absl::StrCat(dir, "/EXPECTATIONS.json"));
  ASSERT_THAT(expectations, IsOk());
  absl::StatusOr<NotationTrustStores> trust = LoadNotationTrustStores(
      absl::StrCat(dir, "/notation-go/verifier/testdata/truststore"),
      {"ca:valid-trust-store", "signingAuthority:valid-trust-store", "tsa:test-timestamp"});
  ASSERT_THAT(trust, IsOk());
  int checked = 0;
  int passed = 0;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    if (!absl::StartsWith(id, "notation-go/")) continue;
    SCOPED_TRACE(id);
    absl::StatusOr<std::string> bytes = core::ReadFileToString(
        absl::StrCat(dir, "/", entry.Find("envelope")->string_value()), 1 << 20);
    ASSERT_THAT(bytes, IsOk());
    absl::StatusOr<NotationEnvelope> envelope = ParseNotationEnvelope(*bytes, MediaTypeOf(*bytes));
    const bool expect_pass = entry.Find("expect")->string_value() == "pass";
    ++checked;
    if (!envelope.ok()) {
      EXPECT_FALSE(expect_pass) << envelope.status();
      passed += !expect_pass;
      std::printf("%-80s %s\n", id.c_str(), std::string(envelope.status().message()).c_str());
      continue;
    }
    if (const core::Value* token = entry.Find("token")) {
      // A countersignature token swapped into an envelope it was not made for, or broken.
      absl::StatusOr<std::string> der =
          core::ReadFileToString(absl::StrCat(dir, "/", token->string_value()), 1 << 20);
      ASSERT_THAT(der, IsOk());
      std::vector<CertificateAuthority> tsa;
      for (const Certificate& root : trust->tsa) tsa.push_back({"", {root}});
      absl::Status stamp = VerifyRfc3161Timestamp(*der, envelope->signature, tsa).status();
      EXPECT_THAT(stamp, StatusIs(absl::StatusCode::kPermissionDenied));
      envelope->timestamp_token = *der;
    }
    NotationVerifyOptions options;
    options.trust = *trust;
    options.trusted_identities = {"*"};
    // notation-go's tests put these signers' self-signed certificates in temporary trust
    // stores that are not part of the shared data; trust the envelope's own root the same way.
    options.trust.ca.push_back(envelope->chain.back());
    // The timestamp cases are notation-go's verifyTimestamp "always" tests.
    options.checks.timestamp_always =
        absl::StrContains(id, "timestamp") || absl::StrContains(id, "countersignature");
    absl::StatusOr<NotationVerification> result = VerifyNotationSignature(*envelope, options);
    EXPECT_EQ(result.ok(), expect_pass) << result.status();
    std::printf("%-80s %s\n", id.c_str(),
                result.ok() ? "verified" : std::string(result.status().message()).c_str());
    passed += result.ok() == expect_pass;
  }
  EXPECT_EQ(checked, 19);
  std::printf("notation: %d of %d cases as expected\n", passed, checked);
}

TEST(NotationTest, TrustStoreDecidesAuthenticity) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig/notation-go");
  const std::string stores = absl::StrCat(dir, "/verifier/testdata/truststore");
  absl::StatusOr<NotationTrustStores> trust =
      LoadNotationTrustStores(stores, {"ca:valid-trust-store", "tsa:test-timestamp"});
  ASSERT_THAT(trust, IsOk());
  absl::StatusOr<std::string> bytes =
      core::ReadFileToString(absl::StrCat(dir, "/internal/testdata/jws_signature.sig"), 1 << 20);
  ASSERT_THAT(bytes, IsOk());
  absl::StatusOr<NotationEnvelope> envelope = ParseNotationEnvelope(*bytes, kNotationJws);
  ASSERT_THAT(envelope, IsOk());
  NotationVerifyOptions options;
  options.trust = *trust;
  EXPECT_THAT(VerifyNotationSignature(*envelope, options),
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("notation: authenticity: no certificate of the chain")));
  // Audit only logs authenticity.
  options.checks = ChecksForLevel(NotationLevel::kAudit);
  absl::StatusOr<NotationVerification> audit = VerifyNotationSignature(*envelope, options);
  ASSERT_THAT(audit, IsOk());
  ASSERT_FALSE(audit->logged.empty());
  EXPECT_EQ(audit->target.digest,
            "sha256:19dbd2e48e921426ee8ace4dc892edfb2ecdc1d1a72d5416c83670c30acecef0");
  // Trusted identity: the leaf's subject must hold every attribute named.
  options.checks = ChecksForLevel(NotationLevel::kStrict);
  options.trust.ca.push_back(envelope->chain.back());
  options.trusted_identities = {"x509.subject: C=US, ST=WA, L=Seattle, O=Notary, CN=alpine"};
  EXPECT_THAT(VerifyNotationSignature(*envelope, options), IsOk());
  options.trusted_identities = {"x509.subject: O=Notary, CN=someone-else"};
  EXPECT_THAT(VerifyNotationSignature(*envelope, options),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not a trusted identity")));
  options.trusted_identities = {"*"};
  absl::StatusOr<core::Digest> other =
      core::Digest::Parse(absl::StrCat("sha256:", std::string(64, 'a')));
  options.artifact = *other;
  EXPECT_THAT(VerifyNotationSignature(*envelope, options),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("notation: artifact:")));

  EXPECT_THAT(LoadNotationTrustStores(stores, {"ca:trust-store-with-invalid-certs"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(LoadNotationTrustStores(stores, {"ca:trust-store-with-directories"}), Not(IsOk()));
  EXPECT_THAT(LoadNotationTrustStores(stores, {"ca:../x509"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(LoadNotationTrustStores(stores, {"ca:missing"}),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(NotationTest, TrustPolicyDocument) {
  absl::StatusOr<std::vector<NotationTrustPolicy>> policies = ParseNotationTrustPolicy(R"({
    "version": "1.0",
    "trustPolicies": [
      {"name": "wabbit", "registryScopes": ["registry.example.com/wabbit-networks/net-monitor"],
       "signatureVerification": {"level": "strict", "override": {"expiry": "log"},
                                 "verifyTimestamp": "always"},
       "trustStores": ["ca:wabbit", "tsa:stamps"],
       "trustedIdentities": ["x509.subject: C=US, ST=WA, O=wabbit-networks.io"]},
      {"name": "global", "registryScopes": ["*"],
       "signatureVerification": {"level": "audit"},
       "trustStores": ["ca:acme"], "trustedIdentities": ["*"]}
    ]})");
  ASSERT_THAT(policies, IsOk());
  const NotationTrustPolicy* wabbit =
      FindNotationTrustPolicy(*policies, "registry.example.com/wabbit-networks/net-monitor");
  ASSERT_NE(wabbit, nullptr);
  EXPECT_EQ(wabbit->name, "wabbit");
  EXPECT_TRUE(wabbit->checks.enforce_authenticity);
  EXPECT_FALSE(wabbit->checks.enforce_expiry);
  EXPECT_TRUE(wabbit->checks.timestamp_always);
  const NotationTrustPolicy* global = FindNotationTrustPolicy(*policies, "docker.io/library/x");
  ASSERT_NE(global, nullptr);
  EXPECT_EQ(global->level, NotationLevel::kAudit);
  EXPECT_FALSE(global->checks.enforce_authenticity);

  EXPECT_THAT(ParseNotationTrustPolicy(R"({"version": "2.0", "trustPolicies": []})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("version")));
  EXPECT_THAT(
      ParseNotationTrustPolicy(
          R"({"version": "1.0", "trustPolicies": [{"name": "a", "registryScopes": ["*", "x"],
                     "signatureVerification": {"level": "strict"}, "trustStores": ["ca:a"],
                     "trustedIdentities": ["*"]}]})"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot be combined")));
  EXPECT_THAT(ParseNotationTrustPolicy(
                  R"({"version": "1.0", "trustPolicies": [{"name": "a", "registryScopes": ["x"],
                     "signatureVerification": {"level": "lenient"}}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("level is unknown")));
  EXPECT_THAT(ParseNotationTrustPolicy(
                  R"({"version": "1.0", "trustPolicies": [{"name": "a", "registryScopes": ["x"],
                     "signatureVerification": {"level": "strict"}}]})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("trustStores")));
}

TEST(NotationTest, MalformedEnvelopes) {
  for (const std::string& bytes :
       {std::string("{}"), std::string("not json"), std::string("\xd2\x84", 2),
        std::string("\x9f\x9f\x9f", 3), std::string("\xd2\x9b\xff\xff\xff\xff\xff\xff\xff\xff", 10),
        std::string(40, '\x81')}) {
    EXPECT_THAT(ParseNotationEnvelope(bytes, bytes[0] == '{' ? kNotationJws : kNotationCose),
                StatusIs(absl::StatusCode::kInvalidArgument));
  }
  EXPECT_THAT(ParseNotationEnvelope("{}", "text/plain"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("media type")));
}

}  // namespace
}  // namespace bulwark::sign
