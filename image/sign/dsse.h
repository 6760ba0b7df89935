// DSSE (Dead Simple Signing Envelope) v1: the envelope JSON, the pre-authentication encoding
// (PAE) that signatures cover, and threshold verification against trusted keys.
//   BULWARK_ASSIGN_OR_RETURN(DsseEnvelope envelope, ParseDsseEnvelope(json));
//   BULWARK_RETURN_IF_ERROR(VerifyDsse(envelope, trusted_keys, {}));
//   // envelope.payload is now authenticated.
// Thread safety: plain values and functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_DSSE_H_
#define BULWARK_IMAGE_SIGN_DSSE_H_

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::sign {

inline constexpr absl::string_view kInTotoPayloadType = "application/vnd.in-toto+json";

struct DsseSignature {
  std::string keyid;      // Optional hint; never trusted for the decision.
  std::string signature;  // Raw bytes (decoded from base64).
};

struct DsseEnvelope {
  std::string payload_type;
  std::string payload;  // Raw bytes (decoded from base64).
  std::vector<DsseSignature> signatures;
};

// PAE(type, body) = "DSSEv1" SP LEN(type) SP type SP LEN(body) SP body, with LEN the decimal
// byte length of the UTF-8 text.
std::string PreAuthEncoding(absl::string_view payload_type, absl::string_view payload);

// Reads an envelope from its JSON form (payload and sig in standard or URL-safe base64, with or
// without padding). Errors: InvalidArgument "<source>: <json path>: <problem>".
absl::StatusOr<DsseEnvelope> ParseDsseEnvelope(absl::string_view json,
                                               const core::Limits& limits = {},
                                               absl::string_view source = "<dsse>");
// The same from an already parsed JSON value (e.g. inside a Sigstore bundle).
absl::StatusOr<DsseEnvelope> DsseEnvelopeFromValue(const core::Value& value,
                                                   absl::string_view where);

struct DsseVerifyOptions {
  // Distinct trusted keys that must each verify a signature. Default: 1.
  int threshold = 1;
  // Payload types accepted; empty accepts only kInTotoPayloadType.
  std::vector<std::string> supported_payload_types;
};

// Verifies `envelope` against `trusted_keys` (each with its DefaultParams()). A key counts once
// however many signatures it made. Errors: PermissionDenied "dsse: ..." naming the failed step
// (unsupported payload type, no signatures, threshold not met with the count).
absl::Status VerifyDsse(const DsseEnvelope& envelope, absl::Span<const PublicKey> trusted_keys,
                        const DsseVerifyOptions& options = {});

// Standard or URL-safe base64, padding optional. Errors: InvalidArgument naming `what`.
absl::StatusOr<std::string> DecodeBase64(absl::string_view text, absl::string_view what);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_DSSE_H_
