#include "bulwark/image/sign/certificate.h"

#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
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

std::string ReadShared(const std::string& dir, const std::string& relative) {
  absl::StatusOr<std::string> text = core::ReadFileToString(dir + "/" + relative, 1 << 20);
  EXPECT_THAT(text, IsOk());
  return text.value_or("");
}

// What the expectation says for one profile check: "CA"/"root"/"leaf" (true), "not-..." (false),
// "ERROR(invalid)" (error) or "?" (not asserted).
void ExpectProfile(const std::string& expected, const absl::StatusOr<bool>& actual,
                   const std::string& what) {
  if (expected == "?") return;
  if (expected.rfind("ERROR", 0) == 0) {
    EXPECT_THAT(actual, StatusIs(absl::StatusCode::kInvalidArgument,
                                 HasSubstr("invalid X.509 certificate")))
        << what;
    return;
  }
  ASSERT_THAT(actual, IsOk()) << what;
  EXPECT_EQ(*actual, expected.rfind("not-", 0) != 0) << what;
}

// sigstore-python's synthetic certificates (test_utils.py), with the verdicts listed in
// ../shared/conformance/sig/EXPECTATIONS.json.
TEST(CertificateTest, SigstoreProfileCases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig");
  absl::StatusOr<core::Value> expectations = core::ParseJsonFile(dir + "/EXPECTATIONS.json");
  ASSERT_THAT(expectations, IsOk());
  int checked = 0;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string expect = entry.Find("expect")->string_value();
    if (expect.rfind("cert_is_ca=", 0) != 0) continue;
    const std::string file = entry.Find("file")->string_value();
    SCOPED_TRACE(file);
    absl::StatusOr<Certificate> cert = Certificate::Parse(ReadShared(dir, file));
    ASSERT_THAT(cert, IsOk());
    for (absl::string_view part : absl::StrSplit(expect, "; ")) {
      std::vector<std::string> kv = absl::StrSplit(part, '=');
      ASSERT_EQ(kv.size(), 2u);
      if (kv[0] == "cert_is_ca") ExpectProfile(kv[1], IsCa(*cert), kv[0]);
      if (kv[0] == "cert_is_root_ca") ExpectProfile(kv[1], IsRootCa(*cert), kv[0]);
      if (kv[0] == "cert_is_leaf") ExpectProfile(kv[1], IsLeaf(*cert), kv[0]);
    }
    ++checked;
  }
  EXPECT_EQ(checked, 10);
}

// containers/image's Fulcio certificate (valid for 10 minutes on 2022-12-12), its chain and the
// Fulcio root.
class FulcioChainTest : public ::testing::Test {
 protected:
  void SetUp() override {
    BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig/containers-image/signature/fixtures");
    leaf = Certificate::Parse(ReadShared(dir, "fulcio-cert"));
    chain = Certificate::ParsePemChain(ReadShared(dir, "fulcio-chain"));
    roots = Certificate::ParsePemChain(ReadShared(dir, "fulcio_v1.crt.pem"));
    ASSERT_THAT(leaf, IsOk());
    ASSERT_THAT(chain, IsOk());
    ASSERT_THAT(roots, IsOk());
  }

  absl::StatusOr<Certificate> leaf = absl::UnknownError("not loaded");
  absl::StatusOr<std::vector<Certificate>> chain;
  absl::StatusOr<std::vector<Certificate>> roots;
};

// The chain verifies to its Fulcio root only inside the leaf's validity window.
TEST_F(FulcioChainTest, FulcioChainAtSigningTime) {
  const absl::Time during = leaf->not_before() + absl::Minutes(5);
  absl::StatusOr<std::vector<Certificate>> verified = VerifyChain(*leaf, *chain, *roots, during);
  ASSERT_THAT(verified, IsOk());
  EXPECT_GE(verified->size(), 2u);
  EXPECT_TRUE(verified->front() == *leaf);
  EXPECT_THAT(VerifyChain(*leaf, *chain, *roots, absl::Now()),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("expired")));
  EXPECT_THAT(VerifyChain(*leaf, *chain, *roots, leaf->not_before() - absl::Seconds(1)),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("not yet valid")));
  // Without the root the chain does not verify.
  EXPECT_THAT(VerifyChain(*leaf, *chain, {}, during),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("certificate chain")));

  const std::vector<SubjectAltName> names = leaf->subject_alt_names();
  ASSERT_EQ(names.size(), 1u);
  EXPECT_EQ(names[0].kind, SubjectAltName::Kind::kEmail);
  EXPECT_EQ(names[0].value, "mitr@redhat.com");
  EXPECT_EQ(leaf->fulcio_extensions().issuer, "https://github.com/login/oauth");
  EXPECT_THAT(IsLeaf(*leaf), IsOk());
}

// A cache of verified intermediates gives the same chains and the same errors as a full
// verification, and is used only for the same roots inside the path's validity window.
TEST_F(FulcioChainTest, IntermediateCacheKeepsVerdicts) {
  const absl::Time during = leaf->not_before() + absl::Minutes(5);
  absl::StatusOr<std::vector<Certificate>> uncached = VerifyChain(*leaf, *chain, *roots, during);
  ASSERT_THAT(uncached, IsOk());
  ASSERT_EQ(uncached->size(), 3u);  // Leaf, Fulcio intermediate, root.

  IntermediateCache cache;
  ChainOptions options;
  options.cache = &cache;
  for (int round = 0; round < 3; ++round) {
    absl::StatusOr<std::vector<Certificate>> cached =
        VerifyChain(*leaf, *chain, *roots, during, options);
    ASSERT_THAT(cached, IsOk());
    EXPECT_TRUE(*cached == *uncached) << round;
    EXPECT_EQ(cache.size(), 1u);
    EXPECT_EQ(cache.hits(), static_cast<uint64_t>(round));
  }
  // The same errors: an expired leaf, a time before it, no roots, the intermediate as leaf.
  for (absl::Time time : {absl::Now(), leaf->not_before() - absl::Seconds(1)}) {
    EXPECT_EQ(VerifyChain(*leaf, *chain, *roots, time, options).status(),
              VerifyChain(*leaf, *chain, *roots, time).status());
  }
  EXPECT_EQ(VerifyChain(*leaf, *chain, {}, during, options).status(),
            VerifyChain(*leaf, *chain, {}, during).status());
  const Certificate& intermediate = (*uncached)[1];
  absl::StatusOr<std::vector<Certificate>> as_leaf =
      VerifyChain(intermediate, *chain, *roots, during, options);
  absl::StatusOr<std::vector<Certificate>> as_leaf_uncached =
      VerifyChain(intermediate, *chain, *roots, during);
  EXPECT_EQ(as_leaf.status(), as_leaf_uncached.status());
  // Other roots or another partial-chain setting are other keys.
  EXPECT_FALSE(cache.Find({}, intermediate, false, during).has_value());
  EXPECT_FALSE(cache.Find(*roots, intermediate, true, during).has_value());
  // Outside the intermediate's validity the path is not offered.
  EXPECT_FALSE(cache.Find(*roots, intermediate, false, intermediate.not_after() + absl::Seconds(1))
                   .has_value());

  IntermediateCache none(0);
  options.cache = &none;
  EXPECT_THAT(VerifyChain(*leaf, *chain, *roots, during, options), IsOk());
  EXPECT_EQ(none.size(), 0u);
}

TEST(CertificateTest, MalformedCertificates) {
  EXPECT_THAT(Certificate::Parse(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Certificate::Parse("-----BEGIN CERTIFICATE-----\nMII=\n-----END CERTIFICATE-----\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Certificate::ParsePemChain("no pem here"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::sign
