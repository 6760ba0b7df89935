// Who signed a cosign attachment (an image signature or an attestation layer): the caller's key,
// or the certificate annotation chained to the caller's roots at the signing time with the
// identity policy, and the Rekor bundle annotation that fixes that time. Shared by cosign.cc
// (simple-signing payloads) and attestation.cc (DSSE envelopes); each checks the signature
// itself in between, because what is signed differs.
// Errors are PermissionDenied "<step>: <why>" (step: certificate, rekor bundle); callers prefix
// their own area ("cosign: ", "attestation: ").
#ifndef BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_SIGNER_H_
#define BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_SIGNER_H_

#include <functional>
#include <map>
#include <optional>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::sign::internal {

using Annotations = std::map<std::string, std::string>;

struct Signer {
  PublicKey key;
  std::optional<Certificate> certificate;  // Set when the key came from the annotation.
};

// options.key, or the key of the certificate annotation when no key is given.
absl::StatusOr<Signer> ResolveSigner(const Annotations& annotations,
                                     const CosignVerifyOptions& options);

// Checks that a Rekor entry body describes what was signed (given the signer).
using RekorBodyCheck = std::function<absl::Status(absl::string_view body, const Signer& signer)>;

// OK when `logged` (PEM or DER from a log entry body) is the signer's certificate, or its key
// when there is no certificate. Errors: PermissionDenied.
absl::Status CheckLoggedVerifier(absl::string_view logged, const Signer& signer);

// With options.rekor_keys: the bundle annotation's SET and `body_check`. With a certificate: its
// chain (chain annotation + options.intermediates) to options.roots at the SET's integrated time
// (now without Rekor keys), then the identity and issuer policy (exact or RE2 full match).
absl::Status VerifySignerProvenance(const Annotations& annotations, const Signer& signer,
                                    const CosignVerifyOptions& options,
                                    const RekorBodyCheck& body_check);

// PermissionDenied "<area>: <message of status>" (same code when status is not PermissionDenied).
absl::Status WithArea(absl::string_view area, const absl::Status& status);

}  // namespace bulwark::sign::internal

#endif  // BULWARK_IMAGE_SIGN_INTERNAL_COSIGN_SIGNER_H_
