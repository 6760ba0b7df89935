// RFC 8785 (JSON Canonicalization Scheme) serialisation of a core::Value: object members sorted
// by the UTF-16 code units of their names, no whitespace, strings with the minimal escapes, and
// numbers in the ECMAScript shortest form. Rekor signs the canonical form of its entries.
// Thread safety: a pure function.
#ifndef BULWARK_IMAGE_SIGN_INTERNAL_CANONICAL_JSON_H_
#define BULWARK_IMAGE_SIGN_INTERNAL_CANONICAL_JSON_H_

#include <string>

#include "absl/status/statusor.h"
#include "bulwark/core/value.h"

namespace bulwark::sign::internal {

// Errors: InvalidArgument for values JSON cannot carry canonically (bytes, non-finite numbers,
// integers beyond 2^53 that an IEEE double would round).
absl::StatusOr<std::string> CanonicalJson(const core::Value& value);

}  // namespace bulwark::sign::internal

#endif  // BULWARK_IMAGE_SIGN_INTERNAL_CANONICAL_JSON_H_
