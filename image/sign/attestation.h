// cosign attestations: in-toto statements in DSSE envelopes stored next to an image (the
// `sha256-<hex>.att` tag and OCI 1.1 referrers), signed with a key or a Fulcio/BYO-PKI
// certificate (`cosign attest`), and Sigstore bundles stored as referrers (cosign's
// new bundle format). Each attestation is checked step by step: envelope, signer, Rekor bundle,
// certificate and identity, in-toto statement, subject digest = image digest, predicate type;
// SLSA provenance v0.2/v1 fields are exposed for policies.
//   AttestationVerifyOptions options;
//   options.signer.key = key;
//   options.predicate_type = ResolvePredicateType("slsaprovenance1");
//   BULWARK_ASSIGN_OR_RETURN(AttestationVerification v,
//                            VerifyOciLayoutAttestations(dir, "", options));
//   for (const AttestationCheck* check : v.Verified()) Use(check->slsa->builder_id);
// Thread safety: plain values and functions without shared state (a TrustedRoot may be shared);
// signing writes only inside the layout directory it is given.
#ifndef BULWARK_IMAGE_SIGN_ATTESTATION_H_
#define BULWARK_IMAGE_SIGN_ATTESTATION_H_

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/intoto.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

inline constexpr absl::string_view kDsseEnvelopeMediaType = "application/vnd.dsse.envelope.v1+json";
inline constexpr absl::string_view kSigstoreBundleMediaType =
    "application/vnd.dev.sigstore.bundle.v0.3+json";
inline constexpr absl::string_view kPredicateTypeAnnotation = "predicateType";

// cosign's short predicate names (`--type`: slsaprovenance, slsaprovenance02, slsaprovenance1,
// link, spdx, spdxjson, cyclonedx, vuln, openvex, custom) to their URIs; anything else (a URI)
// is returned as it is.
std::string ResolvePredicateType(absl::string_view name);

struct AttestationVerifyOptions {
  // Who must have signed: a key, or roots + identity policy, and Rekor keys, exactly as for
  // image signatures (`reference`, `required_annotations` are not used here).
  CosignVerifyOptions signer;
  // Only statements with this predicate type count (a URI; see ResolvePredicateType). Empty:
  // any type.
  std::string predicate_type;
  // Verifies Sigstore bundle attachments (certificate chain, SCT, Rekor entry, timestamps)
  // offline. Without it, bundle attachments fail at step "bundle".
  std::shared_ptr<const TrustedRoot> trusted_root;
};

// The outcome for one attestation layer.
struct AttestationCheck {
  std::string source;
  absl::Status status;                 // OK when this attestation verified.
  std::string predicate_type;          // As found, when the statement could be read.
  std::optional<Statement> statement;  // Set when verified.
  std::optional<SlsaProvenance> slsa;  // Set when verified and the predicate is SLSA v0.2/v1.
};

// The outcome for an image: verified when at least one attestation verified.
struct AttestationVerification {
  core::Digest image_digest;
  std::vector<AttestationCheck> attestations;
  bool verified() const;
  // The checks that verified, in order; pointers into `attestations`.
  std::vector<const AttestationCheck*> Verified() const;
  // One line per attestation: "<source>: verified <predicate type>" or "<source>: <reason>";
  // "no attestations found for <digest>" when there are none.
  std::string Summary() const;
};

// Checks one attachment layer (a DSSE envelope or a Sigstore bundle) against the image digest.
// The status is PermissionDenied "attestation: <step>: ..." where step is one of media type,
// envelope, certificate, signature, rekor bundle, payload, statement, subject, predicate type,
// predicate, bundle (or the bundle's own steps: "attestation: bundle: tlog: ..."); an
// InvalidArgument for a regular expression RE2 rejects.
AttestationCheck VerifyCosignAttestation(const CosignSignature& attestation,
                                         const core::Digest& image,
                                         const AttestationVerifyOptions& options);

AttestationVerification VerifyCosignAttestations(absl::Span<const CosignSignature> attestations,
                                                 const core::Digest& image,
                                                 const AttestationVerifyOptions& options);

// The layers of the image's `.att` manifest and of referrers whose artifact type is a DSSE
// envelope or a Sigstore bundle. Errors as FindOciLayoutSignatures.
absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutAttestations(
    absl::string_view layout_dir, const core::Digest& image, const core::Limits& limits = {});

// ResolveLayoutImage + FindOciLayoutAttestations + VerifyCosignAttestations.
absl::StatusOr<AttestationVerification> VerifyOciLayoutAttestations(
    absl::string_view layout_dir, absl::string_view reference,
    const AttestationVerifyOptions& options, const core::Limits& limits = {});

struct AttestOptions {
  std::string predicate_type;  // A URI (see ResolvePredicateType).
  std::string predicate_json;  // The predicate, a JSON document.
  std::string subject_name;    // The statement's subject name (cosign: the repository).
};

// `cosign attest --key`: an in-toto Statement v1 whose subject is the image digest, in a DSSE
// envelope signed with `key` (SHA-256 for ECDSA and RSA, as cosign), as the layer cosign stores
// (media type kDsseEnvelopeMediaType, annotations predicateType and an empty signature).
// Store it with WriteOciLayoutAttachment(dir, image, "att", ...). Errors: InvalidArgument for a
// predicate that is not JSON or an empty predicate type.
absl::StatusOr<CosignSignature> AttestImage(const PrivateKey& key, const core::Digest& image,
                                            const AttestOptions& options);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_ATTESTATION_H_
