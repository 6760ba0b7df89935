#include "bulwark/runtime/internal/condition_parser.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::runtime::internal {
namespace {

constexpr absl::string_view kWordOperators[] = {
    "contains", "icontains", "bcontains", "startswith", "bstartswith", "endswith", "glob",
    "iglob",    "pmatch",    "in",        "intersects", "exists",      "regex"};
constexpr absl::string_view kSymbolOperators[] = {"==", "!=", "<=", ">=", "=", "<", ">"};
constexpr absl::string_view kTransformers[] = {"tolower",  "toupper", "b64",
                                               "basename", "len",     "val"};

bool IsIdentifierStart(char c) { return absl::ascii_isalpha(c) || c == '_'; }
bool IsIdentifierChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '.' || c == '-'; }

bool IsTransformer(absl::string_view name) {
  for (absl::string_view t : kTransformers) {
    if (t == name) return true;
  }
  return false;
}

class Parser {
 public:
  explicit Parser(absl::string_view text) : text_(text) {}

  absl::StatusOr<std::unique_ptr<Expr>> ParseAll() {
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> expr, ParseOr(0));
    SkipSpace();
    if (pos_ < text_.size()) {
      return Error(
          absl::StrCat("unexpected token after '", last_token_, "', expecting 'or', 'and'"));
    }
    return expr;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    absl::Status status = absl::InvalidArgumentError(what);
    status.SetPayload(kConditionOffsetPayload, absl::Cord(absl::StrCat(pos_)));
    return status;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && absl::ascii_isspace(text_[pos_])) ++pos_;
  }

  // True when the next word (after spaces) is `word` as a whole word; consumes it.
  bool ConsumeKeyword(absl::string_view word) {
    SkipSpace();
    if (text_.substr(pos_, word.size()) != word) return false;
    size_t end = pos_ + word.size();
    if (end < text_.size() && (IsIdentifierChar(text_[end]) || text_[end] == '[')) return false;
    pos_ = end;
    last_token_ = std::string(word);
    return true;
  }

  absl::StatusOr<std::unique_ptr<Expr>> ParseOr(int depth) {
    if (depth > kMaxConditionDepth) return Error("condition nested too deeply");
    size_t start = pos_;
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> first, ParseAnd(depth));
    if (!ConsumeKeyword("or")) return first;
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::kOr;
    node->offset = start;
    node->children.push_back(std::move(first));
    do {
      BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> next, ParseAnd(depth));
      node->children.push_back(std::move(next));
    } while (ConsumeKeyword("or"));
    return node;
  }

  absl::StatusOr<std::unique_ptr<Expr>> ParseAnd(int depth) {
    size_t start = pos_;
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> first, ParseNot(depth));
    if (!ConsumeKeyword("and")) return first;
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::kAnd;
    node->offset = start;
    node->children.push_back(std::move(first));
    do {
      BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> next, ParseNot(depth));
      node->children.push_back(std::move(next));
    } while (ConsumeKeyword("and"));
    return node;
  }

  absl::StatusOr<std::unique_ptr<Expr>> ParseNot(int depth) {
    if (depth > kMaxConditionDepth) return Error("condition nested too deeply");
    size_t start = pos_;
    if (ConsumeKeyword("not")) {
      BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> child, ParseNot(depth + 1));
      auto node = std::make_unique<Expr>();
      node->kind = Expr::Kind::kNot;
      node->offset = start;
      node->children.push_back(std::move(child));
      return node;
    }
    return ParseCheck(depth);
  }

  absl::StatusOr<std::unique_ptr<Expr>> ParseCheck(int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end of condition");
    if (text_[pos_] == '(') {
      ++pos_;
      last_token_ = "(";
      BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Expr> inner, ParseOr(depth + 1));
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') return Error("expected ')'");
      ++pos_;
      last_token_ = ")";
      return inner;
    }
    size_t start = pos_;
    if (!IsIdentifierStart(text_[pos_])) {
      return Error(absl::StrCat("unexpected character '", text_.substr(pos_, 1),
                                "', expecting a field, a macro, 'not' or '('"));
    }
    FieldExpr field;
    bool plain_identifier = false;
    BULWARK_RETURN_IF_ERROR(ParseFieldExpr(field, plain_identifier, depth));
    std::string op = ParseOperator();
    if (op.empty()) {
      if (!plain_identifier)
        return Error(absl::StrCat("expected an operator after '", field.ToString(), "'"));
      if (field.name == "and" || field.name == "or") {
        pos_ = start;
        return Error(absl::StrCat("unexpected '", field.name, "'"));
      }
      auto node = std::make_unique<Expr>();
      node->kind = Expr::Kind::kIdentifier;
      node->offset = start;
      node->name = field.name;
      return node;
    }
    auto node = std::make_unique<Expr>();
    node->kind = Expr::Kind::kCompare;
    node->offset = start;
    node->field = std::move(field);
    node->op = op;
    if (op == "exists") return node;
    BULWARK_RETURN_IF_ERROR(ParseOperand(node->operand, IsListOperator(op), depth));
    return node;
  }

  // A field name with optional [arg], or transformer(field).
  absl::Status ParseFieldExpr(FieldExpr& field, bool& plain_identifier, int depth) {
    if (depth > kMaxConditionDepth) return Error("condition nested too deeply");
    size_t start = pos_;
    while (pos_ < text_.size() && IsIdentifierChar(text_[pos_])) ++pos_;
    std::string name(text_.substr(start, pos_ - start));
    last_token_ = name;
    if (pos_ < text_.size() && text_[pos_] == '(' && IsTransformer(name)) {
      ++pos_;
      SkipSpace();
      if (pos_ >= text_.size() || !IsIdentifierStart(text_[pos_])) {
        return Error(absl::StrCat("expected a field inside ", name, "()"));
      }
      bool inner_plain = false;
      BULWARK_RETURN_IF_ERROR(ParseFieldExpr(field, inner_plain, depth + 1));
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') return Error("expected ')'");
      ++pos_;
      field.transformers.insert(field.transformers.begin(), name);
      plain_identifier = false;
      return absl::OkStatus();
    }
    field.name = std::move(name);
    plain_identifier = true;
    if (pos_ < text_.size() && text_[pos_] == '[') {
      size_t close = text_.find(']', pos_);
      if (close == absl::string_view::npos) return Error("missing ']' after field argument");
      field.arg = std::string(text_.substr(pos_ + 1, close - pos_ - 1));
      field.has_arg = true;
      pos_ = close + 1;
      plain_identifier = false;
    }
    return absl::OkStatus();
  }

  std::string ParseOperator() {
    SkipSpace();
    for (absl::string_view op : kSymbolOperators) {
      if (text_.substr(pos_, op.size()) == op) {
        pos_ += op.size();
        last_token_ = std::string(op);
        return std::string(op);
      }
    }
    for (absl::string_view op : kWordOperators) {
      size_t saved = pos_;
      if (ConsumeKeyword(op)) return std::string(op);
      pos_ = saved;
    }
    return "";
  }

  absl::StatusOr<ValueItem> ParseQuoted() {
    char quote = text_[pos_++];
    ValueItem item;
    item.quoted = true;
    while (pos_ < text_.size() && text_[pos_] != quote) {
      char c = text_[pos_++];
      if (c == '\\' && pos_ < text_.size()) {
        char next = text_[pos_++];
        switch (next) {
          case 'n':
            item.text += '\n';
            break;
          case 't':
            item.text += '\t';
            break;
          case 'r':
            item.text += '\r';
            break;
          case 'b':
            item.text += '\b';
            break;
          case 'f':
            item.text += '\f';
            break;
          case '\\':
          case '"':
          case '\'':
            item.text += next;
            break;
          default:
            item.text += c;
            item.text += next;
            break;
        }
        continue;
      }
      item.text += c;
    }
    if (pos_ >= text_.size()) return Error("unterminated quoted string");
    ++pos_;
    last_token_ = item.text;
    return item;
  }

  absl::StatusOr<ValueItem> ParseBareValue(bool in_list) {
    size_t start = pos_;
    while (pos_ < text_.size() && !absl::ascii_isspace(text_[pos_]) && text_[pos_] != ')' &&
           text_[pos_] != '(' && (!in_list || text_[pos_] != ',')) {
      ++pos_;
    }
    if (pos_ == start) return Error("expected a value");
    ValueItem item{.text = std::string(text_.substr(start, pos_ - start))};
    last_token_ = item.text;
    return item;
  }

  absl::StatusOr<ValueItem> ParseItem(bool in_list) {
    SkipSpace();
    if (pos_ >= text_.size()) return Error("expected a value");
    if (text_[pos_] == '"' || text_[pos_] == '\'') return ParseQuoted();
    return ParseBareValue(in_list);
  }

  absl::Status ParseList(Operand& operand) {
    ++pos_;  // '('
    operand.kind = Operand::Kind::kList;
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == ')') {
      ++pos_;
      last_token_ = ")";
      return absl::OkStatus();
    }
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(ValueItem item, ParseItem(/*in_list=*/true));
      operand.items.push_back(std::move(item));
      SkipSpace();
      if (pos_ < text_.size() && text_[pos_] == ',') {
        ++pos_;
        continue;
      }
      if (pos_ < text_.size() && text_[pos_] == ')') {
        ++pos_;
        last_token_ = ")";
        return absl::OkStatus();
      }
      return Error("expected ',' or ')' in list");
    }
  }

  absl::Status ParseOperand(Operand& operand, bool list_operator, int depth) {
    SkipSpace();
    if (pos_ >= text_.size()) return Error("expected a value after the operator");
    if (text_[pos_] == '(') return ParseList(operand);
    // A transformer or val() on the right-hand side compares two fields.
    if (IsIdentifierStart(text_[pos_])) {
      size_t end = pos_;
      while (end < text_.size() && IsIdentifierChar(text_[end])) ++end;
      if (end < text_.size() && text_[end] == '(' &&
          IsTransformer(text_.substr(pos_, end - pos_))) {
        operand.kind = Operand::Kind::kField;
        bool plain = false;
        return ParseFieldExpr(operand.field, plain, depth + 1);
      }
    }
    BULWARK_ASSIGN_OR_RETURN(ValueItem item, ParseItem(/*in_list=*/false));
    // `in list_name` without parentheses names a list; a single value otherwise.
    operand.kind = list_operator ? Operand::Kind::kList : Operand::Kind::kValue;
    operand.items.push_back(std::move(item));
    return absl::OkStatus();
  }

  absl::string_view text_;
  size_t pos_ = 0;
  std::string last_token_;
};

}  // namespace

std::string FieldExpr::ToString() const {
  std::string result = name;
  if (has_arg) absl::StrAppend(&result, "[", arg, "]");
  for (auto it = transformers.rbegin(); it != transformers.rend(); ++it) {
    result = absl::StrCat(*it, "(", result, ")");
  }
  return result;
}

bool IsValueOperator(absl::string_view op) { return op != "exists" && !IsListOperator(op); }

bool IsListOperator(absl::string_view op) {
  return op == "in" || op == "intersects" || op == "pmatch";
}

absl::StatusOr<std::unique_ptr<Expr>> ParseCondition(absl::string_view text) {
  return Parser(text).ParseAll();
}

}  // namespace bulwark::runtime::internal
