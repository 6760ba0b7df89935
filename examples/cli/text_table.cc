#include "bulwark/examples/cli/text_table.h"

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <iterator>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"

namespace bulwark::cli {
namespace {

// The length of the valid UTF-8 sequence at the start of `text` and its code point, or length 0
// when it does not start with one (bad lead byte, truncated, overlong, surrogate, > U+10FFFF).
struct CodePoint {
  size_t length = 0;
  uint32_t value = 0;
};

// Multi-byte UTF-8 lead bytes: (lead & mask) == bits starts a sequence of `length` bytes whose
// code point is at least `minimum` (smaller ones are overlong encodings).
struct Utf8Lead {
  uint8_t mask;
  uint8_t bits;
  size_t length;
  uint32_t minimum;
};
constexpr Utf8Lead kUtf8Leads[] = {
    {0xe0, 0xc0, 2, 0x80},
    {0xf0, 0xe0, 3, 0x800},
    {0xf8, 0xf0, 4, 0x10000},
};

CodePoint DecodeUtf8(absl::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<uint8_t>(text[i]); };
  const uint8_t lead = byte(0);
  if (lead < 0x80) return {1, lead};
  const Utf8Lead* kind = std::find_if(std::begin(kUtf8Leads), std::end(kUtf8Leads),
                                      [&](const Utf8Lead& l) { return (lead & l.mask) == l.bits; });
  if (kind == std::end(kUtf8Leads)) return {};
  const size_t length = kind->length;
  uint32_t value = lead & static_cast<uint8_t>(~kind->mask);
  if (text.size() < length) return {};
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xc0) != 0x80) return {};
    value = (value << 6) | (byte(i) & 0x3f);
  }
  if (value < kind->minimum || value > 0x10ffff || (value >= 0xd800 && value <= 0xdfff)) return {};
  return {length, value};
}

bool IsControl(uint32_t code_point) {
  return code_point < 0x20 || (code_point >= 0x7f && code_point <= 0x9f);
}

void AppendHexByte(char c, std::string* out) {
  absl::StrAppendFormat(out, "\\x%02x", static_cast<uint8_t>(c));
}

// Code points in `text`, which is valid UTF-8.
size_t DisplayWidth(absl::string_view text) {
  return std::count_if(text.begin(), text.end(), [](char c) { return (c & 0xc0) != 0x80; });
}

}  // namespace

std::string EscapeForTerminal(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    CodePoint code_point = DecodeUtf8(text);
    if (code_point.length == 0 || IsControl(code_point.value)) {
      for (size_t i = 0; i < std::max<size_t>(code_point.length, 1); ++i) {
        AppendHexByte(text[i], &out);
      }
      text.remove_prefix(std::max<size_t>(code_point.length, 1));
      continue;
    }
    if (code_point.value == '\\') {
      out.append("\\\\");
    } else {
      absl::StrAppend(&out, text.substr(0, code_point.length));
    }
    text.remove_prefix(code_point.length);
  }
  return out;
}

std::string ValidUtf8(absl::string_view text) {
  std::string out;
  out.reserve(text.size());
  while (!text.empty()) {
    CodePoint code_point = DecodeUtf8(text);
    if (code_point.length == 0) {
      AppendHexByte(text[0], &out);
      text.remove_prefix(1);
      continue;
    }
    absl::StrAppend(&out, text.substr(0, code_point.length));
    text.remove_prefix(code_point.length);
  }
  return out;
}

std::string FormatTable(const std::vector<std::vector<std::string>>& rows) {
  std::vector<std::vector<std::string>> cells;
  std::vector<size_t> widths;
  for (const std::vector<std::string>& row : rows) {
    std::vector<std::string>& escaped = cells.emplace_back();
    for (size_t column = 0; column < row.size(); ++column) {
      escaped.push_back(EscapeForTerminal(row[column]));
      if (widths.size() <= column) widths.push_back(0);
      widths[column] = std::max(widths[column], DisplayWidth(escaped.back()));
    }
  }
  std::string out;
  for (const std::vector<std::string>& row : cells) {
    // Empty trailing cells get no padding, so lines carry no trailing spaces.
    size_t used = row.size();
    while (used > 0 && row[used - 1].empty()) --used;
    for (size_t column = 0; column < used; ++column) {
      out.append(row[column]);
      if (column + 1 < used) out.append(widths[column] - DisplayWidth(row[column]) + 2, ' ');
    }
    out.push_back('\n');
  }
  return out;
}

}  // namespace bulwark::cli
