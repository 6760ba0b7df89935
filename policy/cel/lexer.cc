#include "bulwark/policy/cel/lexer.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/utf8.h"

namespace bulwark::cel {
namespace {

bool IsIdentStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentChar(char c) { return absl::ascii_isalnum(c) || c == '_'; }

int HexDigit(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

struct Keyword {
  absl::string_view text;
  TokenKind kind;
};

constexpr Keyword kKeywords[] = {
    {"true", TokenKind::kTrue},          {"false", TokenKind::kFalse},
    {"null", TokenKind::kNull},          {"in", TokenKind::kIn},
    {"as", TokenKind::kReserved},        {"break", TokenKind::kReserved},
    {"const", TokenKind::kReserved},     {"continue", TokenKind::kReserved},
    {"else", TokenKind::kReserved},      {"for", TokenKind::kReserved},
    {"function", TokenKind::kReserved},  {"if", TokenKind::kReserved},
    {"import", TokenKind::kReserved},    {"let", TokenKind::kReserved},
    {"loop", TokenKind::kReserved},      {"package", TokenKind::kReserved},
    {"namespace", TokenKind::kReserved}, {"return", TokenKind::kReserved},
    {"var", TokenKind::kReserved},       {"void", TokenKind::kReserved},
    {"while", TokenKind::kReserved},
};

struct Punctuation {
  absl::string_view text;
  TokenKind kind;
};

// Longest first, so that "<=" wins over "<".
constexpr Punctuation kPunctuation[] = {
    {"<=", TokenKind::kLessEq},  {">=", TokenKind::kGreaterEq}, {"==", TokenKind::kEq},
    {"!=", TokenKind::kNotEq},   {"&&", TokenKind::kAnd},       {"||", TokenKind::kOr},
    {".", TokenKind::kDot},      {",", TokenKind::kComma},      {":", TokenKind::kColon},
    {"?", TokenKind::kQuestion}, {"(", TokenKind::kLParen},     {")", TokenKind::kRParen},
    {"[", TokenKind::kLBracket}, {"]", TokenKind::kRBracket},   {"{", TokenKind::kLBrace},
    {"}", TokenKind::kRBrace},   {"+", TokenKind::kPlus},       {"-", TokenKind::kMinus},
    {"*", TokenKind::kStar},     {"/", TokenKind::kSlash},      {"%", TokenKind::kPercent},
    {"!", TokenKind::kNot},      {"<", TokenKind::kLess},       {">", TokenKind::kGreater},
};

}  // namespace

void Lexer::SkipSpaceAndComments() {
  while (pos_ < source_.size()) {
    char c = source_[pos_];
    if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
      ++pos_;
    } else if (c == '/' && pos_ + 1 < source_.size() && source_[pos_ + 1] == '/') {
      while (pos_ < source_.size() && source_[pos_] != '\n') ++pos_;
    } else {
      return;
    }
  }
}

Token Lexer::Next() {
  SkipSpaceAndComments();
  Token token;
  token.offset = static_cast<uint32_t>(pos_);
  if (pos_ >= source_.size()) return token;
  char c = source_[pos_];
  auto peek = [&](size_t ahead) -> char {
    return pos_ + ahead < source_.size() ? source_[pos_ + ahead] : '\0';
  };

  // String and bytes literals with r/b prefixes.
  {
    size_t p = 0;
    bool raw = false;
    bool bytes = false;
    while (p < 2) {
      char q = peek(p);
      if ((q == 'r' || q == 'R') && !raw) {
        raw = true;
      } else if ((q == 'b' || q == 'B') && !bytes) {
        bytes = true;
      } else {
        break;
      }
      ++p;
    }
    if (peek(p) == '"' || peek(p) == '\'') return LexString(p, raw, bytes);
  }

  if (IsIdentStart(c)) {
    size_t start = pos_;
    while (pos_ < source_.size() && IsIdentChar(source_[pos_])) ++pos_;
    token.text = std::string(source_.substr(start, pos_ - start));
    token.kind = TokenKind::kIdent;
    for (const Keyword& k : kKeywords) {
      if (k.text == token.text) token.kind = k.kind;
    }
    return token;
  }
  if (absl::ascii_isdigit(c) || (c == '.' && absl::ascii_isdigit(peek(1)))) return LexNumber();
  if (c == '`') {
    size_t start = ++pos_;
    while (pos_ < source_.size() && source_[pos_] != '`' && source_[pos_] != '\n') ++pos_;
    if (pos_ >= source_.size() || source_[pos_] != '`') {
      token.kind = TokenKind::kError;
      token.text = "unterminated quoted identifier";
      return token;
    }
    token.text = std::string(source_.substr(start, pos_ - start));
    ++pos_;
    token.kind = TokenKind::kBacktickIdent;
    bool valid = true;
    for (char ch : token.text) {
      valid = valid && (IsIdentChar(ch) || ch == '.' || ch == '-' || ch == '/' || ch == ' ');
    }
    if (!valid) {
      token.kind = TokenKind::kError;
      token.text = "invalid character in quoted identifier";
    }
    if (token.text.empty()) {
      token.kind = TokenKind::kError;
      token.text = "empty quoted identifier";
    }
    return token;
  }
  for (const Punctuation& p : kPunctuation) {
    if (source_.substr(pos_, p.text.size()) == p.text) {
      pos_ += p.text.size();
      token.kind = p.kind;
      return token;
    }
  }
  token.kind = TokenKind::kError;
  token.text = absl::StrCat("token recognition error at: '", source_.substr(pos_, 1), "'");
  ++pos_;
  return token;
}

Token Lexer::LexNumber() {
  Token token;
  token.offset = static_cast<uint32_t>(pos_);
  size_t start = pos_;
  auto at = [&](size_t i) -> char { return i < source_.size() ? source_[i] : '\0'; };
  if (at(pos_) == '0' && (at(pos_ + 1) == 'x' || at(pos_ + 1) == 'X')) {
    pos_ += 2;
    size_t digits = pos_;
    while (HexDigit(at(pos_)) >= 0) ++pos_;
    token.text = std::string(source_.substr(digits, pos_ - digits));
    token.hex = true;
    token.kind = TokenKind::kInt;
    if (token.text.empty()) {
      token.kind = TokenKind::kError;
      token.text = "malformed hex literal";
      return token;
    }
    if (at(pos_) == 'u' || at(pos_) == 'U') {
      ++pos_;
      token.kind = TokenKind::kUint;
    }
    return token;
  }
  bool is_double = false;
  while (absl::ascii_isdigit(at(pos_))) ++pos_;
  if (at(pos_) == '.' && absl::ascii_isdigit(at(pos_ + 1))) {
    is_double = true;
    ++pos_;
    while (absl::ascii_isdigit(at(pos_))) ++pos_;
  }
  if (at(pos_) == 'e' || at(pos_) == 'E') {
    size_t exp = pos_ + 1;
    if (at(exp) == '+' || at(exp) == '-') ++exp;
    if (absl::ascii_isdigit(at(exp))) {
      is_double = true;
      pos_ = exp;
      while (absl::ascii_isdigit(at(pos_))) ++pos_;
    }
  }
  token.text = std::string(source_.substr(start, pos_ - start));
  if (is_double) {
    token.kind = TokenKind::kDouble;
  } else if (at(pos_) == 'u' || at(pos_) == 'U') {
    ++pos_;
    token.kind = TokenKind::kUint;
  } else {
    token.kind = TokenKind::kInt;
  }
  return token;
}

Token Lexer::LexString(size_t prefix_length, bool raw, bool bytes) {
  Token token;
  token.offset = static_cast<uint32_t>(pos_);
  pos_ += prefix_length;
  char quote = source_[pos_];
  bool triple = source_.substr(pos_, 3) == std::string(3, quote);
  size_t quote_length = triple ? 3 : 1;
  pos_ += quote_length;
  std::string out;
  auto fail = [&](std::string message) {
    token.kind = TokenKind::kError;
    token.text = std::move(message);
    return token;
  };
  while (true) {
    if (pos_ >= source_.size()) return fail("unterminated string literal");
    char c = source_[pos_];
    if (c == quote && (!triple || source_.substr(pos_, 3) == std::string(3, quote))) {
      pos_ += quote_length;
      break;
    }
    if (!triple && (c == '\n' || c == '\r')) return fail("newline in string literal");
    if (c != '\\' || raw) {
      if (raw && c == '\\' && pos_ + 1 < source_.size() && source_[pos_ + 1] == quote) {
        out.push_back('\\');
        out.push_back(quote);
        pos_ += 2;
        continue;
      }
      out.push_back(c);
      ++pos_;
      continue;
    }
    // Escape sequence.
    if (pos_ + 1 >= source_.size()) return fail("unterminated escape sequence");
    char e = source_[pos_ + 1];
    pos_ += 2;
    switch (e) {
      case 'a':
        out.push_back('\a');
        break;
      case 'b':
        out.push_back('\b');
        break;
      case 'f':
        out.push_back('\f');
        break;
      case 'n':
        out.push_back('\n');
        break;
      case 'r':
        out.push_back('\r');
        break;
      case 't':
        out.push_back('\t');
        break;
      case 'v':
        out.push_back('\v');
        break;
      case '\\':
        out.push_back('\\');
        break;
      case '\'':
        out.push_back('\'');
        break;
      case '"':
        out.push_back('"');
        break;
      case '`':
        out.push_back('`');
        break;
      case '?':
        out.push_back('?');
        break;
      case 'x':
      case 'X':
      case 'u':
      case 'U': {
        size_t n = (e == 'x' || e == 'X') ? 2 : (e == 'u' ? 4 : 8);
        if (bytes && (e == 'u' || e == 'U')) return fail("unicode escape in bytes literal");
        uint32_t value = 0;
        for (size_t i = 0; i < n; ++i) {
          int d = pos_ < source_.size() ? HexDigit(source_[pos_]) : -1;
          if (d < 0) return fail("malformed escape sequence");
          value = value * 16 + static_cast<uint32_t>(d);
          ++pos_;
        }
        if (bytes) {
          out.push_back(static_cast<char>(value));
        } else {
          if (value > 0x10FFFF || (value >= 0xD800 && value < 0xE000)) {
            return fail("invalid unicode code point in escape sequence");
          }
          core::AppendUtf8(value, out);
        }
        break;
      }
      default:
        if (e >= '0' && e <= '3') {
          uint32_t value = static_cast<uint32_t>(e - '0');
          for (int i = 0; i < 2; ++i) {
            char d = pos_ < source_.size() ? source_[pos_] : '\0';
            if (d < '0' || d > '7') return fail("malformed octal escape sequence");
            value = value * 8 + static_cast<uint32_t>(d - '0');
            ++pos_;
          }
          if (bytes) {
            out.push_back(static_cast<char>(value));
          } else {
            core::AppendUtf8(value, out);
          }
          break;
        }
        return fail(absl::StrCat("invalid escape sequence '\\", std::string(1, e), "'"));
    }
  }
  token.kind = bytes ? TokenKind::kBytes : TokenKind::kString;
  token.text = std::move(out);
  return token;
}

}  // namespace bulwark::cel
