#include "bulwark/image/sign/keys.h"

#include <string>

#include "absl/strings/escaping.h"
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

TEST(KeysTest, SignVerifyRoundTripEveryAlgorithmAndEncoding) {
  for (KeyAlgorithm algorithm :
       {KeyAlgorithm::kEcdsaP256, KeyAlgorithm::kEcdsaP384, KeyAlgorithm::kEcdsaP521,
        KeyAlgorithm::kRsa, KeyAlgorithm::kEd25519}) {
    SCOPED_TRACE(KeyAlgorithmName(algorithm));
    absl::StatusOr<PrivateKey> key = PrivateKey::Generate(algorithm, 2048);
    ASSERT_THAT(key, IsOk());
    std::vector<SignatureParams> variants = {key->public_key().DefaultParams()};
    SignatureParams p1363 = variants[0];
    p1363.ecdsa_encoding = EcdsaEncoding::kP1363;
    SignatureParams pss = variants[0];
    pss.rsa_padding = RsaPadding::kPss;
    variants.push_back(p1363);
    variants.push_back(pss);
    for (const SignatureParams& params : variants) {
      absl::StatusOr<std::string> signature = key->Sign("payload", params);
      ASSERT_THAT(signature, IsOk());
      EXPECT_THAT(key->public_key().Verify("payload", *signature, params), IsOk());
      EXPECT_THAT(key->public_key().Verify("payloaD", *signature, params),
                  StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("verification failed")));
    }
    // The PEM forms read back to the same key.
    absl::StatusOr<PublicKey> reread = PublicKey::ParsePem(key->public_key().Pem());
    ASSERT_THAT(reread, IsOk());
    EXPECT_TRUE(*reread == key->public_key());
    absl::StatusOr<PublicKey> from_der = PublicKey::Parse(key->public_key().SpkiDer());
    ASSERT_THAT(from_der, IsOk());
    EXPECT_TRUE(*from_der == key->public_key());
    absl::StatusOr<PrivateKey> private_reread = PrivateKey::ParsePem(key->Pem());
    ASSERT_THAT(private_reread, IsOk());
    EXPECT_TRUE(private_reread->public_key() == key->public_key());
  }
}

TEST(KeysTest, VerifyDigestMatchesVerifyOfTheMessage) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(key, IsOk());
  const SignatureParams params = key->public_key().DefaultParams();
  absl::StatusOr<std::string> signature = key->Sign("abc", params);
  ASSERT_THAT(signature, IsOk());
  // SHA-256("abc") from FIPS 180-2.
  const std::string digest =
      absl::HexStringToBytes("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_THAT(key->public_key().VerifyDigest(digest, *signature, params), IsOk());
  EXPECT_THAT(key->public_key().VerifyDigest(digest.substr(1), *signature, params),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeysTest, MalformedKeysAreClearErrors) {
  EXPECT_THAT(PublicKey::Parse(""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(PublicKey::Parse("-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----\n"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("PUBLIC KEY")));
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  ASSERT_THAT(key, IsOk());
  EXPECT_THAT(PublicKey::ParseDer(key->public_key().SpkiDer() + "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("trailing")));
  EXPECT_THAT(PrivateKey::ParsePem("-----BEGIN PRIVATE KEY-----\n-----END PRIVATE KEY-----\n"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KeysTest, OtherCurvesAreUnimplemented) {
  // secp256k1, generated here with openssl's own encoder.
  const std::string pem =
      "-----BEGIN PUBLIC KEY-----\n"
      "MFYwEAYHKoZIzj0CAQYFK4EEAAoDQgAEecMtU9oyr9nmafW0XNGz5eRCVkqXtqaW\n"
      "znJJeekxd2a2t8EYy68Y5ZJ1eQ5BGLguCjiENVBBjZ00n+0EjRNopw==\n"
      "-----END PUBLIC KEY-----\n";
  EXPECT_THAT(PublicKey::ParsePem(pem),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("secp256k1")));
}

// The key cases of ../shared/conformance/sig/EXPECTATIONS.json (cosign's keys_test.go): import
// with cosign's rules gives the expected pass/fail. cosign's own encrypted format is not
// supported (docs/sign.md) and must say so.
TEST(KeysTest, CosignKeyImportCases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/sig");
  absl::StatusOr<core::Value> expectations =
      core::ParseJsonFile(absl::StrCat(dir, "/EXPECTATIONS.json"));
  ASSERT_THAT(expectations, IsOk());
  int checked = 0;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    if (id.rfind("cosign/keys/", 0) != 0) continue;
    SCOPED_TRACE(id);
    absl::StatusOr<std::string> pem =
        core::ReadFileToString(absl::StrCat(dir, "/", entry.Find("file")->string_value()), 1 << 20);
    ASSERT_THAT(pem, IsOk());
    absl::StatusOr<PrivateKey> key = PrivateKey::ParsePem(*pem);
    if (pem->find("ENCRYPTED COSIGN") != std::string::npos ||
        pem->find("ENCRYPTED SIGSTORE") != std::string::npos) {
      EXPECT_THAT(key, StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("secretbox")));
      continue;
    }
    const bool imported = key.ok() && CheckCosignKeyPolicy(key->public_key()).ok();
    EXPECT_EQ(imported, entry.Find("expect")->string_value() == "pass")
        << (key.ok() ? CheckCosignKeyPolicy(key->public_key()) : key.status());
    ++checked;
  }
  EXPECT_EQ(checked, 14);
}

}  // namespace
}  // namespace bulwark::sign
