#include "bulwark/image/versions/pep440_version.h"

#include <algorithm>
#include <optional>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/versions/numeric.h"
#include "bulwark/image/versions/re2_view.h"
#include "bulwark/image/versions/unicode_space.h"
#include "re2/re2.h"

namespace bulwark::versions {
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

absl::string_view Number(absl::string_view digits) { return StripLeadingZeros(digits); }

absl::string_view Print(absl::string_view number) { return number.empty() ? "0" : number; }

// Compares optional numbers where "absent" sorts below every value (packaging's
// NegativeInfinity) or above (Infinity).
int CompareOptional(const std::optional<absl::string_view>& a,
                    const std::optional<absl::string_view>& b, bool absent_is_greatest) {
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

// Byte order of the ASCII-lower-cased texts (packaging lower-cases local segments).
int CompareLowerCase(absl::string_view a, absl::string_view b) {
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    char x = absl::ascii_tolower(static_cast<unsigned char>(a[i]));
    char y = absl::ascii_tolower(static_cast<unsigned char>(b[i]));
    if (x != y) return static_cast<unsigned char>(x) < static_cast<unsigned char>(y) ? -1 : 1;
  }
  return CompareValues(a.size(), b.size());
}

int CompareLocal(const Pep440Version::Segments& a, const Pep440Version::Segments& b) {
  if (a.empty() || b.empty()) return CompareValues(!a.empty(), !b.empty());
  for (size_t i = 0; i < a.size() && i < b.size(); ++i) {
    bool a_num = AllDigits(a[i]) || a[i].empty(), b_num = AllDigits(b[i]) || b[i].empty();
    // Numeric segments sort after alphanumeric ones.
    if (a_num != b_num) return a_num ? 1 : -1;
    int c = a_num ? CompareDigits(a[i], b[i]) : CompareLowerCase(a[i], b[i]);
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

// A left-to-right reading of kPattern that takes, at every choice, the branch the regular
// expression prefers (optional parts present, alternatives in their written order, separators
// consumed) and never backtracks. When that first-choice path reads the whole text it is the
// match RE2 (and Python's re, which packaging uses) reports, so the groups are the same; when it
// does not (the text is invalid, or only a backtracked path would match), nullopt sends the text
// to kPattern. Most versions are read here without the regular expression.
class Pep440Scanner {
 public:
  explicit Pep440Scanner(absl::string_view text) : s_(text) {}

  std::optional<Pep440Version> Scan() {
    Pep440Version v;
    if (i_ < s_.size() && (s_[i_] | 0x20) == 'v') ++i_;
    absl::string_view number = Digits();
    if (number.empty()) return std::nullopt;
    if (Peek('!')) {
      v.epoch = Number(number);
      ++i_;
      number = Digits();
      if (number.empty()) return std::nullopt;
    }
    v.release.push_back(Number(number));
    while (Peek('.') && DigitAt(i_ + 1)) {
      ++i_;
      v.release.push_back(Number(Digits()));
    }
    static constexpr absl::string_view kPre[] = {"alpha",   "a",   "beta", "b",
                                                 "preview", "pre", "c",    "rc"};
    if (absl::string_view label = Label(kPre); !label.empty()) {
      v.pre_label = label[0] == 'a' ? "a" : label[0] == 'b' ? "b" : "rc";
      v.pre_number = Number(SeparatedDigits());
    }
    static constexpr absl::string_view kPost[] = {"post", "rev", "r"};
    if (Peek('-') && DigitAt(i_ + 1)) {
      ++i_;
      v.post = Number(Digits());
    } else if (!Label(kPost).empty()) {
      v.post = Number(SeparatedDigits());
    }
    static constexpr absl::string_view kDev[] = {"dev"};
    if (!Label(kDev).empty()) v.dev = Number(SeparatedDigits());
    if (Peek('+')) {
      ++i_;
      while (true) {
        size_t start = i_;
        while (i_ < s_.size() && absl::ascii_isalnum(static_cast<unsigned char>(s_[i_]))) ++i_;
        if (i_ == start) return std::nullopt;
        absl::string_view segment = s_.substr(start, i_ - start);
        v.local.push_back(AllDigits(segment) ? Number(segment) : segment);
        if (i_ == s_.size()) break;
        if (!IsSeparator(s_[i_])) return std::nullopt;
        ++i_;
      }
    }
    if (i_ != s_.size()) return std::nullopt;
    return v;
  }

 private:
  static bool IsSeparator(char c) { return c == '-' || c == '_' || c == '.'; }
  bool Peek(char c) const { return i_ < s_.size() && s_[i_] == c; }
  bool DigitAt(size_t at) const { return at < s_.size() && IsAsciiDigit(s_[at]); }

  absl::string_view Digits() {
    size_t start = i_;
    while (DigitAt(i_)) ++i_;
    return s_.substr(start, i_ - start);
  }

  // `[-_.]?(label|...)`, case-insensitively: the first label that follows an optional
  // separator, consumed with it; "" (nothing consumed) when none does.
  template <size_t N>
  absl::string_view Label(const absl::string_view (&labels)[N]) {
    for (size_t at : {i_ + 1, i_}) {
      if (at == i_ + 1 && !(i_ < s_.size() && IsSeparator(s_[i_]))) continue;
      if (at >= s_.size()) continue;
      const char first = absl::ascii_tolower(static_cast<unsigned char>(s_[at]));
      for (absl::string_view label : labels) {
        if (label[0] == first && absl::StartsWithIgnoreCase(s_.substr(at), label)) {
          i_ = at + label.size();
          return label;
        }
      }
    }
    return "";
  }

  // `[-_.]?([0-9]+)?` after a label.
  absl::string_view SeparatedDigits() {
    if (i_ < s_.size() && IsSeparator(s_[i_])) ++i_;
    return Digits();
  }

  absl::string_view s_;
  size_t i_ = 0;
};

}  // namespace

absl::StatusOr<Pep440Version> ParsePep440Version(absl::string_view text) {
  static const RE2* const kVersion = new RE2(kPattern);
  absl::string_view stripped = StripPythonWhitespace(text);
  for (char c : stripped) {
    if (static_cast<unsigned char>(c) >= 0x80) {
      return absl::InvalidArgumentError("not a PEP 440 version: holds a non-ASCII character");
    }
  }
  if (std::optional<Pep440Version> scanned = Pep440Scanner(stripped).Scan())
    return *std::move(scanned);
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
    // alpha / a, beta / b, and c / pre / preview / rc (any case).
    char first = absl::ascii_tolower(static_cast<unsigned char>(pre_l[0]));
    v.pre_label = first == 'a' ? "a" : first == 'b' ? "b" : "rc";
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
      v.local.push_back(AllDigits(part) ? Number(part) : part);
    }
  }
  return v;
}

std::string NormalizedPep440(const Pep440Version& v) {
  std::string out;
  if (!v.epoch.empty()) absl::StrAppend(&out, v.epoch, "!");
  absl::StrAppend(&out, absl::StrJoin(v.release, ".", [](std::string* o, absl::string_view n) {
    absl::StrAppend(o, Print(n));
  }));
  if (v.pre_label.has_value()) absl::StrAppend(&out, *v.pre_label, Print(v.pre_number));
  if (v.post.has_value()) absl::StrAppend(&out, ".post", Print(*v.post));
  if (v.dev.has_value()) absl::StrAppend(&out, ".dev", Print(*v.dev));
  if (!v.local.empty()) {
    absl::StrAppend(&out, "+", absl::StrJoin(v.local, ".", [](std::string* o, absl::string_view s) {
      absl::StrAppend(o, s.empty() ? "0" : absl::AsciiStrToLower(s));
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

}  // namespace bulwark::versions
