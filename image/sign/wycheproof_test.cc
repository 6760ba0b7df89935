// Runs the Wycheproof signature-verification vectors (C2SP/wycheproof testvectors_v1, in
// ../shared/conformance/sig/wycheproof) through PublicKey::Verify: every "valid" vector must
// verify, every "invalid" one must fail. "acceptable" vectors are counted per flag and must
// behave as docs/sign.md says (MissingNull: rejected, as OpenSSL 3 compares the full DigestInfo).
#include <cstdio>
#include <map>
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/keys.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::Value;

std::string Unhex(const std::string& hex) {
  for (char c : hex) EXPECT_TRUE(absl::ascii_isxdigit(static_cast<unsigned char>(c))) << hex;
  return absl::HexStringToBytes(hex);
}

HashAlgorithm HashFromName(const std::string& name) {
  if (name == "SHA-1") return HashAlgorithm::kSha1;
  if (name == "SHA-224") return HashAlgorithm::kSha224;
  if (name == "SHA-384") return HashAlgorithm::kSha384;
  if (name == "SHA-512") return HashAlgorithm::kSha512;
  EXPECT_EQ(name, "SHA-256");
  return HashAlgorithm::kSha256;
}

struct Counts {
  int valid = 0, invalid = 0, acceptable_accepted = 0, acceptable_rejected = 0, mismatches = 0;
};

// What Bulwark does with each "acceptable" flag (see docs/sign.md).
const std::map<std::string, bool>& AcceptableOutcome() {
  static const auto* outcome = new std::map<std::string, bool>{{"MissingNull", false}};
  return *outcome;
}

class WycheproofTest : public ::testing::TestWithParam<std::string> {};

TEST_P(WycheproofTest, AllVectorsAgree) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig/wycheproof/testvectors_v1");
  const std::string path = absl::StrCat(dir, "/", GetParam());
  absl::StatusOr<Value> file = core::ParseJsonFile(path);
  ASSERT_THAT(file, core::testing::IsOk());
  const std::string schema = file->Find("schema")->string_value();
  Counts counts;
  for (const Value& group : file->Find("testGroups")->list_value()) {
    absl::StatusOr<PublicKey> key =
        PublicKey::ParseDer(Unhex(group.Find("publicKeyDer")->string_value()));
    ASSERT_THAT(key, core::testing::IsOk()) << path;
    SignatureParams params;
    if (const Value* sha = group.Find("sha")) params.hash = HashFromName(sha->string_value());
    if (schema == "ecdsa_p1363_verify_schema_v1.json") {
      params.ecdsa_encoding = EcdsaEncoding::kP1363;
    }
    if (schema == "rsassa_pss_verify_schema_v1.json") {
      params.rsa_padding = RsaPadding::kPss;
      params.pss_mgf1_hash = HashFromName(group.Find("mgfSha")->string_value());
      params.pss_salt_length = static_cast<int>(group.Find("sLen")->int_value());
    }
    for (const Value& test : group.Find("tests")->list_value()) {
      const std::string result = test.Find("result")->string_value();
      const bool verified = key->Verify(Unhex(test.Find("msg")->string_value()),
                                        Unhex(test.Find("sig")->string_value()), params)
                                .ok();
      std::vector<std::string> flags;
      for (const Value& flag : test.Find("flags")->list_value()) {
        flags.push_back(flag.string_value());
      }
      bool expected = result == "valid";
      if (result == "valid") ++counts.valid;
      if (result == "invalid") ++counts.invalid;
      if (result == "acceptable") {
        ASSERT_EQ(flags.size(), 1u) << "tcId " << test.Find("tcId")->int_value();
        auto it = AcceptableOutcome().find(flags[0]);
        ASSERT_NE(it, AcceptableOutcome().end()) << "undocumented acceptable flag " << flags[0];
        expected = it->second;
        ++(verified ? counts.acceptable_accepted : counts.acceptable_rejected);
      }
      if (verified != expected) {
        ++counts.mismatches;
        ADD_FAILURE() << GetParam() << " tcId " << test.Find("tcId")->int_value() << " (" << result
                      << ", " << absl::StrJoin(flags, ",") << ", "
                      << test.Find("comment")->string_value() << "): verified=" << verified;
      }
    }
  }
  std::printf(
      "wycheproof %-44s valid %4d invalid %4d acceptable accepted %d rejected %d "
      "mismatches %d\n",
      GetParam().c_str(), counts.valid, counts.invalid, counts.acceptable_accepted,
      counts.acceptable_rejected, counts.mismatches);
  EXPECT_EQ(counts.mismatches, 0);
}

INSTANTIATE_TEST_SUITE_P(
    Files, WycheproofTest,
    ::testing::Values(
        "ecdsa_secp256r1_sha256_p1363_test.json", "ecdsa_secp256r1_sha256_test.json",
        "ecdsa_secp384r1_sha256_test.json", "ecdsa_secp384r1_sha384_p1363_test.json",
        "ecdsa_secp384r1_sha384_test.json", "ecdsa_secp521r1_sha512_test.json", "ed25519_test.json",
        "rsa_pss_2048_sha256_mgf1_0_test.json", "rsa_pss_2048_sha256_mgf1_32_test.json",
        "rsa_pss_2048_sha384_mgf1_48_test.json", "rsa_pss_3072_sha256_mgf1_32_test.json",
        "rsa_pss_4096_sha256_mgf1_32_test.json", "rsa_pss_4096_sha384_mgf1_48_test.json",
        "rsa_pss_4096_sha512_mgf1_64_test.json", "rsa_pss_misc_test.json",
        "rsa_signature_2048_sha256_test.json", "rsa_signature_3072_sha256_test.json",
        "rsa_signature_3072_sha384_test.json", "rsa_signature_4096_sha256_test.json",
        "rsa_signature_4096_sha512_test.json"));

}  // namespace
}  // namespace bulwark::sign
