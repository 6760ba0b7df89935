// Splits CEL source text into tokens (cel-spec langdef "Syntax": identifiers, reserved words,
// numeric/string/bytes literals with every quote form, operators).
//   Lexer lexer(source);
//   for (Token t = lexer.Next(); t.kind != TokenKind::kEnd; t = lexer.Next()) ...
// Literal values are decoded here (escapes, raw strings); malformed literals become kError tokens
// carrying a message. Thread safety: a Lexer is single-threaded state over a borrowed source.
#ifndef BULWARK_POLICY_CEL_LEXER_H_
#define BULWARK_POLICY_CEL_LEXER_H_

#include <cstdint>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::cel {

enum class TokenKind : uint8_t {
  kEnd,
  kError,
  kIdent,
  kReserved,  // a reserved word that cannot be an identifier (as, break, ...)
  kInt,       // text holds the digits (decimal or 0x hex)
  kUint,
  kDouble,
  kString,  // text holds the decoded value
  kBytes,
  kTrue,
  kFalse,
  kNull,
  kIn,
  // Punctuation and operators.
  kDot,
  kComma,
  kColon,
  kQuestion,
  kLParen,
  kRParen,
  kLBracket,
  kRBracket,
  kLBrace,
  kRBrace,
  kPlus,
  kMinus,
  kStar,
  kSlash,
  kPercent,
  kNot,
  kLess,
  kLessEq,
  kGreater,
  kGreaterEq,
  kEq,
  kNotEq,
  kAnd,
  kOr,
  kBacktickIdent,  // `a.b-c` quoted field name, text holds the name
};

struct Token {
  TokenKind kind = TokenKind::kEnd;
  uint32_t offset = 0;  // byte offset of the first character
  std::string text;     // identifier, literal digits, decoded string, or error message
  bool hex = false;     // integer literal written in hex
};

class Lexer {
 public:
  // `source` is borrowed for the Lexer's lifetime.
  explicit Lexer(absl::string_view source) : source_(source) {}

  // The next token; kEnd at the end, kError (message in text) for malformed input.
  Token Next();

 private:
  Token LexNumber();
  Token LexString(size_t prefix_length, bool raw, bool bytes);
  void SkipSpaceAndComments();

  absl::string_view source_;
  size_t pos_ = 0;
};

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_LEXER_H_
