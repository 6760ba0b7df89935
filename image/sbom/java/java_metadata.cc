// Text formats inside Java archives: MANIFEST.MF and java.util.Properties files.
#include <string>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/java/java_archive.h"

namespace bulwark::sbom {
namespace {

// Splits text into lines ending in CRLF, LF or CR (the manifest and properties grammars).
std::vector<absl::string_view> Lines(absl::string_view text) {
  std::vector<absl::string_view> lines;
  size_t start = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    if (text[i] != '\n' && text[i] != '\r') continue;
    lines.push_back(text.substr(start, i - start));
    if (text[i] == '\r' && i + 1 < text.size() && text[i + 1] == '\n') ++i;
    start = i + 1;
  }
  if (start < text.size()) lines.push_back(text.substr(start));
  return lines;
}

// ISO 8859-1 bytes as UTF-8 (each byte is the code point of the same value).
void AppendLatin1(unsigned char c, std::string* out) { core::AppendUtf8(c, *out); }

void AppendUtf16Unit(uint32_t unit, uint32_t* pending_high, std::string* out) {
  auto append = [out](uint32_t rune) { core::AppendUtf8(rune, *out); };
  constexpr uint32_t kReplacement = 0xFFFD;
  if (unit >= 0xD800 && unit <= 0xDBFF) {
    if (*pending_high != 0) append(kReplacement);
    *pending_high = unit;
    return;
  }
  if (unit >= 0xDC00 && unit <= 0xDFFF) {
    if (*pending_high != 0) {
      append(0x10000 + ((*pending_high - 0xD800) << 10) + (unit - 0xDC00));
      *pending_high = 0;
    } else {
      append(kReplacement);
    }
    return;
  }
  if (*pending_high != 0) {
    append(kReplacement);
    *pending_high = 0;
  }
  append(unit);
}

// Ends a pending high surrogate that no low surrogate followed.
void FlushSurrogate(uint32_t* pending_high, std::string* out) {
  if (*pending_high == 0) return;
  out->append("\xEF\xBF\xBD");
  *pending_high = 0;
}

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

bool IsPropertiesSpace(char c) { return c == ' ' || c == '\t' || c == '\f'; }

// Unescapes a properties key or value (java.util.Properties.loadConvert): \t \n \r \f, \uXXXX
// (UTF-16, surrogate pairs joined), backslash before any other character keeps that character.
std::string Unescape(absl::string_view raw) {
  std::string out;
  uint32_t pending_high = 0;
  for (size_t i = 0; i < raw.size(); ++i) {
    unsigned char c = static_cast<unsigned char>(raw[i]);
    if (c != '\\' || i + 1 >= raw.size()) {
      FlushSurrogate(&pending_high, &out);
      AppendLatin1(c, &out);
      continue;
    }
    char next = raw[++i];
    if (next == 'u') {
      uint32_t unit = 0;
      bool ok = i + 4 < raw.size();
      for (size_t k = 1; ok && k <= 4; ++k) {
        int digit = HexDigit(raw[i + k]);
        if (digit < 0) ok = false;
        unit = unit * 16 + static_cast<uint32_t>(digit < 0 ? 0 : digit);
      }
      if (!ok) {  // Java throws "Malformed \uxxxx encoding"; keep the text instead.
        out.append("\\u");
        continue;
      }
      i += 4;
      AppendUtf16Unit(unit, &pending_high, &out);
      continue;
    }
    FlushSurrogate(&pending_high, &out);
    switch (next) {
      case 't':
        out.push_back('\t');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 'f':
        out.push_back('\f');
        break;
      default:
        AppendLatin1(static_cast<unsigned char>(next), &out);
    }
  }
  FlushSurrogate(&pending_high, &out);
  return out;
}

// True when `line` ends in an odd number of backslashes (a continuation).
bool Continues(absl::string_view line) {
  size_t slashes = 0;
  while (slashes < line.size() && line[line.size() - 1 - slashes] == '\\') ++slashes;
  return slashes % 2 == 1;
}

}  // namespace

std::string JavaManifest::Get(absl::string_view name) const {
  std::string value;
  for (const auto& [key, v] : attributes) {
    if (absl::EqualsIgnoreCase(key, name)) value = v;
  }
  return value;
}

JavaManifest ParseJavaManifest(absl::string_view text, absl::string_view source,
                               std::vector<std::string>* warnings) {
  JavaManifest manifest;
  std::vector<absl::string_view> lines = Lines(text);
  bool last_valid = false;
  for (size_t n = 0; n < lines.size(); ++n) {
    absl::string_view line = lines[n];
    if (line.empty()) break;  // End of the main section.
    if (line[0] == ' ') {
      if (last_valid) manifest.attributes.back().second += core::SanitizeUtf8(line.substr(1));
      continue;
    }
    size_t colon = line.find(':');
    if (colon == absl::string_view::npos || colon == 0 || colon + 1 >= line.size() + 1 ||
        line.substr(colon + 1, 1) != " ") {
      last_valid = false;
      if (warnings != nullptr) {
        warnings->push_back(core::SanitizeUtf8(
            absl::StrCat(source, ":", n + 1, ": manifest line without \": \"; skipped")));
      }
      continue;
    }
    manifest.attributes.emplace_back(core::SanitizeUtf8(line.substr(0, colon)),
                                     core::SanitizeUtf8(line.substr(colon + 2)));
    last_valid = true;
  }
  return manifest;
}

std::vector<std::pair<std::string, std::string>> ParseJavaProperties(absl::string_view text) {
  std::vector<std::pair<std::string, std::string>> properties;
  std::vector<absl::string_view> lines = Lines(text);
  for (size_t n = 0; n < lines.size(); ++n) {
    absl::string_view first = lines[n];
    while (!first.empty() && IsPropertiesSpace(first.front())) first.remove_prefix(1);
    if (first.empty() || first[0] == '#' || first[0] == '!') continue;
    // Join continuation lines, dropping the backslash and the next line's leading blanks.
    std::string logical(first);
    while (Continues(logical) && n + 1 < lines.size()) {
      logical.pop_back();
      absl::string_view next = lines[++n];
      while (!next.empty() && IsPropertiesSpace(next.front())) next.remove_prefix(1);
      logical.append(next.data(), next.size());
    }
    if (Continues(logical)) logical.pop_back();  // A final dangling backslash.
    // The key ends at the first unescaped '=', ':' or blank.
    size_t key_end = 0;
    while (key_end < logical.size()) {
      char c = logical[key_end];
      if (c == '\\') {
        key_end += 2;
        continue;
      }
      if (c == '=' || c == ':' || IsPropertiesSpace(c)) break;
      ++key_end;
    }
    key_end = std::min(key_end, logical.size());
    size_t value_start = key_end;
    while (value_start < logical.size() && IsPropertiesSpace(logical[value_start])) ++value_start;
    if (value_start < logical.size() &&
        (logical[value_start] == '=' || logical[value_start] == ':')) {
      ++value_start;
      while (value_start < logical.size() && IsPropertiesSpace(logical[value_start])) ++value_start;
    }
    properties.emplace_back(Unescape(absl::string_view(logical).substr(0, key_end)),
                            Unescape(absl::string_view(logical).substr(value_start)));
  }
  return properties;
}

}  // namespace bulwark::sbom
