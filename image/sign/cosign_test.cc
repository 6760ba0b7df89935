#include "bulwark/image/sign/cosign.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
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

constexpr char kFixtures[] = "conformance/sig/containers-image/signature/fixtures";

std::string Read(const std::string& path) {
  absl::StatusOr<std::string> text = core::ReadFileToString(path, 1 << 22);
  EXPECT_THAT(text, IsOk()) << path;
  return text.value_or("");
}

PublicKey Key(const std::string& path) {
  absl::StatusOr<PublicKey> key = PublicKey::Parse(Read(path));
  EXPECT_THAT(key, IsOk());
  return *key;
}

std::vector<Certificate> Certs(const std::string& path) {
  absl::StatusOr<std::vector<Certificate>> certs = Certificate::ParsePemChain(Read(path));
  EXPECT_THAT(certs, IsOk());
  return certs.value_or(std::vector<Certificate>{});
}

// The trust each containers/image case names in ../shared/conformance/sig/EXPECTATIONS.json.
CosignVerifyOptions TrustFor(const std::string& fixtures, const std::string& id) {
  CosignVerifyOptions options;
  const std::string rekor = fixtures + "/rekor.pub";
  if (absl::StrContains(id, "fulcio")) {
    options.roots = Certs(fixtures + "/fulcio_v1.crt.pem");
    options.rekor_keys = {LogKeyFromPublicKey(Key(rekor))};
    options.certificate_identity = "mitr@redhat.com";
    options.certificate_oidc_issuer = "https://github.com/login/oauth";
  } else if (absl::StrContains(id, "pki")) {
    options.roots = Certs(fixtures + "/pki_root_crts.pem");
    options.intermediates = Certs(fixtures + "/pki_intermediate_crts.pem");
    options.certificate_identity = "qiwan@redhat.com";
  } else {
    options.key = Key(fixtures + "/cosign.pub");
    if (absl::StrContains(id, "rekor")) {
      // EXPECTATIONS.json says cosign.pub, but this fixture (and its Rekor entry) was signed with
      // cosign2.pub's key, which is what containers/image's own test uses.
      options.key = Key(fixtures + "/cosign2.pub");
      options.rekor_keys = {LogKeyFromPublicKey(Key(rekor))};
    }
  }
  return options;
}

TEST(CosignTest, ContainersImageCases) {
  BULWARK_SHARED_PATH_OR_SKIP(sig, "conformance/sig");
  const std::string fixtures = absl::StrCat(sig, "/containers-image/signature/fixtures");
  absl::StatusOr<core::Value> expectations = core::ParseJsonFile(sig + "/EXPECTATIONS.json");
  ASSERT_THAT(expectations, IsOk());
  int passed = 0, total = 0;
  for (const core::Value& entry : expectations->Find("cases")->list_value()) {
    const std::string id = entry.Find("id")->string_value();
    if (id.rfind("containers-image/", 0) != 0) continue;
    SCOPED_TRACE(id);
    ++total;
    const bool expect_pass = entry.Find("expect")->string_value() == "pass";
    const CosignVerifyOptions options = TrustFor(fixtures, id);
    bool verified = false;
    std::string why;
    if (const core::Value* dir = entry.Find("image_dir")) {
      absl::StatusOr<ContainersImageDir> image =
          ReadContainersImageDir(absl::StrCat(sig, "/", dir->string_value()));
      if (image.ok()) {
        CosignVerifyOptions with_reference = options;
        with_reference.reference = entry.Find("reference")->string_value();
        CosignVerification result =
            VerifyCosignSignatures(image->signatures, image->manifest_digest, with_reference);
        verified = result.verified();
        why = result.Summary();
      } else {
        why = std::string(image.status().message());
      }
    } else {
      absl::StatusOr<CosignSignature> signature = ParseSigstoreJsonSignature(
          Read(absl::StrCat(sig, "/", entry.Find("signature")->string_value())), id);
      ASSERT_THAT(signature, IsOk());
      absl::StatusOr<SimpleSigningPayload> payload = ParseSimpleSigningPayload(signature->payload);
      ASSERT_THAT(payload, IsOk());
      absl::StatusOr<core::Digest> digest = core::Digest::Parse(payload->docker_manifest_digest);
      ASSERT_THAT(digest, IsOk());
      const absl::Status status = VerifyCosignSignature(*signature, *digest, options);
      verified = status.ok();
      why = std::string(status.message());
      if (!verified) {
        EXPECT_THAT(why, HasSubstr("cosign: signature:"));
      }
    }
    EXPECT_EQ(verified, expect_pass) << why;
    if (verified == expect_pass) ++passed;
  }
  std::printf("containers-image cosign cases: %d of %d as expected\n", passed, total);
  EXPECT_EQ(total, 12);
}

// The "also FAIL" notes of the expectations: another key, another reference, another tag, a
// certificate-based signature without its certificate.
TEST(CosignTest, ContainersImageNegativeVariants) {
  BULWARK_SHARED_PATH_OR_SKIP(fixtures, kFixtures);
  absl::StatusOr<ContainersImageDir> valid =
      ReadContainersImageDir(fixtures + "/dir-img-cosign-valid");
  ASSERT_THAT(valid, IsOk());
  CosignVerifyOptions options;
  options.key = Key(fixtures + "/cosign2.pub");
  CosignVerification other_key =
      VerifyCosignSignatures(valid->signatures, valid->manifest_digest, options);
  EXPECT_FALSE(other_key.verified());
  EXPECT_THAT(other_key.Summary(), HasSubstr("cosign: signature: signature verification failed"));

  options.key = Key(fixtures + "/cosign.pub");
  options.reference = "testing/manifest:notlatest";
  CosignVerification other_reference =
      VerifyCosignSignatures(valid->signatures, valid->manifest_digest, options);
  EXPECT_FALSE(other_reference.verified());
  EXPECT_THAT(other_reference.Summary(), HasSubstr("cosign: docker reference:"));
  // An untagged signed reference covers any tag of the repository.
  options.reference = "192.168.64.2:5000/cosign-signed-single-sample:anything";
  EXPECT_TRUE(
      VerifyCosignSignatures(valid->signatures, valid->manifest_digest, options).verified());

  absl::StatusOr<ContainersImageDir> tagged =
      ReadContainersImageDir(fixtures + "/dir-img-cosign-valid-with-tag");
  ASSERT_THAT(tagged, IsOk());
  options.reference = "192.168.64.2:5000/skopeo-signed:othertag";
  EXPECT_FALSE(
      VerifyCosignSignatures(tagged->signatures, tagged->manifest_digest, options).verified());
  options.reference.reset();
  options.required_annotations = {{"creator", "containers/image 5.21.2-dev"}};
  EXPECT_TRUE(
      VerifyCosignSignatures(tagged->signatures, tagged->manifest_digest, options).verified());
  options.required_annotations = {{"creator", "someone else"}};
  EXPECT_THAT(
      VerifyCosignSignatures(tagged->signatures, tagged->manifest_digest, options).Summary(),
      HasSubstr("cosign: annotation: \"creator\""));

  absl::StatusOr<ContainersImageDir> pki =
      ReadContainersImageDir(fixtures + "/dir-img-cosign-pki-valid");
  ASSERT_THAT(pki, IsOk());
  CosignVerifyOptions pki_options = TrustFor(fixtures, "pki");
  pki->signatures[0].annotations.erase(std::string(kCertificateAnnotation));
  EXPECT_THAT(VerifyCosignSignatures(pki->signatures, pki->manifest_digest, pki_options).Summary(),
              HasSubstr("cosign: certificate: no key given and no certificate annotation"));

  // The Rekor bundle must belong to this signature: another key with the same bundle fails.
  absl::StatusOr<ContainersImageDir> rekor =
      ReadContainersImageDir(fixtures + "/dir-img-cosign-key-rekor-valid");
  ASSERT_THAT(rekor, IsOk());
  CosignVerifyOptions rekor_options = TrustFor(fixtures, "key-rekor");
  rekor_options.rekor_keys = {LogKeyFromPublicKey(Key(fixtures + "/cosign.pub"))};
  EXPECT_THAT(
      VerifyCosignSignatures(rekor->signatures, rekor->manifest_digest, rekor_options).Summary(),
      HasSubstr("cosign: rekor bundle: tlog: log id"));
}

// Our payload bytes equal cosign's, byte for byte (containers/image's fixture was made by cosign).
TEST(CosignTest, PayloadMatchesCosignBytes) {
  BULWARK_SHARED_PATH_OR_SKIP(fixtures, kFixtures);
  absl::StatusOr<ContainersImageDir> valid =
      ReadContainersImageDir(fixtures + "/dir-img-cosign-valid");
  ASSERT_THAT(valid, IsOk());
  EXPECT_EQ(MakeSimpleSigningPayload(valid->manifest_digest,
                                     "192.168.64.2:5000/cosign-signed-single-sample", {}),
            valid->signatures[0].payload);
}

class OciLayoutTest : public testing::LayoutCopyTestBase {};

TEST_F(OciLayoutTest, SignThenVerifyWithTheTagConvention) {
  absl::StatusOr<core::Digest> image = ResolveLayoutImage(layout_, "");
  ASSERT_THAT(image, IsOk());
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(key, IsOk());
  CosignVerifyOptions options;
  options.key = key->public_key();
  absl::StatusOr<CosignVerification> before = VerifyOciLayoutImage(layout_, "", options);
  ASSERT_THAT(before, IsOk());
  EXPECT_FALSE(before->verified());
  EXPECT_THAT(before->Summary(), HasSubstr("no signatures found"));

  CosignSignOptions sign_options;
  sign_options.reference = "example.com/app";
  sign_options.annotations = {{"env", "prod"}};
  absl::StatusOr<CosignSignature> signature = SignImage(*key, *image, sign_options);
  ASSERT_THAT(signature, IsOk());
  ASSERT_THAT(WriteOciLayoutSignature(layout_, *image, *signature), IsOk());
  // Signing twice with the same bytes does not add a layer; a second signature does.
  ASSERT_THAT(WriteOciLayoutSignature(layout_, *image, *signature), IsOk());
  absl::StatusOr<PrivateKey> other = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(other, IsOk());
  absl::StatusOr<CosignSignature> second = SignImage(*other, *image, sign_options);
  ASSERT_THAT(second, IsOk());
  ASSERT_THAT(WriteOciLayoutSignature(layout_, *image, *second), IsOk());

  // The image still resolves alone (the .sig manifest is not taken for it).
  EXPECT_THAT(ResolveLayoutImage(layout_, ""), IsOk());
  options.reference = "example.com/app:v1";
  options.required_annotations = {{"env", "prod"}};
  absl::StatusOr<CosignVerification> after = VerifyOciLayoutImage(layout_, "", options);
  ASSERT_THAT(after, IsOk());
  ASSERT_EQ(after->signatures.size(), 2u) << after->Summary();
  EXPECT_TRUE(after->verified()) << after->Summary();
  EXPECT_TRUE(after->signatures[0].status.ok());
  EXPECT_THAT(after->signatures[1].status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("cosign: signature:")));
  EXPECT_THAT(after->Summary(), HasSubstr(SignatureTag(*image)));

  // The .sig manifest, config and layer have cosign's shapes.
  absl::StatusOr<core::Value> index = core::ParseJsonFile(layout_ + "/index.json");
  ASSERT_THAT(index, IsOk());
  const core::Value& entry = index->Find("manifests")->list_value().back();
  EXPECT_EQ(entry.Find("annotations")->Find("org.opencontainers.image.ref.name")->string_value(),
            SignatureTag(*image));
  absl::StatusOr<core::Digest> manifest_digest =
      core::Digest::Parse(entry.Find("digest")->string_value());
  ASSERT_THAT(manifest_digest, IsOk());
  absl::StatusOr<core::Value> manifest =
      core::ParseJsonFile(layout_ + "/blobs/sha256/" + manifest_digest->Hex());
  ASSERT_THAT(manifest, IsOk());
  EXPECT_EQ(manifest->Find("mediaType")->string_value(),
            "application/vnd.oci.image.manifest.v1+json");
  const core::Value& layer = manifest->Find("layers")->list_value()[0];
  EXPECT_EQ(layer.Find("mediaType")->string_value(), kSimpleSigningMediaType);
  EXPECT_EQ(layer.Find("annotations")->Find(kSignatureAnnotation)->string_value(),
            signature->annotations.at(std::string(kSignatureAnnotation)));
  EXPECT_EQ(signature->payload,
            absl::StrCat("{\"critical\":{\"identity\":{\"docker-reference\":\"example.com/app\"},"
                         "\"image\":{\"docker-manifest-digest\":\"",
                         image->ToString(),
                         "\"},\"type\":\"cosign container image signature\"},"
                         "\"optional\":{\"env\":\"prod\"}}"));
}

TEST_F(OciLayoutTest, ReferrerWithSubjectIsFound) {
  absl::StatusOr<core::Digest> image = ResolveLayoutImage(layout_, "");
  ASSERT_THAT(image, IsOk());
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEd25519);
  ASSERT_THAT(key, IsOk());
  absl::StatusOr<CosignSignature> signature = SignImage(*key, *image);
  ASSERT_THAT(signature, IsOk());
  // An OCI 1.1 referrer, as cosign's --registry-referrers-mode=oci-1-1 writes it.
  const core::Digest payload =
      core::DigestBytes(core::DigestAlgorithm::kSha256, signature->payload);
  const std::string empty_config = "{}";
  const core::Digest config = core::DigestBytes(core::DigestAlgorithm::kSha256, empty_config);
  const std::string manifest = absl::StrCat(
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"artifactType\":\"application/vnd.dev.cosign.artifact.sig.v1+json\","
      "\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,\"digest\":\"",
      config.ToString(), "\"},\"layers\":[{\"mediaType\":\"", kSimpleSigningMediaType,
      "\",\"size\":", signature->payload.size(), ",\"digest\":\"", payload.ToString(),
      "\",\"annotations\":{\"", kSignatureAnnotation, "\":\"",
      signature->annotations.at(std::string(kSignatureAnnotation)),
      "\"}}],\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":1,"
      "\"digest\":\"",
      image->ToString(), "\"}}");
  const core::Digest manifest_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, manifest);
  for (const auto& [digest, bytes] : std::vector<std::pair<core::Digest, std::string>>{
           {payload, signature->payload}, {config, empty_config}, {manifest_digest, manifest}}) {
    std::ofstream(layout_ + "/blobs/sha256/" + digest.Hex(), std::ios::binary) << bytes;
  }
  absl::StatusOr<core::Value> index = core::ParseJsonFile(layout_ + "/index.json");
  ASSERT_THAT(index, IsOk());
  std::string index_text = index->ToJson();
  const std::string entry = absl::StrCat(
      "{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"size\":", manifest.size(),
      ",\"digest\":\"", manifest_digest.ToString(), "\",\"artifactType\":\"",
      kCosignSignatureArtifactType, "\"},");
  index_text.insert(index_text.find("\"manifests\":[") + 13, entry);
  std::ofstream(layout_ + "/index.json", std::ios::binary | std::ios::trunc) << index_text;

  CosignVerifyOptions options;
  options.key = key->public_key();
  absl::StatusOr<CosignVerification> result = VerifyOciLayoutImage(layout_, "", options);
  ASSERT_THAT(result, IsOk());
  EXPECT_TRUE(result->verified()) << result->Summary();
  EXPECT_THAT(result->Summary(), HasSubstr("referrer " + manifest_digest.ToString()));
}

TEST(CosignTest, MalformedInputs) {
  EXPECT_THAT(ParseSimpleSigningPayload("{}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("critical.type")));
  EXPECT_THAT(ParseSigstoreJsonSignature("{}", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("sigstore-json")));
  EXPECT_THAT(ReadContainersImageDir("/nonexistent"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace bulwark::sign
