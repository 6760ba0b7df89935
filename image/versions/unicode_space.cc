#include "bulwark/image/versions/unicode_space.h"

#include <cstdint>

namespace bulwark::versions {
namespace {

bool IsPythonSpace(uint32_t c) {
  return (c >= 0x09 && c <= 0x0D) || (c >= 0x1C && c <= 0x20) || c == 0x85 || c == 0xA0 ||
         c == 0x1680 || (c >= 0x2000 && c <= 0x200A) || c == 0x2028 || c == 0x2029 || c == 0x202F ||
         c == 0x205F || c == 0x3000;
}

// Decodes the UTF-8 character starting at text[i] (length in *length); 0xFFFFFFFF when invalid.
uint32_t DecodeAt(absl::string_view text, size_t i, size_t* length) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char b0 = byte(i);
  size_t n = b0 < 0x80           ? 1
             : (b0 >> 5) == 0x6  ? 2
             : (b0 >> 4) == 0xE  ? 3
             : (b0 >> 3) == 0x1E ? 4
                                 : 0;
  *length = n == 0 ? 1 : n;
  if (n == 0 || i + n > text.size()) return 0xFFFFFFFF;
  uint32_t c = n == 1 ? b0 : b0 & (0x7F >> n);
  for (size_t k = 1; k < n; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) return 0xFFFFFFFF;
    c = (c << 6) | (byte(i + k) & 0x3F);
  }
  return c;
}

// Length of the UTF-8 character that ends at text[end - 1].
size_t LastCharacterLength(absl::string_view text, size_t end) {
  size_t start = end - 1;
  while (start > 0 && end - start < 4 && (static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) {
    --start;
  }
  return end - start;
}

}  // namespace

absl::string_view StripPythonWhitespace(absl::string_view text) {
  size_t length = 0;
  while (!text.empty() && IsPythonSpace(DecodeAt(text, 0, &length))) text.remove_prefix(length);
  while (!text.empty()) {
    size_t n = LastCharacterLength(text, text.size());
    size_t decoded = 0;
    if (DecodeAt(text, text.size() - n, &decoded) == 0xFFFFFFFF || decoded != n) break;
    if (!IsPythonSpace(DecodeAt(text, text.size() - n, &decoded))) break;
    text.remove_suffix(n);
  }
  return text;
}

}  // namespace bulwark::versions
