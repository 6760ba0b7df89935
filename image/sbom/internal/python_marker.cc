#include "bulwark/image/sbom/internal/python_marker.h"

#include <array>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/image/sbom/purl.h"
#include "bulwark/image/versions/pep440_specifier.h"
#include "bulwark/image/versions/pep440_version.h"

namespace bulwark::sbom::internal {
namespace {

using Field = std::optional<std::string> PythonEnvironment::*;

struct VariableName {
  absl::string_view spelling;   // As written in a marker.
  absl::string_view canonical;  // The environment key it reads (packaging's Variable value).
  Field field;
};

// packaging's VARIABLE token ("." spellings are the legacy forms; python_implementation is an
// alias), longest spelling first where one is a prefix of another.
constexpr std::array<VariableName, 18> kVariables = {{
    {"python_version", "python_version", &PythonEnvironment::python_version},
    {"python_full_version", "python_full_version", &PythonEnvironment::python_full_version},
    {"os_name", "os_name", &PythonEnvironment::os_name},
    {"os.name", "os_name", &PythonEnvironment::os_name},
    {"sys_platform", "sys_platform", &PythonEnvironment::sys_platform},
    {"sys.platform", "sys_platform", &PythonEnvironment::sys_platform},
    {"platform_release", "platform_release", &PythonEnvironment::platform_release},
    {"platform_system", "platform_system", &PythonEnvironment::platform_system},
    {"platform_version", "platform_version", &PythonEnvironment::platform_version},
    {"platform.version", "platform_version", &PythonEnvironment::platform_version},
    {"platform_machine", "platform_machine", &PythonEnvironment::platform_machine},
    {"platform.machine", "platform_machine", &PythonEnvironment::platform_machine},
    {"platform_python_implementation", "platform_python_implementation",
     &PythonEnvironment::platform_python_implementation},
    {"platform.python_implementation", "platform_python_implementation",
     &PythonEnvironment::platform_python_implementation},
    {"python_implementation", "platform_python_implementation",
     &PythonEnvironment::platform_python_implementation},
    {"implementation_name", "implementation_name", &PythonEnvironment::implementation_name},
    {"implementation_version", "implementation_version",
     &PythonEnvironment::implementation_version},
    {"extra", "extra", &PythonEnvironment::extra},
}};

constexpr int kMaxDepth = 32;

// The outcome of a (sub)marker: packaging's True/False, a value nobody knows, or an exception
// packaging would raise (which ends the whole evaluation).
enum class Truth { kFalse, kTrue, kUnknown, kRaises };

Truth Of(bool value) { return value ? Truth::kTrue : Truth::kFalse; }

// Python's \w for the byte at hand: ASCII letters, digits, "_", and (approximately) any
// non-ASCII character.
bool IsWordByte(char c) {
  return absl::ascii_isalnum(static_cast<unsigned char>(c)) || c == '_' ||
         static_cast<unsigned char>(c) >= 0x80;
}

// One side of a comparison.
struct Operand {
  const VariableName* variable = nullptr;  // Set for a variable.
  std::string value;                       // The quoted string's text, for a literal.
};

// _eval_op: a specifier check when `op + rhs` is a valid PEP 440 specifier, else a string
// comparison.
Truth Compare(const std::string& lhs, absl::string_view op, const std::string& rhs) {
  if (op != "in" && op != "not in") {
    const std::string specifier = absl::StrCat(op, rhs);
    absl::StatusOr<versions::Pep440Version> version = versions::ParsePep440Version(lhs);
    if (version.ok()) {
      absl::StatusOr<bool> contains =
          versions::Pep440SpecifierContains(specifier, *version, /*prereleases=*/true);
      if (contains.ok()) return Of(*contains);
    } else {
      // A valid specifier with a left side that is not a version: packaging raises
      // InvalidVersion.
      absl::StatusOr<versions::Pep440Version> zero = versions::ParsePep440Version("0");
      if (versions::Pep440SpecifierContains(specifier, *zero, true).ok()) return Truth::kRaises;
    }
  }
  if (op == "in") return Of(absl::StrContains(rhs, lhs));
  if (op == "not in") return Of(!absl::StrContains(rhs, lhs));
  if (op == "<") return Of(lhs < rhs);
  if (op == "<=") return Of(lhs <= rhs);
  if (op == "==") return Of(lhs == rhs);
  if (op == "!=") return Of(lhs != rhs);
  if (op == ">=") return Of(lhs >= rhs);
  if (op == ">") return Of(lhs > rhs);
  return Truth::kRaises;  // ~= and === on strings: UndefinedComparison.
}

class Evaluator {
 public:
  Evaluator(absl::string_view text, const PythonEnvironment& environment)
      : text_(text), environment_(environment) {}

  absl::StatusOr<Truth> Run() {
    absl::StatusOr<Truth> truth = Marker(0);
    if (!truth.ok()) return truth.status();
    SkipSpace();
    if (pos_ != text_.size()) return Error("expected end of marker, 'and' or 'or'");
    return truth;
  }

 private:
  // marker = atom (("and" | "or") atom)*, where "and" binds tighter.
  absl::StatusOr<Truth> Marker(int depth) {
    std::vector<std::vector<Truth>> groups(1);
    while (true) {
      absl::StatusOr<Truth> atom = Atom(depth);
      if (!atom.ok()) return atom.status();
      groups.back().push_back(*atom);
      if (ConsumeWord("or")) {
        groups.emplace_back();
      } else if (!ConsumeWord("and")) {
        break;
      }
    }
    bool raises = false, any_true = false, any_unknown = false;
    for (const std::vector<Truth>& group : groups) {
      bool all_true = true, has_false = false, has_unknown = false;
      for (Truth item : group) {
        raises |= item == Truth::kRaises;
        has_false |= item == Truth::kFalse;
        has_unknown |= item == Truth::kUnknown;
        all_true &= item == Truth::kTrue;
      }
      any_true |= all_true;
      any_unknown |= !has_false && has_unknown;
    }
    if (raises) return Truth::kRaises;
    if (any_true) return Truth::kTrue;
    return any_unknown ? Truth::kUnknown : Truth::kFalse;
  }

  // atom = "(" marker ")" | item, with optional spaces around.
  absl::StatusOr<Truth> Atom(int depth) {
    SkipSpace();
    absl::StatusOr<Truth> truth;
    if (pos_ < text_.size() && text_[pos_] == '(') {
      if (depth >= kMaxDepth) return Error("parentheses nested too deeply");
      ++pos_;
      truth = Marker(depth + 1);
      if (!truth.ok()) return truth.status();
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != ')') return Error("expected ')'");
      ++pos_;
    } else {
      truth = Item();
    }
    SkipSpace();
    return truth;
  }

  // item = var op var.
  absl::StatusOr<Truth> Item() {
    absl::StatusOr<Operand> lhs = Var();
    if (!lhs.ok()) return lhs.status();
    SkipSpace();
    absl::StatusOr<absl::string_view> op = Op();
    if (!op.ok()) return op.status();
    SkipSpace();
    absl::StatusOr<Operand> rhs = Var();
    if (!rhs.ok()) return rhs.status();
    return Evaluate(*lhs, *op, *rhs);
  }

  // _evaluate_markers for one comparison: the variable side reads the environment; with a
  // variable on the left, the right side is taken as written (a variable there is its name).
  Truth Evaluate(const Operand& lhs, absl::string_view op, const Operand& rhs) const {
    absl::string_view key;
    std::optional<std::string> left, right;
    if (lhs.variable != nullptr) {
      key = lhs.variable->canonical;
      left = environment_.*(lhs.variable->field);
      right = rhs.variable != nullptr ? std::string(rhs.variable->canonical) : rhs.value;
    } else {
      // environment[rhs.value]: a literal on the right is looked up as a key too.
      const VariableName* variable = rhs.variable;
      if (variable == nullptr) {
        for (const VariableName& candidate : kVariables) {
          if (candidate.canonical == rhs.value) variable = &candidate;
        }
        if (variable == nullptr) return Truth::kRaises;  // KeyError.
      }
      key = variable->canonical;
      left = lhs.value;
      right = environment_.*(variable->field);
    }
    if (!left.has_value() || !right.has_value()) return Truth::kUnknown;
    if (key == "extra") return Compare(NormalizePythonName(*left), op, NormalizePythonName(*right));
    return Compare(*left, op, *right);
  }

  // var = VARIABLE | QUOTED_STRING ('...' or "...", no escapes).
  absl::StatusOr<Operand> Var() {
    Operand operand;
    if (pos_ < text_.size() && (text_[pos_] == '\'' || text_[pos_] == '"')) {
      const size_t end = text_.find(text_[pos_], pos_ + 1);
      if (end == absl::string_view::npos) return Error("unterminated quoted string");
      operand.value = std::string(text_.substr(pos_ + 1, end - pos_ - 1));
      pos_ = end + 1;
      return operand;
    }
    const VariableName* found = nullptr;
    for (const VariableName& variable : kVariables) {
      if (AtWord(variable.spelling) &&
          (found == nullptr || variable.spelling.size() > found->spelling.size())) {
        found = &variable;
      }
    }
    if (found == nullptr) return Error("expected a marker variable or quoted string");
    pos_ += found->spelling.size();
    operand.variable = found;
    return operand;
  }

  // op = "in" | "not" WS "in" | === == ~= != <= >= < >.
  absl::StatusOr<absl::string_view> Op() {
    if (ConsumeWord("in")) return absl::string_view("in");
    if (AtWord("not")) {
      pos_ += 3;
      const size_t before = pos_;
      SkipSpace();
      if (pos_ == before) return Error("expected whitespace after 'not'");
      if (!ConsumeWord("in")) return Error("expected 'in' after 'not'");
      return absl::string_view("not in");
    }
    for (absl::string_view op : {"===", "==", "~=", "!=", "<=", ">=", "<", ">"}) {
      if (absl::StartsWith(text_.substr(pos_), op)) {
        pos_ += op.size();
        return op;
      }
    }
    return Error("expected a marker operator (<=, <, !=, ==, >=, >, ~=, ===, in, not in)");
  }

  // Whether `word` stands at pos_ between word boundaries (\bword\b).
  bool AtWord(absl::string_view word) const {
    if (!absl::StartsWith(text_.substr(pos_), word)) return false;
    if (pos_ > 0 && IsWordByte(text_[pos_ - 1]) && IsWordByte(word.front())) return false;
    const size_t end = pos_ + word.size();
    return end == text_.size() || !IsWordByte(text_[end]) || !IsWordByte(word.back());
  }

  bool ConsumeWord(absl::string_view word) {
    if (!AtWord(word)) return false;
    pos_ += word.size();
    return true;
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t')) ++pos_;
  }

  absl::Status Error(absl::string_view expected) const {
    return absl::InvalidArgumentError(absl::StrCat("marker: column ", pos_ + 1, ": ", expected));
  }

  absl::string_view text_;
  const PythonEnvironment& environment_;
  size_t pos_ = 0;
};

}  // namespace

absl::StatusOr<std::optional<bool>> EvaluatePythonMarker(absl::string_view marker,
                                                         const PythonEnvironment& environment) {
  absl::StatusOr<Truth> truth = Evaluator(marker, environment).Run();
  if (!truth.ok()) return truth.status();
  switch (*truth) {
    case Truth::kTrue:
      return true;
    case Truth::kFalse:
      return false;
    default:
      return std::nullopt;
  }
}

}  // namespace bulwark::sbom::internal
