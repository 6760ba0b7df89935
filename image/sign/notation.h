// Notary Project (notation) signatures verified offline: JWS (application/jose+json) and COSE_Sign1
// (application/cose) envelopes with their X.509 chains, signing schemes notary.x509 and
// notary.x509.signingAuthority, RFC 3161 countersignatures, the trust store directory layout
// (<root>/x509/{ca,signingAuthority,tsa}/<name>/*) and the trustpolicy.json document (registry
// scopes, signature verification levels strict/permissive/audit/skip with overrides, trust
// stores, trusted identities).
//   BULWARK_ASSIGN_OR_RETURN(NotationEnvelope e, ParseNotationEnvelope(bytes, kNotationJws));
//   NotationVerifyOptions options;
//   BULWARK_ASSIGN_OR_RETURN(options.trust, LoadNotationTrustStores(root, {"ca:acme"}));
//   BULWARK_ASSIGN_OR_RETURN(NotationVerification v, VerifyNotationSignature(e, options));
// Thread safety: plain values and functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_NOTATION_H_
#define BULWARK_IMAGE_SIGN_NOTATION_H_

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

inline constexpr absl::string_view kNotationJws = "application/jose+json";
inline constexpr absl::string_view kNotationCose = "application/cose";
inline constexpr absl::string_view kNotationPayloadType =
    "application/vnd.cncf.notary.payload.v1+json";
inline constexpr absl::string_view kNotationSignatureArtifactType =
    "application/vnd.cncf.notary.signature";

// A parsed envelope: what was signed, by whom, and the signed attributes.
struct NotationEnvelope {
  std::string media_type;                  // kNotationJws or kNotationCose.
  std::string algorithm;                   // "PS256", "ES384", ...
  std::string content_type;                // Must be kNotationPayloadType.
  std::string signing_scheme;              // "notary.x509" or "notary.x509.signingAuthority".
  std::optional<absl::Time> signing_time;  // notary.x509
  std::optional<absl::Time> authentic_signing_time;  // notary.x509.signingAuthority
  std::optional<absl::Time> expiry;
  std::vector<std::string> critical;  // Names the signer marked critical.
  std::vector<Certificate> chain;     // x5chain / x5c, leaf first.
  std::string timestamp_token;        // RFC 3161 countersignature (DER), may be empty.
  std::string signed_bytes;           // JWS signing input or COSE Sig_structure.
  std::string signature;              // Raw signature (P1363 r||s for ECDSA).
  std::string payload;                // The payload bytes.
};

// Errors: InvalidArgument "notation: <what>" for malformed JSON/CBOR, base64, headers of the
// wrong type, or an unknown media type.
absl::StatusOr<NotationEnvelope> ParseNotationEnvelope(absl::string_view bytes,
                                                       absl::string_view media_type,
                                                       const core::Limits& limits = {});

// The targetArtifact descriptor of the payload.
struct NotationTarget {
  std::string media_type;
  std::string digest;
  int64_t size = 0;
  std::map<std::string, std::string> annotations;
};

// Certificates by trust store type, from "<type>:<name>" references.
struct NotationTrustStores {
  std::vector<Certificate> ca;
  std::vector<Certificate> signing_authority;
  std::vector<Certificate> tsa;
};

// Reads <root>/x509/<type>/<name>/ for each "<type>:<name>" (type ca, signingAuthority, tsa):
// every regular file holds PEM or DER certificates; symlinks and subdirectories are refused, as
// notation does. Errors: InvalidArgument for a bad reference, a file that is not certificates,
// or a directory entry that is not a regular file; NotFound for a missing store.
absl::StatusOr<NotationTrustStores> LoadNotationTrustStores(
    const std::string& root, const std::vector<std::string>& references);

enum class NotationLevel { kStrict, kPermissive, kAudit, kSkip };

// What the verification level does with each check (notation's validation actions).
struct NotationChecks {
  bool enforce_authenticity = true;
  bool enforce_authentic_timestamp = true;
  bool enforce_expiry = true;
  // notary.x509 signatures must carry a countersignature a trusted TSA made while the chain was
  // valid (trustpolicy verifyTimestamp "always"); otherwise a chain valid now suffices
  // ("afterCertExpiry"). Default: false.
  bool timestamp_always = false;
};
// The checks a level enforces (integrity is always enforced, except by skip); `overrides` maps
// "authenticity", "authenticTimestamp", "expiry" to "enforce" or "log" ("revocation" is accepted
// and not checked: Bulwark does not fetch CRLs or OCSP).
NotationChecks ChecksForLevel(NotationLevel level);

// Reads a signatureVerification object {level, override, verifyTimestamp} as trustpolicy.json
// writes it (the Bulwark trust policy uses the same form), setting `*level` and returning the
// level's checks after its overrides. Errors: InvalidArgument "<line>:<column>: <what>" (callers
// prefix their source name) for an unknown level, override or action, or a mistyped member.
absl::StatusOr<NotationChecks> ParseNotationSignatureVerification(const core::Value& verification,
                                                                  NotationLevel* level);

struct NotationVerifyOptions {
  NotationTrustStores trust;
  // "*" or "x509.subject: <DN>" (the leaf's subject must hold every attribute given). Empty:
  // any identity.
  std::vector<std::string> trusted_identities;
  NotationChecks checks;
  absl::Time now = absl::Now();
  std::optional<core::Digest> artifact;  // When set, targetArtifact.digest must equal it.
};

struct NotationVerification {
  NotationTarget target;
  absl::Time verified_time;         // Time the chain was checked at.
  std::vector<std::string> logged;  // Failures the level only logs.
};

// Verifies in notation's order: integrity (content type, critical headers, algorithm matching
// the key, signature), authenticity (the x5c chain verifies at the signing time and holds a
// certificate of the trust store of the scheme's type, code-signing usage, trusted identity),
// authentic timestamp (notary.x509: the chain is valid now, or at a countersignature time that
// a TSA of the trust stores vouches for; signingAuthority: at authenticSigningTime), expiry, and
// the target artifact digest. Errors: PermissionDenied "notation: <step>: ..." with step one of
// integrity, authenticity, authentic timestamp, expiry, artifact.
absl::StatusOr<NotationVerification> VerifyNotationSignature(const NotationEnvelope& envelope,
                                                             const NotationVerifyOptions& options);

// The outcome for one notation signature found next to an image.
struct NotationSignatureCheck {
  std::string source;
  absl::Status status;  // OK when verified.
  std::optional<NotationVerification> verification;
};

// The envelope layers (application/jose+json or application/cose) of every manifest in the OCI
// layout's index.json whose subject is `image` and whose artifact type is
// kNotationSignatureArtifactType (notation stores signatures only as referrers), unverified.
// Errors: those of reading the layout; none found is not an error.
absl::StatusOr<std::vector<CosignSignature>> FindOciLayoutNotationSignatures(
    absl::string_view layout_dir, const core::Digest& image, const core::Limits& limits = {});

// ParseNotationEnvelope + VerifyNotationSignature for one layer found next to an image.
NotationSignatureCheck VerifyNotationLayer(const CosignSignature& layer,
                                           const NotationVerifyOptions& options,
                                           const core::Limits& limits = {});

// Notation signatures of an image in an OCI layout: the layers (application/jose+json or
// application/cose) of every manifest in index.json whose subject is the image and whose artifact
// type is kNotationSignatureArtifactType, each verified with `options` (artifact = the image's
// manifest digest). `layout_ref` selects the image as for cosign (ResolveLayoutImage); a digest
// is used as it is, even when only its referrers are in the layout. Errors: those of reading the
// layout; a signature that fails is a check with its reason.
absl::StatusOr<std::vector<NotationSignatureCheck>> VerifyNotationOciLayout(
    absl::string_view layout_dir, absl::string_view layout_ref,
    const NotationVerifyOptions& options, const core::Limits& limits = {});

// One trust policy of trustpolicy.json (version 1.0).
struct NotationTrustPolicy {
  std::string name;
  std::vector<std::string> registry_scopes;  // "*" or "registry/repository".
  NotationLevel level = NotationLevel::kStrict;
  NotationChecks checks;                  // The level's checks after its overrides.
  std::vector<std::string> trust_stores;  // "ca:name", "signingAuthority:name", "tsa:name".
  std::vector<std::string> trusted_identities;
};

// Errors: InvalidArgument "<source>:<line>:<column>: ..." for an unknown version, level or
// override, a scope listed twice, "*" mixed with other scopes or more than one "*" policy, a
// policy without trust stores or identities unless its level is skip.
absl::StatusOr<std::vector<NotationTrustPolicy>> ParseNotationTrustPolicy(
    absl::string_view json, const core::Limits& limits = {},
    absl::string_view source = "trustpolicy.json");

// The policy whose scope names `repository` ("registry/repository", no tag or digest)
// exactly, else the "*" policy; nullptr when none.
const NotationTrustPolicy* FindNotationTrustPolicy(const std::vector<NotationTrustPolicy>& policies,
                                                   absl::string_view repository);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_NOTATION_H_
