#include "bulwark/image/sign/attestation.h"

#include <algorithm>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/internal/cosign_signer.h"
#include "bulwark/image/sign/tlog.h"

namespace bulwark::sign {
namespace {

absl::Status Fail(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat("attestation: ", step, ": ", why));
}

// A Rekor entry for an attestation is an "intoto" 0.0.2 or "dsse" record. It must name the
// SHA-256 of the envelope's payload, one of the envelope's signatures, and the signer's key (or
// certificate): an entry logged for another envelope or key proves nothing about this one.
absl::Status CheckAttestationLogBody(absl::string_view body, const DsseEnvelope& envelope,
                                     const internal::Signer& signer) {
  BULWARK_ASSIGN_OR_RETURN(RekorSignedContent logged, ParseRekorEntryBody(body));
  if (logged.kind != "intoto" && logged.kind != "dsse") {
    return absl::PermissionDeniedError(absl::StrCat(
        "log entry kind ", logged.kind, " ", logged.version, " does not record an attestation"));
  }
  const core::Digest payload = core::DigestBytes(core::DigestAlgorithm::kSha256, envelope.payload);
  if (logged.digest != payload.bytes()) {
    return absl::PermissionDeniedError(
        absl::StrCat("log entry is for payload sha256:", absl::BytesToHexString(logged.digest),
                     ", not ", payload.Hex()));
  }
  for (const RekorSignedContent::Signature& entry : logged.signatures) {
    const bool ours = std::any_of(
        envelope.signatures.begin(), envelope.signatures.end(),
        [&](const DsseSignature& signature) { return signature.signature == entry.signature; });
    if (ours && internal::CheckLoggedVerifier(entry.verifier, signer).ok()) {
      return absl::OkStatus();
    }
  }
  return absl::PermissionDeniedError(
      "log entry names another signature or key than the envelope's");
}

// Steps shared by both attachment forms once the statement is authenticated.
void CheckStatement(Statement statement, const core::Digest& image,
                    const AttestationVerifyOptions& options, AttestationCheck* check) {
  check->predicate_type = statement.predicate_type;
  if (absl::Status status = MatchSubject(statement, image); !status.ok()) {
    check->status = Fail("subject", status.message());
    return;
  }
  if (!options.predicate_type.empty() && statement.predicate_type != options.predicate_type) {
    check->status = Fail(
        "predicate type",
        absl::StrCat("\"", statement.predicate_type, "\" is not \"", options.predicate_type, "\""));
    return;
  }
  if (statement.predicate_type == kSlsaProvenanceV02 ||
      statement.predicate_type == kSlsaProvenanceV1) {
    absl::StatusOr<SlsaProvenance> slsa = ParseSlsaProvenance(statement);
    if (!slsa.ok()) {
      check->status = Fail("predicate", slsa.status().message());
      return;
    }
    check->slsa = *std::move(slsa);
  }
  check->statement = std::move(statement);
}

void VerifyEnvelopeLayer(const CosignSignature& layer, const core::Digest& image,
                         const AttestationVerifyOptions& options, AttestationCheck* check) {
  absl::StatusOr<DsseEnvelope> envelope = ParseDsseEnvelope(layer.payload, {}, layer.source);
  if (!envelope.ok()) {
    check->status = Fail("envelope", envelope.status().message());
    return;
  }
  absl::StatusOr<internal::Signer> signer =
      internal::ResolveSigner(layer.annotations, options.signer);
  if (!signer.ok()) {
    check->status = internal::WithArea("attestation", signer.status());
    return;
  }
  // cosign hashes with SHA-256 for every key type; any signature of the envelope may match.
  SignatureParams params = signer->key.DefaultParams();
  params.hash = options.signer.hash;
  const std::string pae = PreAuthEncoding(envelope->payload_type, envelope->payload);
  if (std::none_of(envelope->signatures.begin(), envelope->signatures.end(),
                   [&](const DsseSignature& signature) {
                     return signer->key.Verify(pae, signature.signature, params).ok();
                   })) {
    check->status =
        Fail("signature", absl::StrCat("none of the envelope's ", envelope->signatures.size(),
                                       " signature(s) verifies with the ",
                                       signer->certificate ? "certificate's key" : "key"));
    return;
  }
  auto body_check = [&](absl::string_view body, const internal::Signer& logged_signer) {
    return CheckAttestationLogBody(body, *envelope, logged_signer);
  };
  if (absl::Status status =
          internal::VerifySignerProvenance(layer.annotations, *signer, options.signer, body_check);
      !status.ok()) {
    check->status = internal::WithArea("attestation", status);
    return;
  }
  if (envelope->payload_type != kInTotoPayloadType) {
    check->status = Fail("payload", absl::StrCat("payload type \"", envelope->payload_type,
                                                 "\" is not ", kInTotoPayloadType));
    return;
  }
  absl::StatusOr<Statement> statement = ParseStatement(envelope->payload, {}, layer.source);
  if (!statement.ok()) {
    check->status = Fail("statement", statement.status().message());
    return;
  }
  CheckStatement(*std::move(statement), image, options, check);
}

void VerifyBundleLayer(const CosignSignature& layer, const core::Digest& image,
                       const AttestationVerifyOptions& options, AttestationCheck* check) {
  if (options.trusted_root == nullptr) {
    check->status = Fail("bundle", "a Sigstore bundle needs a trusted root to verify");
    return;
  }
  const CosignVerifyOptions& signer = options.signer;
  BundlePolicy policy;
  policy.key = signer.key;
  policy.identity_is_regex = signer.certificate_identity.empty();
  policy.identity =
      policy.identity_is_regex ? signer.certificate_identity_regexp : signer.certificate_identity;
  policy.issuer_is_regex = signer.certificate_oidc_issuer.empty();
  policy.issuer = policy.issuer_is_regex ? signer.certificate_oidc_issuer_regexp
                                         : signer.certificate_oidc_issuer;
  absl::StatusOr<BundleVerification> verified =
      VerifyBundle(layer.payload, Artifact::FromDigest(image), *options.trusted_root, policy);
  if (!verified.ok()) {
    check->status = internal::WithArea("attestation: bundle", verified.status());
    return;
  }
  if (!verified->statement.has_value()) {
    check->status = Fail("statement", "the bundle does not carry an in-toto statement");
    return;
  }
  CheckStatement(*std::move(verified->statement), image, options, check);
}

}  // namespace

std::string ResolvePredicateType(absl::string_view name) {
  static constexpr std::pair<absl::string_view, absl::string_view> kShortNames[] = {
      {"slsaprovenance", "https://slsa.dev/provenance/v0.2"},
      {"slsaprovenance02", "https://slsa.dev/provenance/v0.2"},
      {"slsaprovenance1", "https://slsa.dev/provenance/v1"},
      {"link", "https://in-toto.io/Link/v1"},
      {"spdx", "https://spdx.dev/Document"},
      {"spdxjson", "https://spdx.dev/Document"},
      {"cyclonedx", "https://cyclonedx.org/bom"},
      {"vuln", "https://cosign.sigstore.dev/attestation/vuln/v1"},
      {"openvex", "https://openvex.dev/ns"},
      {"custom", "https://cosign.sigstore.dev/attestation/v1"},
  };
  for (const auto& [short_name, uri] : kShortNames) {
    if (name == short_name) return std::string(uri);
  }
  return std::string(name);
}

AttestationCheck VerifyCosignAttestation(const CosignSignature& attestation,
                                         const core::Digest& image,
                                         const AttestationVerifyOptions& options) {
  AttestationCheck check;
  check.source = attestation.source;
  if (attestation.media_type == kDsseEnvelopeMediaType) {
    VerifyEnvelopeLayer(attestation, image, options, &check);
  } else if (attestation.media_type == kSigstoreBundleMediaType) {
    VerifyBundleLayer(attestation, image, options, &check);
  } else {
    check.status = Fail("media type", absl::StrCat("\"", attestation.media_type,
                                                   "\" is neither a DSSE envelope nor a bundle"));
  }
  return check;
}

bool AttestationVerification::verified() const { return !Verified().empty(); }

std::vector<const AttestationCheck*> AttestationVerification::Verified() const {
  std::vector<const AttestationCheck*> out;
  for (const AttestationCheck& check : attestations) {
    if (check.status.ok()) out.push_back(&check);
  }
  return out;
}

std::string AttestationVerification::Summary() const {
  if (attestations.empty()) {
    return absl::StrCat("no attestations found for ", image_digest.ToString());
  }
  std::vector<std::string> lines;
  for (const AttestationCheck& check : attestations) {
    lines.push_back(absl::StrCat(check.source, ": ",
                                 check.status.ok() ? absl::StrCat("verified ", check.predicate_type)
                                                   : std::string(check.status.message())));
  }
  return absl::StrJoin(lines, "\n");
}

AttestationVerification VerifyCosignAttestations(absl::Span<const CosignSignature> attestations,
                                                 const core::Digest& image,
                                                 const AttestationVerifyOptions& options) {
  AttestationVerification result{image, {}};
  for (const CosignSignature& attestation : attestations) {
    result.attestations.push_back(VerifyCosignAttestation(attestation, image, options));
  }
  return result;
}

absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutAttestations(absl::string_view layout_dir,
                                                                       const core::Digest& image,
                                                                       const core::Limits& limits) {
  const absl::string_view types[] = {kDsseEnvelopeMediaType, kSigstoreBundleMediaType};
  return FindOciLayoutAttachments(layout_dir, image, "att", types, limits);
}

absl::StatusOr<AttestationVerification> VerifyOciLayoutAttestations(
    absl::string_view layout_dir, absl::string_view reference,
    const AttestationVerifyOptions& options, const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Digest image, ResolveLayoutImage(layout_dir, reference, limits));
  BULWARK_ASSIGN_OR_RETURN(std::vector<CosignSignature> attestations,
                           FindOciLayoutAttestations(layout_dir, image, limits));
  return VerifyCosignAttestations(attestations, image, options);
}

absl::StatusOr<CosignSignature> AttestImage(const PrivateKey& key, const core::Digest& image,
                                            const AttestOptions& options) {
  if (options.predicate_type.empty()) {
    return absl::InvalidArgumentError("attest: the predicate type is empty");
  }
  BULWARK_ASSIGN_OR_RETURN(core::Value predicate,
                           core::ParseJson(options.predicate_json, {}, "predicate"));
  std::string statement = "{\"_type\":";
  core::AppendJsonString(kStatementV1, &statement);
  statement.append(",\"subject\":[{\"name\":");
  core::AppendJsonString(options.subject_name, &statement);
  statement.append(",\"digest\":{");
  core::AppendJsonString(core::DigestAlgorithmName(image.algorithm()), &statement);
  statement.push_back(':');
  core::AppendJsonString(image.Hex(), &statement);
  statement.append("}}],\"predicateType\":");
  core::AppendJsonString(options.predicate_type, &statement);
  absl::StrAppend(&statement, ",\"predicate\":", predicate.ToJson(), "}");

  SignatureParams params = key.public_key().DefaultParams();
  params.hash = HashAlgorithm::kSha256;
  BULWARK_ASSIGN_OR_RETURN(std::string raw,
                           key.Sign(PreAuthEncoding(kInTotoPayloadType, statement), params));
  std::string envelope = "{\"payloadType\":";
  core::AppendJsonString(kInTotoPayloadType, &envelope);
  absl::StrAppend(&envelope, ",\"payload\":\"", absl::Base64Escape(statement),
                  "\",\"signatures\":[{\"keyid\":\"\",\"sig\":\"", absl::Base64Escape(raw),
                  "\"}]}");

  CosignSignature attestation;
  attestation.source = AttachmentTag(image, "att");
  attestation.media_type = std::string(kDsseEnvelopeMediaType);
  attestation.payload = std::move(envelope);
  attestation.annotations[std::string(kSignatureAnnotation)] = "";
  attestation.annotations[std::string(kPredicateTypeAnnotation)] = options.predicate_type;
  return attestation;
}

}  // namespace bulwark::sign
