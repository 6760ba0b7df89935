#include "bulwark/image/sign/attestation.h"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/testing/layout_copy_test_base.h"
#include "gtest/gtest.h"

namespace bulwark::sign {
namespace {

using core::testing::IsOk;
using core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

// A SLSA v1 predicate as GitHub's generator writes one (fields written here, not copied).
constexpr char kSlsaV1Predicate[] = R"({
  "buildDefinition": {
    "buildType": "https://slsa-framework.github.io/github-actions-buildtypes/workflow/v1",
    "externalParameters": {"workflow": {"ref": "refs/tags/v1", "repository":
        "https://github.com/example/app", "path": ".github/workflows/release.yml"}},
    "resolvedDependencies": [{"uri": "git+https://github.com/example/app@refs/tags/v1",
                              "digest": {"gitCommit": "0123456789abcdef0123456789abcdef01234567"}}]
  },
  "runDetails": {"builder": {"id":
      "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/generator_container_slsa3.yml@refs/tags/v2.0.0"}}
})";

class AttestationLayoutTest : public testing::LayoutCopyTestBase {
 protected:
  void SetUp() override {
    testing::LayoutCopyTestBase::SetUp();
    if (IsSkipped() || HasFatalFailure()) return;
    absl::StatusOr<core::Digest> image = ResolveLayoutImage(layout_, "");
    ASSERT_THAT(image, IsOk());
    image_ = *image;
    absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
    ASSERT_THAT(key, IsOk());
    key_ = *key;
  }

  // Attests `subject` with `key` and stores the layer under the image's .att tag.
  void Attest(const PrivateKey& key, const core::Digest& subject, const std::string& type,
              const std::string& predicate) {
    AttestOptions options{type, predicate, "example.com/app"};
    absl::StatusOr<CosignSignature> layer = AttestImage(key, subject, options);
    ASSERT_THAT(layer, IsOk());
    ASSERT_THAT(WriteOciLayoutAttachment(layout_, image_, "att", *layer), IsOk());
  }

  core::Digest image_ = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  std::optional<PrivateKey> key_;
};

TEST_F(AttestationLayoutTest, KeyBasedAttestationsStepByStep) {
  AttestationVerifyOptions options;
  options.signer.key = key_->public_key();
  absl::StatusOr<AttestationVerification> none = VerifyOciLayoutAttestations(layout_, "", options);
  ASSERT_THAT(none, IsOk());
  EXPECT_FALSE(none->verified());
  EXPECT_THAT(none->Summary(), HasSubstr("no attestations found"));

  Attest(*key_, image_, std::string(kSlsaProvenanceV1), kSlsaV1Predicate);
  Attest(*key_, image_, ResolvePredicateType("custom"), R"({"foo":"bar"})");
  // Signed by another key; and one whose subject is another artifact.
  absl::StatusOr<PrivateKey> other = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(other, IsOk());
  Attest(*other, image_, ResolvePredicateType("custom"), "{}");
  Attest(*key_, core::DigestBytes(core::DigestAlgorithm::kSha256, "other"),
         ResolvePredicateType("custom"), "{}");
  // The .att manifest does not count as a second image.
  EXPECT_THAT(ResolveLayoutImage(layout_, ""), IsOk());

  absl::StatusOr<AttestationVerification> all = VerifyOciLayoutAttestations(layout_, "", options);
  ASSERT_THAT(all, IsOk());
  ASSERT_EQ(all->attestations.size(), 4u) << all->Summary();
  EXPECT_THAT(all->attestations[0].status, IsOk());
  EXPECT_THAT(all->attestations[1].status, IsOk());
  EXPECT_THAT(all->attestations[2].status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: signature:")));
  EXPECT_THAT(all->attestations[3].status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: subject:")));
  EXPECT_EQ(all->Verified().size(), 2u);
  EXPECT_THAT(all->Summary(), HasSubstr(AttachmentTag(image_, "att")));

  const AttestationCheck& slsa = all->attestations[0];
  ASSERT_TRUE(slsa.slsa.has_value());
  EXPECT_EQ(slsa.slsa->version, "v1");
  EXPECT_EQ(slsa.slsa->builder_id,
            "https://github.com/slsa-framework/slsa-github-generator/.github/workflows/"
            "generator_container_slsa3.yml@refs/tags/v2.0.0");
  EXPECT_EQ(slsa.slsa->source_uri, "git+https://github.com/example/app@refs/tags/v1");
  EXPECT_EQ(slsa.slsa->entry_point, ".github/workflows/release.yml");
  ASSERT_TRUE(slsa.statement.has_value());
  EXPECT_EQ(slsa.statement->subjects[0].digest.at("sha256"), image_.Hex());
  EXPECT_FALSE(all->attestations[1].slsa.has_value());

  // The predicate type filter (cosign --type).
  options.predicate_type = ResolvePredicateType("slsaprovenance1");
  absl::StatusOr<AttestationVerification> slsa_only =
      VerifyOciLayoutAttestations(layout_, "", options);
  ASSERT_THAT(slsa_only, IsOk());
  ASSERT_EQ(slsa_only->Verified().size(), 1u);
  EXPECT_EQ(slsa_only->Verified()[0]->predicate_type, kSlsaProvenanceV1);
  EXPECT_THAT(slsa_only->attestations[1].status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: predicate type: \"https://cosign.sigstore.dev/")));
  options.predicate_type = ResolvePredicateType("slsaprovenance");
  absl::StatusOr<AttestationVerification> v02 = VerifyOciLayoutAttestations(layout_, "", options);
  ASSERT_THAT(v02, IsOk());
  EXPECT_FALSE(v02->verified()) << v02->Summary();

  // The stored layer has cosign's shape.
  absl::StatusOr<std::vector<CosignSignature>> layers = FindOciLayoutAttestations(layout_, image_);
  ASSERT_THAT(layers, IsOk());
  ASSERT_EQ(layers->size(), 4u);
  EXPECT_EQ((*layers)[0].media_type, kDsseEnvelopeMediaType);
  EXPECT_EQ((*layers)[0].annotations.at("predicateType"), kSlsaProvenanceV1);
  EXPECT_EQ((*layers)[0].annotations.at(std::string(kSignatureAnnotation)), "");
  absl::StatusOr<DsseEnvelope> envelope = ParseDsseEnvelope((*layers)[0].payload);
  ASSERT_THAT(envelope, IsOk());
  EXPECT_THAT(VerifyDsse(*envelope, {key_->public_key()}), IsOk());
}

TEST_F(AttestationLayoutTest, TamperedAndMalformedLayers) {
  absl::StatusOr<CosignSignature> layer =
      AttestImage(*key_, image_, {std::string(kSlsaProvenanceV1), kSlsaV1Predicate, "app"});
  ASSERT_THAT(layer, IsOk());
  AttestationVerifyOptions options;
  options.signer.key = key_->public_key();
  EXPECT_THAT(VerifyCosignAttestation(*layer, image_, options).status, IsOk());

  // A statement swapped inside a validly formed envelope no longer verifies.
  absl::StatusOr<DsseEnvelope> envelope = ParseDsseEnvelope(layer->payload);
  ASSERT_THAT(envelope, IsOk());
  std::string statement = envelope->payload;
  statement.replace(statement.find("v2.0.0"), 6, "v9.9.9");
  CosignSignature swapped = *layer;
  swapped.payload = absl::StrCat("{\"payloadType\":\"application/vnd.in-toto+json\",\"payload\":\"",
                                 absl::Base64Escape(statement), "\",\"signatures\":[{\"sig\":\"",
                                 absl::Base64Escape(envelope->signatures[0].signature), "\"}]}");
  EXPECT_THAT(VerifyCosignAttestation(swapped, image_, options).status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: signature:")));

  CosignSignature garbage = *layer;
  garbage.payload = "{\"payloadType\":";
  EXPECT_THAT(VerifyCosignAttestation(garbage, image_, options).status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: envelope:")));
  CosignSignature simple = *layer;
  simple.media_type = std::string(kSimpleSigningMediaType);
  EXPECT_THAT(VerifyCosignAttestation(simple, image_, options).status,
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: media type:")));
  // Without a key, a layer needs a certificate annotation.
  EXPECT_THAT(VerifyCosignAttestation(*layer, image_, AttestationVerifyOptions{}).status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: certificate: no key given")));
  // With Rekor keys configured, the bundle annotation is required.
  options.signer.rekor_keys = {LogKeyFromPublicKey(key_->public_key())};
  EXPECT_THAT(VerifyCosignAttestation(*layer, image_, options).status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: rekor bundle: missing")));
  EXPECT_THAT(AttestImage(*key_, image_, {"", "{}", "app"}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(AttestImage(*key_, image_, {"t", "{not json", "app"}), Not(IsOk()));
}

// cosign's OCI attestation fixture: a keyless Sigstore bundle (Fulcio certificate, Rekor v1
// dsse entry) whose statement's subject is sha256:7321...; stored as an OCI 1.1 referrer.
TEST(AttestationBundleTest, KeylessBundleReferrerVerifiesWithProductionRoot) {
  absl::StatusOr<std::string> bundle_path = core::testing::SharedDataPath(
      "conformance/sig/cosign/pkg/cosign/testdata/"
      "oci-attestation.sigstore.json");
  if (!bundle_path.ok()) GTEST_SKIP() << bundle_path.status();
  absl::StatusOr<std::string> root_path = core::testing::SharedDataPath(
      "conformance/sig/sigstore-python/sigstore/_store/"
      "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json");
  ASSERT_THAT(root_path, IsOk());
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> root = TrustedRoot::Load(*root_path);
  ASSERT_THAT(root, IsOk());
  absl::StatusOr<std::string> bundle = core::ReadFileToString(*bundle_path, 1 << 20);
  ASSERT_THAT(bundle, IsOk());

  const std::string layout = absl::StrCat(std::getenv("TEST_TMPDIR"), "/bundle-referrer");
  std::filesystem::remove_all(layout);
  std::filesystem::create_directories(layout + "/blobs/sha256");
  absl::StatusOr<core::Digest> image = core::Digest::Parse(
      "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4");
  ASSERT_THAT(image, IsOk());
  const core::Digest layer = core::DigestBytes(core::DigestAlgorithm::kSha256, *bundle);
  const std::string config = "{}";
  const core::Digest config_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, config);
  const std::string manifest = absl::StrCat(
      "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"artifactType\":\"",
      kSigstoreBundleMediaType,
      "\",\"config\":{\"mediaType\":\"application/vnd.oci.empty.v1+json\",\"size\":2,"
      "\"digest\":\"",
      config_digest.ToString(), "\"},\"layers\":[{\"mediaType\":\"", kSigstoreBundleMediaType,
      "\",\"size\":", bundle->size(), ",\"digest\":\"", layer.ToString(),
      "\"}],\"subject\":{\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\","
      "\"size\":1,\"digest\":\"",
      image->ToString(), "\"}}");
  const core::Digest manifest_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, manifest);
  for (const auto& [digest, bytes] : std::vector<std::pair<core::Digest, std::string>>{
           {layer, *bundle}, {config_digest, config}, {manifest_digest, manifest}}) {
    std::ofstream(layout + "/blobs/sha256/" + digest.Hex(), std::ios::binary) << bytes;
  }
  std::ofstream(layout + "/oci-layout") << "{\"imageLayoutVersion\":\"1.0.0\"}";
  std::ofstream(layout + "/index.json") << absl::StrCat(
      "{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":"
      "\"application/vnd.oci.image.manifest.v1+json\",\"size\":",
      manifest.size(), ",\"digest\":\"", manifest_digest.ToString(), "\"}]}");

  absl::StatusOr<std::vector<CosignSignature>> layers = FindOciLayoutAttestations(layout, *image);
  ASSERT_THAT(layers, IsOk());
  ASSERT_EQ(layers->size(), 1u);

  AttestationVerifyOptions options;
  options.trusted_root = *root;
  options.signer.certificate_identity = "cody@soyland.com";
  options.signer.certificate_oidc_issuer = "https://github.com/login/oauth";
  AttestationVerification result = VerifyCosignAttestations(*layers, *image, options);
  ASSERT_TRUE(result.verified()) << result.Summary();
  EXPECT_EQ(result.attestations[0].predicate_type, "https://cosign.sigstore.dev/attestation/v1");

  options.signer.certificate_identity = "";
  options.signer.certificate_identity_regexp = ".*@soyland\\.com";
  EXPECT_TRUE(VerifyCosignAttestations(*layers, *image, options).verified());
  options.signer.certificate_identity_regexp = "someone@else\\.com";
  EXPECT_THAT(
      VerifyCosignAttestations(*layers, *image, options).attestations[0].status,
      StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("attestation: bundle: identity:")));
  options.signer.certificate_identity_regexp = "";
  // Another image: the statement's subject does not name it.
  AttestationVerification other = VerifyCosignAttestations(
      *layers, core::DigestBytes(core::DigestAlgorithm::kSha256, "x"), options);
  EXPECT_THAT(other.attestations[0].status, StatusIs(absl::StatusCode::kPermissionDenied,
                                                     HasSubstr("attestation: bundle: artifact:")));
  options.trusted_root = nullptr;
  EXPECT_THAT(VerifyCosignAttestations(*layers, *image, options).attestations[0].status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: bundle: a Sigstore bundle needs a trusted root")));
}

// cosign's older attestation form, re-encoded here from a Sigstore bundle: the DSSE envelope as
// the layer, the certificate and the bundle's Rekor entry (body, integrated time, log index and
// id, SET) as cosign's annotations. The SET signs exactly these fields, so it still verifies.
absl::StatusOr<CosignSignature> CosignLayerFromBundle(const std::string& bundle_json,
                                                      const std::string& entry_bundle_json) {
  BULWARK_ASSIGN_OR_RETURN(core::Value bundle, core::ParseJson(bundle_json));
  BULWARK_ASSIGN_OR_RETURN(core::Value entry_bundle, core::ParseJson(entry_bundle_json));
  auto string_at = [](const core::Value& root, absl::string_view path) -> std::string {
    absl::StatusOr<const core::Value*> value = root.Lookup(path);
    return value.ok() && (*value)->is_string() ? (*value)->string_value() : "";
  };
  BULWARK_ASSIGN_OR_RETURN(const core::Value* envelope, bundle.Lookup("dsseEnvelope"));
  std::string der;
  absl::Base64Unescape(string_at(bundle, "verificationMaterial.certificate.rawBytes"), &der);
  BULWARK_ASSIGN_OR_RETURN(Certificate certificate, Certificate::ParseDer(der));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* entry,
                           entry_bundle.Lookup("verificationMaterial.tlogEntries"));
  const core::Value& tlog = entry->list_value().at(0);
  std::string log_id;
  absl::Base64Unescape(string_at(tlog, "logId.keyId"), &log_id);
  CosignSignature layer;
  layer.source = "re-encoded bundle";
  layer.media_type = std::string(kDsseEnvelopeMediaType);
  layer.payload = envelope->ToJson();
  layer.annotations[std::string(kSignatureAnnotation)] = "";
  layer.annotations[std::string(kCertificateAnnotation)] = certificate.Pem();
  layer.annotations[std::string(kBundleAnnotation)] = absl::StrCat(
      R"({"SignedEntryTimestamp":")", string_at(tlog, "inclusionPromise.signedEntryTimestamp"),
      R"(","Payload":{"body":")", string_at(tlog, "canonicalizedBody"), R"(","integratedTime":)",
      string_at(tlog, "integratedTime"), R"(,"logIndex":)", string_at(tlog, "logIndex"),
      R"(,"logID":")", absl::BytesToHexString(log_id), R"("}})");
  return layer;
}

// The Rekor entry of an attestation must be about this envelope's payload, one of its
// signatures and its signer's key: tampered copies of cosign's passing keyless attestation.
TEST(AttestationRekorEntryTest, EntryMustNameTheEnvelopesSignatureAndKey) {
  absl::StatusOr<std::string> sig = core::testing::SharedDataPath("conformance/sig");
  if (!sig.ok()) GTEST_SKIP() << sig.status();
  absl::StatusOr<std::shared_ptr<const TrustedRoot>> root =
      TrustedRoot::Load(*sig +
                        "/sigstore-python/sigstore/_store/"
                        "https%3A%2F%2Ftuf-repo-cdn.sigstore.dev/trusted_root.json");
  ASSERT_THAT(root, IsOk());
  absl::StatusOr<std::string> bundle = core::ReadFileToString(
      *sig + "/cosign/pkg/cosign/testdata/oci-attestation.sigstore.json", 1 << 20);
  ASSERT_THAT(bundle, IsOk());
  // Another production-Rekor DSSE entry (sigstore-go's), with its own valid SET.
  absl::StatusOr<std::string> other_bundle = core::ReadFileToString(
      *sig + "/sigstore-go/pkg/testing/data/bundles/dsse.sigstore.json", 1 << 20);
  ASSERT_THAT(other_bundle, IsOk());
  const core::Digest image = *core::Digest::Parse(
      "sha256:732112270d7e59418a8c080b134b24cabd67d250d0d0147a97ed95ba5c280aa4");

  CosignVerifyOptions keyless;
  AddTrustedRoot(**root, &keyless);
  keyless.certificate_identity = "cody@soyland.com";
  keyless.certificate_oidc_issuer = "https://github.com/login/oauth";
  AttestationVerifyOptions options;
  options.signer = keyless;

  absl::StatusOr<CosignSignature> layer = CosignLayerFromBundle(*bundle, *bundle);
  ASSERT_THAT(layer, IsOk());
  EXPECT_THAT(VerifyCosignAttestation(*layer, image, options).status, IsOk());

  // The entry of another envelope: its SET verifies, its payload hash is not this payload's.
  absl::StatusOr<CosignSignature> other_entry = CosignLayerFromBundle(*bundle, *other_bundle);
  ASSERT_THAT(other_entry, IsOk());
  EXPECT_THAT(VerifyCosignAttestation(*other_entry, image, options).status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: rekor bundle: log entry is for payload")));

  // The same payload signed again with another key, presented with the original entry: the
  // payload hash matches, but the entry records the Fulcio certificate and its signature.
  absl::StatusOr<DsseEnvelope> envelope = ParseDsseEnvelope(layer->payload);
  ASSERT_THAT(envelope, IsOk());
  absl::StatusOr<PrivateKey> key = PrivateKey::Generate(KeyAlgorithm::kEcdsaP256);
  ASSERT_THAT(key, IsOk());
  absl::StatusOr<std::string> resigned =
      key->Sign(PreAuthEncoding(envelope->payload_type, envelope->payload),
                key->public_key().DefaultParams());
  ASSERT_THAT(resigned, IsOk());
  CosignSignature forged = *layer;
  forged.payload =
      absl::StrCat(R"({"payloadType":")", envelope->payload_type, R"(","payload":")",
                   absl::Base64Escape(envelope->payload), R"(","signatures":[{"keyid":"","sig":")",
                   absl::Base64Escape(*resigned), R"("}]})");
  forged.annotations.erase(std::string(kCertificateAnnotation));
  AttestationVerifyOptions with_key = options;
  with_key.signer.key = key->public_key();
  EXPECT_THAT(VerifyCosignAttestation(forged, image, with_key).status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: rekor bundle: log entry names another signature "
                                 "or key than the envelope's")));

  // The Sigstore bundle itself, its entry body rewritten to record another signature.
  absl::StatusOr<core::Value> parsed = core::ParseJson(*bundle);
  ASSERT_THAT(parsed, IsOk());
  const std::string encoded_body = (*parsed->Lookup("verificationMaterial.tlogEntries"))
                                       ->list_value()
                                       .at(0)
                                       .Find("canonicalizedBody")
                                       ->string_value();
  std::string body;
  ASSERT_TRUE(absl::Base64Unescape(encoded_body, &body));
  const std::string logged_signature = absl::Base64Escape(envelope->signatures.at(0).signature);
  ASSERT_NE(body.find(logged_signature), std::string::npos);
  std::string tampered_body = body;
  tampered_body.replace(tampered_body.find(logged_signature), logged_signature.size(),
                        absl::Base64Escape(*resigned));
  std::string tampered_bundle = *bundle;
  tampered_bundle.replace(tampered_bundle.find(encoded_body), encoded_body.size(),
                          absl::Base64Escape(tampered_body));
  CosignSignature bundle_layer{
      "tampered bundle", std::string(kSigstoreBundleMediaType), tampered_bundle, {}};
  AttestationVerifyOptions bundle_options;
  bundle_options.trusted_root = *root;
  bundle_options.signer.certificate_identity = "cody@soyland.com";
  bundle_options.signer.certificate_oidc_issuer = "https://github.com/login/oauth";
  EXPECT_THAT(VerifyCosignAttestation(bundle_layer, image, bundle_options).status,
              StatusIs(absl::StatusCode::kPermissionDenied,
                       HasSubstr("attestation: bundle: tlog: log entry names another signature "
                                 "or key")));
}

TEST(AttestationTest, PredicateTypeShortNames) {
  EXPECT_EQ(ResolvePredicateType("slsaprovenance"), kSlsaProvenanceV02);
  EXPECT_EQ(ResolvePredicateType("slsaprovenance1"), kSlsaProvenanceV1);
  EXPECT_EQ(ResolvePredicateType("https://example.com/p"), "https://example.com/p");
}

}  // namespace
}  // namespace bulwark::sign
