// COSE_Sign1 (RFC 9052) envelopes of Notary Project signatures, decoded with libcbor: the
// protected header (alg, crit, content type, io.cncf.notary.* attributes with epoch-time tags),
// the unprotected x5chain and timestamp countersignature, and the Sig_structure the signature
// covers. Every input is pre-scanned with libcbor's streaming decoder before it is loaded, so
// declared lengths larger than the input, indefinite lengths and nesting deeper than 16 are
// refused before libcbor allocates for them.
// Thread safety: a pure function.
#ifndef BULWARK_IMAGE_SIGN_INTERNAL_NOTATION_COSE_H_
#define BULWARK_IMAGE_SIGN_INTERNAL_NOTATION_COSE_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/sign/notation.h"

namespace bulwark::sign::internal {

// Errors: InvalidArgument "notation: COSE: <what>".
absl::StatusOr<NotationEnvelope> ParseCoseSign1(absl::string_view bytes,
                                                const core::Limits& limits);

}  // namespace bulwark::sign::internal

#endif  // BULWARK_IMAGE_SIGN_INTERNAL_NOTATION_COSE_H_
