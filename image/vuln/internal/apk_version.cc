#include "bulwark/image/vuln/internal/apk_version.h"

#include <array>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/versions/numeric.h"

namespace bulwark::vuln::internal {

using ::bulwark::versions::CompareDigits;
using ::bulwark::versions::CompareValues;
using ::bulwark::versions::IsAsciiDigit;
using ::bulwark::versions::Sign;
namespace {

// Token kinds in the order apk-tools allows them to follow each other.
enum class Token {
  kInitialDigit,
  kDigit,
  kLetter,
  kSuffix,
  kSuffixNumber,
  kCommitHash,
  kRevision,
  kEnd,
  kInvalid,
};

// Suffix ranks: pre-release suffixes sort below "no suffix" (kNone), post-release ones above.
enum Suffix { kAlpha, kBeta, kPre, kRc, kNone, kCvs, kSvn, kGit, kHg, kP, kUnknownSuffix };

Suffix SuffixRank(absl::string_view name) {
  static constexpr std::array<std::pair<absl::string_view, Suffix>, 9> kSuffixes = {{
      {"alpha", kAlpha},
      {"beta", kBeta},
      {"pre", kPre},
      {"rc", kRc},
      {"cvs", kCvs},
      {"svn", kSvn},
      {"git", kGit},
      {"hg", kHg},
      {"p", kP},
  }};
  for (const auto& [text, rank] : kSuffixes) {
    if (name == text) return rank;
  }
  return kUnknownSuffix;
}

bool IsLower(char c) { return c >= 'a' && c <= 'z'; }
bool IsHex(char c) { return IsAsciiDigit(c) || (c >= 'a' && c <= 'f'); }

struct TokenState {
  Token token = Token::kInitialDigit;
  Suffix suffix = kNone;
  absl::string_view value;  // The token's text (digits, letter, suffix name or hash).
  std::string error;        // Why the token is kInvalid.
};

// Reads the digits at the front of `rest` into `state.value`.
void ReadDigits(TokenState& state, absl::string_view& rest) {
  size_t n = 0;
  while (n < rest.size() && IsAsciiDigit(rest[n])) ++n;
  state.value = rest.substr(0, n);
  rest.remove_prefix(n);
  if (n == 0) {
    state.token = Token::kInvalid;
    state.error = "expected a digit";
  }
}

void First(TokenState& state, absl::string_view& rest) {
  state.token = Token::kInitialDigit;
  ReadDigits(state, rest);
}

void Next(TokenState& state, absl::string_view& rest, size_t total) {
  auto invalid = [&](absl::string_view why) {
    state.error = absl::StrCat(why, " at offset ", total - rest.size());
    state.token = Token::kInvalid;
  };
  if (rest.empty()) {
    state.token = Token::kEnd;
    return;
  }
  char c = rest[0];
  if (IsLower(c)) {
    if (state.token > Token::kDigit) return invalid("a letter may only follow a number");
    state.value = rest.substr(0, 1);
    state.token = Token::kLetter;
    rest.remove_prefix(1);
  } else if (c == '.' || IsAsciiDigit(c)) {
    if (c == '.') {
      if (state.token > Token::kDigit) return invalid("'.' may only follow a number");
      rest.remove_prefix(1);
    }
    if (state.token == Token::kInitialDigit || state.token == Token::kDigit) {
      state.token = Token::kDigit;
    } else if (state.token == Token::kSuffix) {
      state.token = Token::kSuffixNumber;
    } else {
      return invalid("unexpected digit");
    }
    ReadDigits(state, rest);
    if (state.token == Token::kInvalid) return invalid("expected a digit");
  } else if (c == '_') {
    if (state.token > Token::kSuffixNumber) return invalid("'_' after a hash or revision");
    rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && IsLower(rest[n])) ++n;
    state.value = rest.substr(0, n);
    rest.remove_prefix(n);
    state.suffix = SuffixRank(state.value);
    if (state.suffix == kUnknownSuffix) {
      return invalid(absl::StrCat("unknown suffix \"_", state.value,
                                  "\" (known: alpha beta pre rc cvs svn git hg p)"));
    }
    state.token = Token::kSuffix;
  } else if (c == '~') {
    if (state.token >= Token::kCommitHash) return invalid("'~' after a hash or revision");
    rest.remove_prefix(1);
    size_t n = 0;
    while (n < rest.size() && IsHex(rest[n])) ++n;
    if (n == 0) return invalid("'~' not followed by a lowercase hex commit hash");
    state.value = rest.substr(0, n);
    rest.remove_prefix(n);
    state.token = Token::kCommitHash;
  } else if (c == '-') {
    if (state.token >= Token::kRevision) return invalid("second revision");
    if (rest.size() < 2 || rest[1] != 'r') return invalid("'-' not followed by 'r'");
    rest.remove_prefix(2);
    state.token = Token::kRevision;
    ReadDigits(state, rest);
    if (state.token == Token::kInvalid) return invalid("\"-r\" not followed by a number");
  } else {
    invalid(absl::StrCat("unexpected character '", absl::CEscape(rest.substr(0, 1)), "'"));
  }
}

int CompareBytes(absl::string_view a, absl::string_view b) { return Sign(a.compare(b)); }

// token_cmp(): both tokens have the same kind.
int CompareTokens(const TokenState& a, const TokenState& b) {
  switch (a.token) {
    case Token::kDigit:
      // A leading zero makes the component a string, as in Gentoo (1.01 < 1.1).
      if (a.value[0] == '0' || b.value[0] == '0') return CompareBytes(a.value, b.value);
      return CompareDigits(a.value, b.value);
    case Token::kInitialDigit:
    case Token::kSuffixNumber:
    case Token::kRevision:
      return CompareDigits(a.value, b.value);
    case Token::kLetter:
      return CompareValues(a.value[0], b.value[0]);
    case Token::kSuffix:
      return CompareValues(a.suffix, b.suffix);
    default:
      return CompareBytes(a.value, b.value);
  }
}

}  // namespace

absl::Status ValidateApkVersion(absl::string_view text) {
  TokenState state;
  absl::string_view rest = text;
  for (First(state, rest); state.token < Token::kEnd; Next(state, rest, text.size())) {
  }
  if (state.token == Token::kEnd) return absl::OkStatus();
  if (text.empty()) return absl::InvalidArgumentError("version is empty");
  return absl::InvalidArgumentError(state.error.empty() ? "invalid version" : state.error);
}

int CompareApkVersions(absl::string_view a, absl::string_view b, bool fuzzy) {
  TokenState ta, tb;
  absl::string_view ra = a, rb = b;
  for (First(ta, ra), First(tb, rb); ta.token == tb.token && ta.token < Token::kEnd;
       Next(ta, ra, a.size()), Next(tb, rb, b.size())) {
    if (int c = CompareTokens(ta, tb); c != 0) return c;
  }
  if (ta.token == tb.token) return 0;
  if (tb.token == Token::kEnd && fuzzy) return 0;
  // Equal so far: the longer version is newer unless it continues with a pre-release suffix.
  if (ta.token == Token::kSuffix && ta.suffix < kNone) return -1;
  if (tb.token == Token::kSuffix && tb.suffix < kNone) return 1;
  if (ta.token > tb.token) return -1;
  if (tb.token > ta.token) return 1;
  return 0;
}

}  // namespace bulwark::vuln::internal
