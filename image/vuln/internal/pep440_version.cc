#include "bulwark/image/vuln/internal/pep440_version.h"

#include <optional>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/vuln/internal/numeric.h"
#include "bulwark/image/vuln/internal/re2_view.h"
#include "bulwark/image/vuln/internal/unicode_space.h"
#include "re2/re2.h"

namespace bulwark::vuln::internal {
namespace {

// PEP 440 Appendix B's VERSION_PATTERN, case-insensitive and anchored.
constexpr char kPattern[] =
    "(?i)v?"
    "(?:([0-9]+)!)?"                                               // 1 epoch
    "([0-9]+(?:\\.[0-9]+)*)"                                       // 2 release
    "(?:[-_.]?(alpha|a|beta|b|preview|pre|c|rc)[-_.]?([0-9]+)?)?"  // 3 pre label, 4 number
    "(?:-([0-9]+)|[-_.]?(post|rev|r)[-_.]?([0-9]+)?)?"  // 5 implicit post, 6 label, 7 number
    "(?:[-_.]?(dev)[-_.]?([0-9]+)?)?"                   // 8 dev, 9 number
    "(?:\\+([a-z0-9]+(?:[-_.][a-z0-9]+)*))?";           // 10 local

std::string Number(absl::string_view digits) { return std::string(StripLeadingZeros(digits)); }

std::string Print(const std::string& number) { return number.empty() ? "0" : number; }

// Compares optional numbers where "absent" sorts below every value (packaging's
// NegativeInfinity) or above (Infinity).
int CompareOptional(const std::optional<std::string>& a, const std::optional<std::string>& b,
                    bool absent_is_greatest) {
  if (a.has_value() && b.has_value()) return CompareDigits(*a, *b);
  if (a.has_value() == b.has_value()) return 0;
  int absent_a = absent_is_greatest ? 1 : -1;
  return a.has_value() ? -absent_a : absent_a;
}

// The pre-release key: a dev release without pre or post sorts before every pre-release of
// the same release (-1), a final release after them all (+1), otherwise (label, number).
int CompareRelease(const Pep440Version& a, const Pep440Version& b);

int PreRank(const Pep440Version& v) {
  if (!v.pre_label.has_value() && !v.post.has_value() && v.dev.has_value()) return -1;
  if (!v.pre_label.has_value()) return 1;
  return 0;
}

int CompareLocal(const std::vector<std::string>& a, const std::vector<std::string>& b) {
  if (a.empty() || b.empty()) return CompareValues(!a.empty(), !b.empty());
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool a_num = AllDigits(a[i]) || a[i].empty(), b_num = AllDigits(b[i]) || b[i].empty();
    // Numeric segments sort after alphanumeric ones.
    if (a_num != b_num) return a_num ? 1 : -1;
    int c = a_num ? CompareDigits(a[i], b[i]) : Sign(a[i].compare(b[i]));
    if (c != 0) return c;
  }
  return CompareValues(a.size(), b.size());
}

int CompareRelease(const Pep440Version& a, const Pep440Version& b) {
  size_t a_size = a.release.size(), b_size = b.release.size();
  // Trailing zeros do not count (1.0 == 1).
  while (a_size > 0 && a.release[a_size - 1].empty()) --a_size;
  while (b_size > 0 && b.release[b_size - 1].empty()) --b_size;
  for (size_t i = 0; i < a_size && i < b_size; ++i) {
    if (int c = CompareDigits(a.release[i], b.release[i]); c != 0) return c;
  }
  return CompareValues(a_size, b_size);
}

// The normalised spelling most versions are written in: [N!]N(.N)*[{a|b|rc}N][.postN][.devN]
// [+local with lower-case letters, digits and "."]. Every such text matches kPattern with the
// groups read here, so it is parsed without the regular expression; anything else (other
// separators, spelled-out labels, upper case, "v", implicit numbers) returns nullopt and goes
// through kPattern.
std::optional<Pep440Version> ParseNormalised(absl::string_view s) {
  size_t i = 0;
  auto digits = [&]() {
    size_t start = i;
    while (i < s.size() && IsAsciiDigit(s[i])) ++i;
    return s.substr(start, i - start);
  };
  auto digit_at = [&](size_t at) { return at < s.size() && IsAsciiDigit(s[at]); };
  Pep440Version v;
  absl::string_view number = digits();
  if (number.empty()) return std::nullopt;
  if (i < s.size() && s[i] == '!') {
    v.epoch = Number(number);
    ++i;
    number = digits();
    if (number.empty()) return std::nullopt;
  }
  v.release.push_back(Number(number));
  while (i < s.size() && s[i] == '.' && digit_at(i + 1)) {
    ++i;
    v.release.push_back(Number(digits()));
  }
  for (absl::string_view label : {"rc", "a", "b"}) {
    if (absl::StartsWith(s.substr(i), label) && digit_at(i + label.size())) {
      i += label.size();
      v.pre_label = std::string(label);
      v.pre_number = Number(digits());
      break;
    }
  }
  if (absl::StartsWith(s.substr(i), ".post") && digit_at(i + 5)) {
    i += 5;
    v.post = Number(digits());
  }
  if (absl::StartsWith(s.substr(i), ".dev") && digit_at(i + 4)) {
    i += 4;
    v.dev = Number(digits());
  }
  if (i < s.size() && s[i] == '+') {
    for (absl::string_view part : absl::StrSplit(s.substr(i + 1), '.')) {
      if (part.empty()) return std::nullopt;
      for (char c : part) {
        if (!IsAsciiDigit(c) && !(c >= 'a' && c <= 'z')) return std::nullopt;
      }
      v.local.push_back(AllDigits(part) ? Number(part) : std::string(part));
    }
    i = s.size();
  }
  if (i != s.size()) return std::nullopt;
  return v;
}

}  // namespace

absl::StatusOr<Pep440Version> ParsePep440Version(absl::string_view text) {
  static const RE2* const kVersion = new RE2(kPattern);
  absl::string_view stripped = StripPythonWhitespace(text);
  for (char c : stripped) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return absl::InvalidArgumentError("not a PEP 440 version: holds a non-ASCII character");
    }
  }
  if (std::optional<Pep440Version> normalised = ParseNormalised(stripped)) return *normalised;
  re2::StringPiece groups[10];
  if (stripped.empty() ||
      !RE2::FullMatch(ToPiece(stripped), *kVersion, &groups[0], &groups[1], &groups[2], &groups[3],
                      &groups[4], &groups[5], &groups[6], &groups[7], &groups[8], &groups[9])) {
    return absl::InvalidArgumentError(
        "not a PEP 440 version ([N!]N(.N)*[{a|b|rc}N][.postN][.devN][+local])");
  }
  absl::string_view epoch = ToView(groups[0]), release = ToView(groups[1]),
                    pre_l = ToView(groups[2]), pre_n = ToView(groups[3]),
                    post_implicit = ToView(groups[4]), post_l = ToView(groups[5]),
                    post_n = ToView(groups[6]), dev_l = ToView(groups[7]),
                    dev_n = ToView(groups[8]), local = ToView(groups[9]);
  Pep440Version v;
  v.epoch = Number(epoch);
  for (absl::string_view part : absl::StrSplit(release, '.')) v.release.push_back(Number(part));
  if (pre_l.data() != nullptr) {
    std::string label = absl::AsciiStrToLower(pre_l);
    if (label == "alpha") label = "a";
    if (label == "beta") label = "b";
    if (label == "c" || label == "pre" || label == "preview") label = "rc";
    v.pre_label = label;
    v.pre_number = Number(pre_n);
  }
  if (post_implicit.data() != nullptr) {
    v.post = Number(post_implicit);
  } else if (post_l.data() != nullptr) {
    v.post = Number(post_n);
  }
  if (dev_l.data() != nullptr) v.dev = Number(dev_n);
  if (local.data() != nullptr) {
    for (absl::string_view part : absl::StrSplit(local, absl::ByAnyChar("-_."))) {
      std::string segment = absl::AsciiStrToLower(part);
      v.local.push_back(AllDigits(segment) ? Number(segment) : segment);
    }
  }
  return v;
}

std::string NormalizedPep440(const Pep440Version& v) {
  std::string out;
  if (!v.epoch.empty()) absl::StrAppend(&out, v.epoch, "!");
  absl::StrAppend(&out, absl::StrJoin(v.release, ".", [](std::string* o, const std::string& n) {
    o->append(Print(n));
  }));
  if (v.pre_label.has_value()) absl::StrAppend(&out, *v.pre_label, Print(v.pre_number));
  if (v.post.has_value()) absl::StrAppend(&out, ".post", Print(*v.post));
  if (v.dev.has_value()) absl::StrAppend(&out, ".dev", Print(*v.dev));
  if (!v.local.empty()) {
    absl::StrAppend(&out, "+",
                    absl::StrJoin(v.local, ".", [](std::string* o, const std::string& s) {
                      o->append(s.empty() ? "0" : s);
                    }));
  }
  return out;
}

int ComparePep440Versions(const Pep440Version& a, const Pep440Version& b) {
  if (int c = CompareDigits(a.epoch, b.epoch); c != 0) return c;
  if (int c = CompareRelease(a, b); c != 0) return c;
  int a_rank = PreRank(a), b_rank = PreRank(b);
  if (a_rank != b_rank) return CompareValues(a_rank, b_rank);
  if (a_rank == 0) {
    if (int c = Sign(a.pre_label->compare(*b.pre_label)); c != 0) return c;
    if (int c = CompareDigits(a.pre_number, b.pre_number); c != 0) return c;
  }
  if (int c = CompareOptional(a.post, b.post, /*absent_is_greatest=*/false); c != 0) return c;
  if (int c = CompareOptional(a.dev, b.dev, /*absent_is_greatest=*/true); c != 0) return c;
  return CompareLocal(a.local, b.local);
}

}  // namespace bulwark::vuln::internal
