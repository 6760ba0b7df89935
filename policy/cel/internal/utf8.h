// UTF-8 helpers for CEL strings, whose sizes and indexes count code points.
// Internal. Thread safety: stateless.
#ifndef BULWARK_POLICY_CEL_INTERNAL_UTF8_H_
#define BULWARK_POLICY_CEL_INTERNAL_UTF8_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::cel::internal {

// Code points of `text`; malformed sequences become U+FFFD.
std::u32string DecodeUtf8(absl::string_view text);
std::string EncodeUtf8(std::u32string_view code_points);
// Appends one code point.
void AppendUtf8(char32_t code_point, std::string& out);
// Whether `text` is well-formed UTF-8 (no surrogates, no overlong forms).
bool IsValidUtf8(absl::string_view text);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_UTF8_H_
