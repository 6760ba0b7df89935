// RFC 3161 timestamps verified with OpenSSL's TS API: the response's signature chains to a
// timestamp authority of the trust root (valid at the timestamp's time), its message imprint is
// the digest of the signed data, and its genTime is returned.
//   BULWARK_ASSIGN_OR_RETURN(absl::Time t, VerifyRfc3161Timestamp(der, signature, authorities));
// Thread safety: a pure function.
#ifndef BULWARK_IMAGE_SIGN_TIMESTAMP_H_
#define BULWARK_IMAGE_SIGN_TIMESTAMP_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "absl/types/span.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::sign {

// `response` is a DER TimeStampResp (as Sigstore bundles carry it) or a bare TimeStampToken
// (CMS SignedData). Errors: PermissionDenied "timestamp: ..." naming the failed check (decode,
// no authority whose chain verifies, imprint mismatch, time outside the authority's validity).
absl::StatusOr<absl::Time> VerifyRfc3161Timestamp(
    absl::string_view response, absl::string_view signed_data,
    absl::Span<const CertificateAuthority> authorities);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_TIMESTAMP_H_
