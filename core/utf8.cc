#include "bulwark/core/utf8.h"

namespace bulwark::core {
namespace {

constexpr char kReplacementUtf8[] = "\xEF\xBF\xBD";  // U+FFFD

// What starts at one byte offset of a text.
struct Sequence {
  bool well_formed;     // A complete well-formed sequence starts here.
  size_t length;        // Its length, or else the length of the maximal subpart (at least 1).
  char32_t code_point;  // The decoded value when well_formed.
};

// Reads the sequence at text[pos] (pos < text.size()) by the table of well-formed UTF-8 byte
// sequences in the Unicode Standard, section 3.9: the lead byte fixes the length and the range
// of the second byte (which rules out overlong forms, surrogates and values above U+10FFFF);
// later bytes are 80..BF. Stopping at the first byte out of range yields the maximal subpart.
Sequence ReadSequence(absl::string_view text, size_t pos) {
  auto byte = [&](size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(pos);
  if (lead < 0x80) return {true, 1, lead};
  size_t length;
  unsigned char second_min = 0x80;
  unsigned char second_max = 0xBF;
  char32_t code_point;
  if (lead >= 0xC2 && lead <= 0xDF) {
    length = 2;
    code_point = lead & 0x1F;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    length = 3;
    code_point = lead & 0x0F;
    if (lead == 0xE0) second_min = 0xA0;  // Overlong below U+0800.
    if (lead == 0xED) second_max = 0x9F;  // Surrogates U+D800..U+DFFF.
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    length = 4;
    code_point = lead & 0x07;
    if (lead == 0xF0) second_min = 0x90;  // Overlong below U+10000.
    if (lead == 0xF4) second_max = 0x8F;  // Above U+10FFFF.
  } else {
    return {false, 1, 0};
  }
  for (size_t k = 1; k < length; ++k) {
    if (pos + k >= text.size()) return {false, k, 0};
    const unsigned char next = byte(pos + k);
    const unsigned char min = k == 1 ? second_min : 0x80;
    const unsigned char max = k == 1 ? second_max : 0xBF;
    if (next < min || next > max) return {false, k, 0};
    code_point = (code_point << 6) | (next & 0x3F);
  }
  return {true, length, code_point};
}

}  // namespace

size_t DecodeUtf8CodePoint(absl::string_view text, size_t pos, char32_t& code_point) {
  if (pos >= text.size()) return 0;
  const Sequence sequence = ReadSequence(text, pos);
  if (!sequence.well_formed) return 0;
  code_point = sequence.code_point;
  return sequence.length;
}

std::u32string DecodeUtf8(absl::string_view text) {
  std::u32string out;
  out.reserve(text.size());
  for (size_t pos = 0; pos < text.size();) {
    const Sequence sequence = ReadSequence(text, pos);
    if (sequence.well_formed) {
      out.push_back(sequence.code_point);
      pos += sequence.length;
    } else {
      out.push_back(U'\uFFFD');
      ++pos;
    }
  }
  return out;
}

void AppendUtf8(char32_t code_point, std::string& out) {
  if (code_point < 0x80) {
    out.push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out.push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

std::string EncodeUtf8(std::u32string_view code_points) {
  std::string out;
  out.reserve(code_points.size());
  for (char32_t code_point : code_points) AppendUtf8(code_point, out);
  return out;
}

bool IsValidUtf8(absl::string_view text) {
  for (size_t pos = 0; pos < text.size();) {
    const Sequence sequence = ReadSequence(text, pos);
    if (!sequence.well_formed) return false;
    pos += sequence.length;
  }
  return true;
}

std::string SanitizeUtf8(absl::string_view text) {
  if (IsValidUtf8(text)) return std::string(text);
  std::string out;
  out.reserve(text.size() + 8);
  for (size_t pos = 0; pos < text.size();) {
    const Sequence sequence = ReadSequence(text, pos);
    if (sequence.well_formed) {
      out.append(text.data() + pos, sequence.length);
    } else {
      out.append(kReplacementUtf8);
    }
    pos += sequence.length;
  }
  return out;
}

}  // namespace bulwark::core
