#include "bulwark/image/sbom/binfmt/utf8.h"

#include <cstddef>

namespace bulwark::sbom::binfmt {
namespace {

struct Sequence {
  bool valid;       // A complete well-formed sequence starts here.
  size_t consumed;  // Its length, or the length of the maximal valid prefix (at least 1).
};

// Reads the sequence starting at text[i] by the well-formed byte sequences table of Unicode 15,
// section 3.9 (no overlong forms, no surrogates, nothing above U+10FFFF).
Sequence ReadSequence(absl::string_view text, size_t i) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return {true, 1};
  size_t length;
  unsigned char low = 0x80;
  unsigned char high = 0xBF;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    if (lead == 0xE0) low = 0xA0;
    if (lead == 0xED) high = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    if (lead == 0xF0) low = 0x90;
    if (lead == 0xF4) high = 0x8F;
  } else {
    return {false, 1};
  }
  for (size_t k = 1; k < length; ++k) {
    if (i + k >= text.size()) return {false, k};
    unsigned char next = byte(i + k);
    unsigned char min = k == 1 ? low : 0x80;
    unsigned char max = k == 1 ? high : 0xBF;
    if (next < min || next > max) return {false, k};
  }
  return {true, length};
}

}  // namespace

bool IsValidUtf8(absl::string_view text) {
  for (size_t i = 0; i < text.size();) {
    Sequence sequence = ReadSequence(text, i);
    if (!sequence.valid) return false;
    i += sequence.consumed;
  }
  return true;
}

std::string SanitizeUtf8(absl::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t i = 0; i < text.size();) {
    Sequence sequence = ReadSequence(text, i);
    if (sequence.valid) {
      out.append(text.data() + i, sequence.consumed);
    } else {
      out.append("\xEF\xBF\xBD");
    }
    i += sequence.consumed;
  }
  return out;
}

void AppendUtf8(uint32_t rune, std::string* out) {
  if (rune < 0x80) {
    out->push_back(static_cast<char>(rune));
  } else if (rune < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (rune >> 6)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else if (rune < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (rune >> 12)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (rune >> 18)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((rune >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (rune & 0x3F)));
  }
}

}  // namespace bulwark::sbom::binfmt
