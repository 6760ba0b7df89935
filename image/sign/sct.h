// Embedded Signed Certificate Timestamps (RFC 6962) in an X.509 certificate, verified with
// OpenSSL's CT API against the CT log keys of a trust root.
// Thread safety: a pure function.
#ifndef BULWARK_IMAGE_SIGN_SCT_H_
#define BULWARK_IMAGE_SIGN_SCT_H_

#include "absl/status/status.h"
#include "absl/types/span.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/tlog.h"

namespace bulwark::sign {

// OK when at least one SCT embedded in `leaf` (issued by `issuer`) verifies against a CT log in
// `logs`. Errors: PermissionDenied "sct: ..." (no SCT extension, no SCT from a known log, bad
// signature).
absl::Status VerifyEmbeddedScts(const Certificate& leaf, const Certificate& issuer,
                                absl::Span<const TransparencyLogKey> logs);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_SCT_H_
