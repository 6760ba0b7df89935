#include "bulwark/policy/cel/parser.h"

#include <cerrno>
#include <cstdlib>
#include <limits>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/policy/cel/lexer.h"
#include "bulwark/policy/cel/macros.h"

namespace bulwark::cel {
namespace {

// Thrown-free error propagation: the parser stops at the first error and records it here.
class Parser {
 public:
  Parser(absl::string_view source, const ParseOptions& options)
      : source_(source), options_(options) {}

  absl::StatusOr<ParsedExpr> Run() {
    Lexer lexer(source_);
    for (;;) {
      Token t = lexer.Next();
      bool end = t.kind == TokenKind::kEnd;
      tokens_.push_back(std::move(t));
      if (end || tokens_.back().kind == TokenKind::kError) break;
    }
    if (tokens_.back().kind == TokenKind::kError) {
      return Error(tokens_.back().offset, absl::StrCat("Syntax error: ", tokens_.back().text));
    }
    std::unique_ptr<Expr> root = ParseExpr();
    if (error_.empty() && Peek().kind != TokenKind::kEnd) {
      Fail(Peek().offset, absl::StrCat("Syntax error: mismatched input '", TokenText(Peek()),
                                       "' expecting <EOF>"));
    }
    if (!error_.empty()) {
      if (resource_exhausted_) return absl::ResourceExhaustedError(error_);
      return absl::InvalidArgumentError(error_);
    }
    ParsedExpr parsed;
    parsed.root = std::move(root);
    parsed.source = std::string(source_);
    parsed.next_id = next_id_;
    return parsed;
  }

 private:
  absl::Status Error(uint32_t offset, absl::string_view message) {
    return absl::InvalidArgumentError(
        FormatSourceError(source_, options_.description, offset, message));
  }

  void Fail(uint32_t offset, absl::string_view message) {
    if (error_.empty()) error_ = FormatSourceError(source_, options_.description, offset, message);
  }

  bool failed() const { return !error_.empty(); }

  const Token& Peek(size_t ahead = 0) const {
    size_t i = std::min(pos_ + ahead, tokens_.size() - 1);
    return tokens_[i];
  }
  Token Take() {
    Token t = tokens_[pos_];
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  bool Accept(TokenKind kind) {
    if (Peek().kind != kind) return false;
    Take();
    return true;
  }
  bool Expect(TokenKind kind, absl::string_view what) {
    if (Accept(kind)) return true;
    Fail(Peek().offset, absl::StrCat("Syntax error: mismatched input '", TokenText(Peek()),
                                     "' expecting ", what));
    return false;
  }
  std::string TokenText(const Token& t) const {
    if (t.kind == TokenKind::kEnd) return "<EOF>";
    size_t end = t.offset;
    if (pos_ + 1 < tokens_.size()) end = tokens_[std::min(pos_ + 1, tokens_.size() - 1)].offset;
    if (end <= t.offset) end = std::min(source_.size(), static_cast<size_t>(t.offset) + 1);
    std::string text(source_.substr(t.offset, end - t.offset));
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n')) text.pop_back();
    return text;
  }

  std::unique_ptr<Expr> NewExpr(Expr::Kind kind, uint32_t offset) {
    auto e = std::make_unique<Expr>();
    e->id = ++next_id_;
    e->kind = kind;
    e->offset = offset;
    return e;
  }
  std::unique_ptr<Expr> NewCall(uint32_t offset, std::string function,
                                std::vector<std::unique_ptr<Expr>> args) {
    auto e = NewExpr(Expr::Kind::kCall, offset);
    e->name = std::move(function);
    e->args = std::move(args);
    return e;
  }
  std::unique_ptr<Expr> NewBinary(uint32_t offset, std::string function, std::unique_ptr<Expr> l,
                                  std::unique_ptr<Expr> r) {
    std::vector<std::unique_ptr<Expr>> args;
    args.push_back(std::move(l));
    args.push_back(std::move(r));
    return NewCall(offset, std::move(function), std::move(args));
  }

  // Guards recursion; returns false (and records an error) when too deep.
  class DepthGuard {
   public:
    DepthGuard(Parser* p, uint32_t offset) : p_(p) {
      if (++p_->depth_ > p_->options_.max_recursion_depth) {
        p_->resource_exhausted_ = true;
        p_->Fail(offset, absl::StrCat("expression recursion limit exceeded: ",
                                      p_->options_.max_recursion_depth));
      }
    }
    ~DepthGuard() { --p_->depth_; }

   private:
    Parser* p_;
  };

  bool ChainTooLong(size_t length, uint32_t offset) {
    if (depth_ + length <= options_.max_recursion_depth) return false;
    resource_exhausted_ = true;
    Fail(offset, absl::StrCat("expression recursion limit exceeded: ",
                              options_.max_recursion_depth));
    return true;
  }

  std::unique_ptr<Expr> ParseExpr() {
    DepthGuard guard(this, Peek().offset);
    if (failed()) return nullptr;
    std::unique_ptr<Expr> cond = ParseOr();
    if (failed()) return nullptr;
    if (Peek().kind != TokenKind::kQuestion) return cond;
    uint32_t offset = Take().offset;
    std::unique_ptr<Expr> yes = ParseOr();
    if (failed() || !Expect(TokenKind::kColon, "':'")) return nullptr;
    std::unique_ptr<Expr> no = ParseExpr();
    if (failed()) return nullptr;
    std::vector<std::unique_ptr<Expr>> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(yes));
    args.push_back(std::move(no));
    return NewCall(offset, "_?_:_", std::move(args));
  }

  std::unique_ptr<Expr> ParseOr() {
    std::unique_ptr<Expr> left = ParseAnd();
    for (size_t n = 1; !failed() && Peek().kind == TokenKind::kOr; ++n) {
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      std::unique_ptr<Expr> right = ParseAnd();
      left = NewBinary(offset, "_||_", std::move(left), std::move(right));
    }
    return failed() ? nullptr : std::move(left);
  }

  std::unique_ptr<Expr> ParseAnd() {
    std::unique_ptr<Expr> left = ParseRelation();
    for (size_t n = 1; !failed() && Peek().kind == TokenKind::kAnd; ++n) {
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      std::unique_ptr<Expr> right = ParseRelation();
      left = NewBinary(offset, "_&&_", std::move(left), std::move(right));
    }
    return failed() ? nullptr : std::move(left);
  }

  static const char* RelationFunction(TokenKind kind) {
    switch (kind) {
      case TokenKind::kLess:
        return "_<_";
      case TokenKind::kLessEq:
        return "_<=_";
      case TokenKind::kGreater:
        return "_>_";
      case TokenKind::kGreaterEq:
        return "_>=_";
      case TokenKind::kEq:
        return "_==_";
      case TokenKind::kNotEq:
        return "_!=_";
      case TokenKind::kIn:
        return "@in";
      default:
        return nullptr;
    }
  }

  std::unique_ptr<Expr> ParseRelation() {
    std::unique_ptr<Expr> left = ParseAddition();
    for (size_t n = 1; !failed(); ++n) {
      const char* function = RelationFunction(Peek().kind);
      if (function == nullptr) break;
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      std::unique_ptr<Expr> right = ParseAddition();
      left = NewBinary(offset, function, std::move(left), std::move(right));
    }
    return failed() ? nullptr : std::move(left);
  }

  std::unique_ptr<Expr> ParseAddition() {
    std::unique_ptr<Expr> left = ParseMultiplication();
    for (size_t n = 1; !failed(); ++n) {
      TokenKind kind = Peek().kind;
      if (kind != TokenKind::kPlus && kind != TokenKind::kMinus) break;
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      std::unique_ptr<Expr> right = ParseMultiplication();
      left = NewBinary(offset, kind == TokenKind::kPlus ? "_+_" : "_-_", std::move(left),
                       std::move(right));
    }
    return failed() ? nullptr : std::move(left);
  }

  std::unique_ptr<Expr> ParseMultiplication() {
    std::unique_ptr<Expr> left = ParseUnary();
    for (size_t n = 1; !failed(); ++n) {
      TokenKind kind = Peek().kind;
      const char* function = kind == TokenKind::kStar      ? "_*_"
                             : kind == TokenKind::kSlash   ? "_/_"
                             : kind == TokenKind::kPercent ? "_%_"
                                                           : nullptr;
      if (function == nullptr) break;
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      std::unique_ptr<Expr> right = ParseUnary();
      left = NewBinary(offset, function, std::move(left), std::move(right));
    }
    return failed() ? nullptr : std::move(left);
  }

  std::unique_ptr<Expr> ParseUnary() {
    TokenKind kind = Peek().kind;
    if (kind != TokenKind::kNot && kind != TokenKind::kMinus) return ParseMember();
    std::vector<uint32_t> offsets;
    while (Peek().kind == kind) offsets.push_back(Take().offset);
    if (ChainTooLong(offsets.size(), offsets.back())) return nullptr;
    std::unique_ptr<Expr> operand;
    TokenKind next = Peek().kind;
    if (kind == TokenKind::kMinus && (next == TokenKind::kInt || next == TokenKind::kDouble)) {
      // A minus sign directly before a number is part of the literal (so that
      // -9223372036854775808 is representable).
      operand = ParseMember(/*negate_literal=*/true);
      offsets.pop_back();
    } else {
      operand = ParseMember();
    }
    if (failed()) return nullptr;
    for (auto it = offsets.rbegin(); it != offsets.rend(); ++it) {
      std::vector<std::unique_ptr<Expr>> args;
      args.push_back(std::move(operand));
      operand = NewCall(*it, kind == TokenKind::kNot ? "!_" : "-_", std::move(args));
    }
    return operand;
  }

  // Parses call arguments after '(' up to and including ')'.
  bool ParseArgs(std::vector<std::unique_ptr<Expr>>& args) {
    if (Accept(TokenKind::kRParen)) return true;
    for (;;) {
      args.push_back(ParseExpr());
      if (failed()) return false;
      if (Accept(TokenKind::kRParen)) return true;
      if (!Expect(TokenKind::kComma, "{')', ','}")) return false;
    }
  }

  // A field or function name after '.': identifiers, reserved words and backtick names.
  bool ParseSelector(std::string& name, bool allow_backtick) {
    const Token& t = Peek();
    if (t.kind == TokenKind::kIdent || t.kind == TokenKind::kReserved) {
      name = Take().text;
      return true;
    }
    if (allow_backtick && t.kind == TokenKind::kBacktickIdent) {
      name = Take().text;
      return true;
    }
    Fail(t.offset, absl::StrCat("Syntax error: no viable alternative at input '.",
                                TokenText(t), "'"));
    return false;
  }

  std::unique_ptr<Expr> ParseMember(bool negate_literal = false) {
    std::unique_ptr<Expr> operand = ParsePrimary(negate_literal);
    for (size_t n = 1; !failed(); ++n) {
      TokenKind kind = Peek().kind;
      if (kind != TokenKind::kDot && kind != TokenKind::kLBracket) break;
      uint32_t offset = Take().offset;
      if (ChainTooLong(n, offset)) return nullptr;
      if (kind == TokenKind::kDot) {
        bool optional = Accept(TokenKind::kQuestion);
        std::string name;
        bool backtick = Peek().kind == TokenKind::kBacktickIdent;
        if (!ParseSelector(name, /*allow_backtick=*/true)) return nullptr;
        if (!optional && !backtick && Peek().kind == TokenKind::kLParen) {
          Take();
          std::vector<std::unique_ptr<Expr>> args;
          if (!ParseArgs(args)) return nullptr;
          operand = MakeCallOrMacro(offset, name, std::move(operand), std::move(args));
        } else if (optional) {
          auto field = NewExpr(Expr::Kind::kConstant, offset);
          field->constant = Value::String(name);
          operand = NewBinary(offset, "_?._", std::move(operand), std::move(field));
        } else {
          auto select = NewExpr(Expr::Kind::kSelect, offset);
          select->target = std::move(operand);
          select->name = std::move(name);
          operand = std::move(select);
        }
      } else {
        bool optional = Accept(TokenKind::kQuestion);
        std::unique_ptr<Expr> index = ParseExpr();
        if (failed() || !Expect(TokenKind::kRBracket, "']'")) return nullptr;
        operand = NewBinary(offset, optional ? "_[?_]" : "_[_]", std::move(operand),
                            std::move(index));
      }
    }
    return failed() ? nullptr : std::move(operand);
  }

  std::unique_ptr<Expr> MakeCallOrMacro(uint32_t offset, std::string function,
                                        std::unique_ptr<Expr> target,
                                        std::vector<std::unique_ptr<Expr>> args) {
    if (options_.enable_macros) {
      MacroExpander expander{[this] { return ++next_id_; }};
      absl::StatusOr<std::unique_ptr<Expr>> expanded =
          expander.Expand(offset, function, target, args);
      if (!expanded.ok()) {
        Fail(offset, expanded.status().message());
        return nullptr;
      }
      if (*expanded != nullptr) return *std::move(expanded);
    }
    auto call = NewCall(offset, std::move(function), std::move(args));
    call->target = std::move(target);
    return call;
  }

  std::unique_ptr<Expr> ParseNumber(const Token& t, bool negate) {
    auto e = NewExpr(Expr::Kind::kConstant, t.offset);
    std::string text = t.text;
    if (t.kind == TokenKind::kDouble) {
      errno = 0;
      double d = std::strtod(text.c_str(), nullptr);
      e->constant = Value::Double(negate ? -d : d);
      return e;
    }
    int base = t.hex ? 16 : 10;
    if (t.kind == TokenKind::kUint) {
      errno = 0;
      unsigned long long u = std::strtoull(text.c_str(), nullptr, base);
      if (errno == ERANGE || negate) {
        Fail(t.offset, absl::StrCat("invalid uint literal"));
        return nullptr;
      }
      e->constant = Value::Uint(u);
      return e;
    }
    if (negate) text = "-" + text;
    errno = 0;
    long long i = std::strtoll(text.c_str(), nullptr, base);
    if (errno == ERANGE) {
      Fail(t.offset, "invalid int literal");
      return nullptr;
    }
    e->constant = Value::Int(i);
    return e;
  }

  std::unique_ptr<Expr> ParsePrimary(bool negate_literal) {
    DepthGuard guard(this, Peek().offset);
    if (failed()) return nullptr;
    const Token& t = Peek();
    switch (t.kind) {
      case TokenKind::kInt:
      case TokenKind::kUint:
      case TokenKind::kDouble:
        return ParseNumber(Take(), negate_literal);
      case TokenKind::kString:
      case TokenKind::kBytes: {
        Token tok = Take();
        auto e = NewExpr(Expr::Kind::kConstant, tok.offset);
        e->constant = tok.kind == TokenKind::kString ? Value::String(std::move(tok.text))
                                                     : Value::Bytes(std::move(tok.text));
        return e;
      }
      case TokenKind::kTrue:
      case TokenKind::kFalse: {
        Token tok = Take();
        auto e = NewExpr(Expr::Kind::kConstant, tok.offset);
        e->constant = Value::Bool(tok.kind == TokenKind::kTrue);
        return e;
      }
      case TokenKind::kNull: {
        auto e = NewExpr(Expr::Kind::kConstant, Take().offset);
        e->constant = Value::Null();
        return e;
      }
      case TokenKind::kLParen: {
        Take();
        std::unique_ptr<Expr> inner = ParseExpr();
        if (failed() || !Expect(TokenKind::kRParen, "')'")) return nullptr;
        return inner;
      }
      case TokenKind::kLBracket:
        return ParseList();
      case TokenKind::kLBrace:
        return ParseMap();
      case TokenKind::kDot:
      case TokenKind::kIdent:
        return ParseIdentOrStruct();
      default:
        Fail(t.offset, absl::StrCat("Syntax error: mismatched input '", TokenText(t),
                                    "' expecting expression"));
        return nullptr;
    }
  }

  std::unique_ptr<Expr> ParseList() {
    uint32_t offset = Take().offset;
    auto list = NewExpr(Expr::Kind::kList, offset);
    while (!failed() && Peek().kind != TokenKind::kRBracket) {
      if (Accept(TokenKind::kQuestion)) list->optional_indices.push_back(list->args.size());
      list->args.push_back(ParseExpr());
      if (failed()) return nullptr;
      if (!Accept(TokenKind::kComma)) break;
    }
    if (failed() || !Expect(TokenKind::kRBracket, "']'")) return nullptr;
    return list;
  }

  std::unique_ptr<Expr> ParseMap() {
    uint32_t offset = Take().offset;
    auto map = NewExpr(Expr::Kind::kMap, offset);
    while (!failed() && Peek().kind != TokenKind::kRBrace) {
      Expr::Entry entry;
      entry.optional = Accept(TokenKind::kQuestion);
      entry.offset = Peek().offset;
      entry.key = ParseExpr();
      if (failed()) return nullptr;
      entry.offset = Peek().offset;
      if (!Expect(TokenKind::kColon, "':'")) return nullptr;
      entry.id = ++next_id_;
      entry.value = ParseExpr();
      if (failed()) return nullptr;
      map->entries.push_back(std::move(entry));
      if (!Accept(TokenKind::kComma)) break;
    }
    if (failed() || !Expect(TokenKind::kRBrace, "'}'")) return nullptr;
    return map;
  }

  std::unique_ptr<Expr> ParseIdentOrStruct() {
    uint32_t offset = Peek().offset;
    std::string name;
    if (Accept(TokenKind::kDot)) name = ".";
    if (Peek().kind != TokenKind::kIdent) {
      Fail(Peek().offset, absl::StrCat("Syntax error: mismatched input '", TokenText(Peek()),
                                       "' expecting IDENTIFIER"));
      return nullptr;
    }
    name += Take().text;
    if (Peek().kind == TokenKind::kLParen) {
      Take();
      std::vector<std::unique_ptr<Expr>> args;
      if (!ParseArgs(args)) return nullptr;
      return MakeCallOrMacro(offset, name, nullptr, std::move(args));
    }
    // A qualified message name followed by '{' is a struct literal: `a.b.C{f: 1}`.
    size_t lookahead = 0;
    while (Peek(lookahead).kind == TokenKind::kDot && Peek(lookahead + 1).kind == TokenKind::kIdent) {
      lookahead += 2;
    }
    if (Peek(lookahead).kind == TokenKind::kLBrace) {
      while (Peek().kind == TokenKind::kDot) {
        Take();
        name += "." + Take().text;
      }
      return ParseStruct(offset, std::move(name));
    }
    auto ident = NewExpr(Expr::Kind::kIdent, offset);
    ident->name = std::move(name);
    return ident;
  }

  std::unique_ptr<Expr> ParseStruct(uint32_t offset, std::string name) {
    auto message = NewExpr(Expr::Kind::kStruct, Take().offset);
    message->offset = offset;
    message->name = std::move(name);
    while (!failed() && Peek().kind != TokenKind::kRBrace) {
      Expr::Entry entry;
      entry.optional = Accept(TokenKind::kQuestion);
      entry.offset = Peek().offset;
      if (!ParseSelector(entry.field, /*allow_backtick=*/true)) return nullptr;
      entry.offset = Peek().offset;
      if (!Expect(TokenKind::kColon, "':'")) return nullptr;
      entry.id = ++next_id_;
      entry.value = ParseExpr();
      if (failed()) return nullptr;
      message->entries.push_back(std::move(entry));
      if (!Accept(TokenKind::kComma)) break;
    }
    if (failed() || !Expect(TokenKind::kRBrace, "'}'")) return nullptr;
    return message;
  }

  absl::string_view source_;
  const ParseOptions& options_;
  std::vector<Token> tokens_;
  size_t pos_ = 0;
  uint32_t depth_ = 0;
  int64_t next_id_ = 0;
  std::string error_;
  bool resource_exhausted_ = false;
};

// Column in code points from the start of the line containing `offset`.
struct LineColumn {
  uint32_t line = 1;
  uint32_t column = 1;
  size_t line_start = 0;
};

LineColumn Locate(absl::string_view source, uint32_t offset) {
  LineColumn lc;
  size_t end = std::min<size_t>(offset, source.size());
  for (size_t i = 0; i < end; ++i) {
    if (source[i] == '\n') {
      ++lc.line;
      lc.column = 1;
      lc.line_start = i + 1;
    } else if ((static_cast<unsigned char>(source[i]) & 0xC0) != 0x80) {
      ++lc.column;
    }
  }
  return lc;
}

}  // namespace

std::string OffsetToLineColumn(absl::string_view source, uint32_t offset) {
  LineColumn lc = Locate(source, offset);
  return absl::StrCat(lc.line, ":", lc.column);
}

std::string FormatSourceError(absl::string_view source, absl::string_view description,
                              uint32_t offset, absl::string_view message) {
  LineColumn lc = Locate(source, offset);
  size_t line_end = source.find('\n', lc.line_start);
  if (line_end == absl::string_view::npos) line_end = source.size();
  absl::string_view line = source.substr(lc.line_start, line_end - lc.line_start);
  return absl::StrCat("ERROR: ", description, ":", lc.line, ":", lc.column, ": ", message,
                      "\n | ", line, "\n | ", std::string(lc.column - 1, '.'), "^");
}

absl::StatusOr<ParsedExpr> Parse(absl::string_view source, const ParseOptions& options) {
  if (source.size() > options.max_source_bytes) {
    return absl::ResourceExhaustedError(absl::StrCat("expression of ", source.size(),
                                                     " bytes exceeds the limit of ",
                                                     options.max_source_bytes, " bytes"));
  }
  return Parser(source, options).Run();
}

}  // namespace bulwark::cel
