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
  int encrypted_opened = 0;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    if (id.rfind("cosign/keys/", 0) != 0) continue;
    SCOPED_TRACE(id);
    absl::StatusOr<std::string> pem =
        core::ReadFileToString(absl::StrCat(dir, "/", entry.Find("file")->string_value()), 1 << 20);
    ASSERT_THAT(pem, IsOk());
    // cosign's encrypted keys (README: password "hello") open only with their password.
    const bool encrypted = pem->find("ENCRYPTED COSIGN") != std::string::npos ||
                           pem->find("ENCRYPTED SIGSTORE") != std::string::npos;
    if (encrypted) {
      EXPECT_THAT(PrivateKey::ParsePem(*pem, "wrong"),
                  StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("wrong password")));
    }
    absl::StatusOr<PrivateKey> key = PrivateKey::ParsePem(*pem, encrypted ? "hello" : "");
    if (encrypted && entry.Find("expect")->string_value() == "fail") {
      // Decrypts, but the key inside is SEC1, not PKCS#8 (cosign rejects it the same way).
      EXPECT_THAT(key, StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not PKCS#8")));
    } else if (encrypted) {
      ASSERT_THAT(key, IsOk());
      // The key signs, and its signature verifies with its public key.
      absl::StatusOr<std::string> signature =
          key->Sign("payload", key->public_key().DefaultParams());
      ASSERT_THAT(signature, IsOk());
      EXPECT_THAT(
          key->public_key().Verify("payload", *signature, key->public_key().DefaultParams()),
          IsOk());
      ++encrypted_opened;
    }
    const bool imported = key.ok() && CheckCosignKeyPolicy(key->public_key()).ok();
    EXPECT_EQ(imported, entry.Find("expect")->string_value() == "pass")
        << (key.ok() ? CheckCosignKeyPolicy(key->public_key()) : key.status());
    ++checked;
  }
  EXPECT_EQ(checked, 17);
  EXPECT_EQ(encrypted_opened, 2);
}

TEST(KeysTest, CosignEncryptedKeyRoundTripAndHostileParameters) {
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(key, IsOk());
  absl::StatusOr<std::string> pem = key->EncryptedCosignPem("s3cret");
  ASSERT_THAT(pem, IsOk());
  EXPECT_THAT(*pem, HasSubstr("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----"));
  absl::StatusOr<PrivateKey> back = PrivateKey::ParsePem(*pem, "s3cret");
  ASSERT_THAT(back, IsOk());
  EXPECT_TRUE(back->public_key() == key->public_key());
  EXPECT_THAT(PrivateKey::ParsePem(*pem, ""), StatusIs(absl::StatusCode::kPermissionDenied));

  auto block = [](const std::string& json) {
    return absl::StrCat("-----BEGIN ENCRYPTED SIGSTORE PRIVATE KEY-----\n",
                        absl::Base64Escape(json),
                        "\n-----END ENCRYPTED SIGSTORE PRIVATE KEY-----\n");
  };
  const std::string nonce = absl::Base64Escape(std::string(24, 'n'));
  const std::string box = absl::Base64Escape(std::string(40, 'c'));
  // A scrypt cost of 2^40 * 8 * 128 bytes is refused before any memory is taken.
  EXPECT_THAT(
      PrivateKey::ParsePem(
          block(absl::StrCat(
              R"({"kdf":{"name":"scrypt","params":{"N":1099511627776,"r":8,"p":1},"salt":"c2FsdA=="},)",
              R"("cipher":{"name":"nacl/secretbox","nonce":")", nonce, R"("},"ciphertext":")", box,
              R"("})")),
          "x"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("exceed")));
  EXPECT_THAT(PrivateKey::ParsePem(block(R"({"kdf":{"name":"pbkdf2"}})"), "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("kdf.name")));
  EXPECT_THAT(
      PrivateKey::ParsePem(
          block(absl::StrCat(
              R"({"kdf":{"name":"scrypt","params":{"N":16,"r":1,"p":1},"salt":"c2FsdA=="},)",
              R"("cipher":{"name":"nacl/secretbox","nonce":"AAAA"},"ciphertext":")", box, R"("})")),
          "x"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("nonce is 3 bytes")));
  EXPECT_THAT(PrivateKey::ParsePem(block("not json"), "x"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::sign
