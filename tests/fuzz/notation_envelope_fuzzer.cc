// Notary Project envelopes (JWS JSON and COSE_Sign1 CBOR through libcbor) and trustpolicy.json.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/image/sign/notation.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100000;
  for (absl::string_view type : {bulwark::sign::kNotationJws, bulwark::sign::kNotationCose}) {
    absl::StatusOr<bulwark::sign::NotationEnvelope> envelope =
        bulwark::sign::ParseNotationEnvelope(text, type, limits);
    if (envelope.ok()) {
      bulwark::sign::NotationVerifyOptions options;
      options.trust.ca = envelope->chain;
      (void)bulwark::sign::VerifyNotationSignature(*envelope, options);
    }
  }
  (void)bulwark::sign::ParseNotationTrustPolicy(text, limits);
  return 0;
}
