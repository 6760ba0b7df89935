// Masking of secrets for output, and the Shannon entropy used by entropy thresholds.
//   MaskSecret("AKIAIOSFODNN7EXAMPLE") == "AKIA****************"
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SECRETS_MASKING_H_
#define BULWARK_IMAGE_SECRETS_MASKING_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::secrets {

// Keeps the first quarter of `secret` (at most 4 bytes; none when it is shorter than 8) and
// replaces every other byte with '*', at most 32 of them, so that neither the secret nor its
// length past 36 bytes shows. Line breaks inside the secret are masked too.
std::string MaskSecret(absl::string_view secret);

// `match` with its substring `secret` (at `secret_offset` within it) replaced by
// MaskSecret(secret); the rest of the match (e.g. "password=") is kept, with control characters
// shown as '.', and the result cut to 120 bytes.
std::string MaskMatch(absl::string_view match, size_t secret_offset, absl::string_view secret);

// Shannon entropy of the bytes of `text`, in bits per byte (0 for empty text, at most 8).
double ShannonEntropy(absl::string_view text);

}  // namespace bulwark::secrets

#endif  // BULWARK_IMAGE_SECRETS_MASKING_H_
