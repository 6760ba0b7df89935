#include "bulwark/runtime/internal/test_program.h"

#include <algorithm>
#include <optional>

namespace bulwark::runtime::internal {
namespace {

bool IsNumericOp(Op op) {
  switch (op) {
    case Op::kEq:
    case Op::kIn:
    case Op::kIntersects:
    case Op::kNe:
    case Op::kLt:
    case Op::kLe:
    case Op::kGt:
    case Op::kGe:
      return true;
    default:
      return false;
  }
}

}  // namespace

TestProgram::Range TestProgram::Add(const Node& node) {
  Range range;
  range.begin = static_cast<uint32_t>(code_.size());
  Emit(node);
  range.end = static_cast<uint32_t>(code_.size());
  return range;
}

void TestProgram::Emit(const Node& node) {
  if (node.memo_slot < 0) return EmitBody(node);
  const size_t load = code_.size();
  code_.push_back(Instr{.code = Code::kMemoLoad, .slot = node.memo_slot});
  EmitBody(node);
  code_.push_back(Instr{.code = Code::kMemoStore, .slot = node.memo_slot});
  code_[load].target = static_cast<uint32_t>(code_.size());
}

void TestProgram::EmitBody(const Node& node) {
  switch (node.kind) {
    case Node::Kind::kAnd:
    case Node::Kind::kOr: {
      const bool is_and = node.kind == Node::Kind::kAnd;
      if (node.children.empty()) {  // An empty and holds; an empty or does not.
        code_.push_back(Instr{.code = Code::kConstant, .constant = is_and});
        return;
      }
      std::vector<size_t> jumps;
      for (size_t i = 0; i < node.children.size(); ++i) {
        Emit(node.children[i]);
        if (i + 1 == node.children.size()) break;
        jumps.push_back(code_.size());
        code_.push_back(Instr{.code = is_and ? Code::kJumpIfFalse : Code::kJumpIfTrue});
      }
      for (size_t jump : jumps) code_[jump].target = static_cast<uint32_t>(code_.size());
      return;
    }
    case Node::Kind::kNot:
      Emit(node.children[0]);
      code_.push_back(Instr{.code = Code::kNot});
      return;
    case Node::Kind::kCompare:
      EmitComparison(node.comparison);
      return;
  }
}

void TestProgram::EmitComparison(const std::shared_ptr<const Comparison>& comparison) {
  const Comparison& c = *comparison;
  comparisons_.push_back(comparison);
  Instr instr{.code = Code::kGeneric, .op = c.op, .comparison = &c};
  if (!c.field.has_arg && c.field.transformers.empty()) instr.cached_field = c.field.id;
  if (c.rhs_field.has_value()) {
    // Field against field: the generic path.
  } else if (c.op == Op::kExists) {
    instr.code = Code::kExists;
  } else if (!c.nets.empty()) {
    instr.code = Code::kNets;
  } else if (!c.alternatives.empty()) {
    instr.code = Code::kText;
  } else if (!c.numbers.empty() && IsNumericOp(c.op)) {
    instr.code = c.numbers.size() == 1 ? Code::kNumberOne : Code::kNumber;
    if (instr.code == Code::kNumberOne && HasScalarNumber(c.field)) instr.code = Code::kScalarOne;
    instr.number = c.numbers[0];
  } else if (c.op == Op::kEq || c.op == Op::kIn || c.op == Op::kIntersects) {
    instr.code = c.strings.size() == 1 && c.string_set.empty() ? Code::kTextOne : Code::kTextIn;
    if (!c.strings.empty()) instr.text = c.strings[0];
  } else {
    instr.code = c.op == Op::kNe ? Code::kTextNotIn : Code::kText;
  }
  code_.push_back(instr);
}

namespace {

// `value op number` for the ordering and equality operators (!= is handled by the caller).
bool CompareNumber(Op op, int64_t value, int64_t number) {
  switch (op) {
    case Op::kLt:
      return value < number;
    case Op::kLe:
      return value <= number;
    case Op::kGt:
      return value > number;
    case Op::kGe:
      return value >= number;
    default:
      return value == number;
  }
}

}  // namespace

// Each case gives Comparison::Evaluate's result for its shape; a value of an unexpected kind (a
// number where text was expected) takes the generic path.
bool TestProgram::RunComparison(const Instr& instr, ExtractContext& context) {
  const FieldValues* cached = nullptr;
  if (instr.cached_field >= 0 && context.field_cache() != nullptr) {
    cached = context.field_cache()->Find(instr.cached_field);
  }
  FieldValues scratch;
  const FieldValues& values =
      cached != nullptr ? *cached : ExtractFieldValues(instr.comparison->field, context, scratch);
  if (instr.code == Code::kExists) return !values.empty();
  if (values.empty()) return false;
  switch (instr.code) {
    case Code::kNumberOne: {
      for (const FieldValue& value : values) {
        if (!value.is_number) return instr.comparison->Evaluate(context);
      }
      if (instr.op == Op::kNe) {
        for (const FieldValue& value : values) {
          if (value.number == instr.number) return false;
        }
        return true;
      }
      for (const FieldValue& value : values) {
        if (CompareNumber(instr.op, value.number, instr.number)) return true;
      }
      return false;
    }
    case Code::kTextOne:
      for (const FieldValue& value : values) {
        if (value.is_number) return instr.comparison->Evaluate(context);
      }
      for (const FieldValue& value : values) {
        if (value.text == instr.text) return true;
      }
      return false;
    default:
      break;
  }
  const Comparison& c = *instr.comparison;
  switch (instr.code) {
    case Code::kNumber: {
      const bool negate = c.op == Op::kNe;
      for (const FieldValue& value : values) {
        if (!value.is_number) return c.Evaluate(context);
      }
      for (const FieldValue& value : values) {
        const bool match =
            negate ? std::find(c.numbers.begin(), c.numbers.end(), value.number) != c.numbers.end()
                   : c.MatchNumber(value.number);
        if (match) return !negate;
      }
      return negate;
    }
    case Code::kTextIn:
      for (const FieldValue& value : values) {
        if (value.is_number) return c.Evaluate(context);
      }
      for (const FieldValue& value : values) {
        if (!c.string_set.empty()) {
          if (c.string_set.contains(value.text)) return true;
          continue;
        }
        for (const std::string& s : c.strings) {
          if (value.text == s) return true;
        }
      }
      return false;
    case Code::kTextNotIn:
      for (const FieldValue& value : values) {
        if (value.is_number) return c.Evaluate(context);
      }
      for (const FieldValue& value : values) {
        if (std::find(c.strings.begin(), c.strings.end(), value.text) != c.strings.end()) {
          return false;
        }
      }
      return true;
    case Code::kText:
      for (const FieldValue& value : values) {
        if (value.is_number) return c.Evaluate(context);
      }
      for (const FieldValue& value : values) {
        if (c.grouped_alternatives != nullptr ? c.grouped_alternatives->Match(value.text)
                                              : c.MatchText(value.text)) {
          return true;
        }
      }
      return false;
    case Code::kNets: {
      const bool negate = c.op == Op::kNe;
      for (const FieldValue& value : values) {
        IpAddress address;
        if (value.is_number || !ParseIpAddress(value.text, address)) continue;
        for (const IpNet& net : c.nets) {
          if (NetContains(net, address)) return !negate;
        }
      }
      return negate;
    }
    default:
      return c.Evaluate(context);
  }
}

bool TestProgram::Run(Range range, ExtractContext& context) const {
  bool acc = true;
  MacroMemo* memo = context.memo();
  uint32_t pc = range.begin;
  while (pc < range.end) {
    const Instr& instr = code_[pc];
    switch (instr.code) {
      case Code::kConstant:
        acc = instr.constant;
        ++pc;
        break;
      case Code::kJumpIfFalse:
        pc = acc ? pc + 1 : instr.target;
        break;
      case Code::kJumpIfTrue:
        pc = acc ? instr.target : pc + 1;
        break;
      case Code::kNot:
        acc = !acc;
        ++pc;
        break;
      case Code::kMemoLoad:
        if (std::optional<bool> cached =
                memo != nullptr ? memo->Find(instr.slot) : std::optional<bool>()) {
          acc = *cached;
          pc = instr.target;
        } else {
          ++pc;
        }
        break;
      case Code::kMemoStore:
        if (memo != nullptr) memo->Store(instr.slot, acc);
        ++pc;
        break;
      case Code::kScalarOne: {
        // RunComparison's kNumberOne on the one value, or false without one.
        const std::optional<int64_t> value = ScalarNumber(instr.comparison->field, context);
        acc = value.has_value() &&
              (instr.op == Op::kNe ? *value != instr.number
                                   : CompareNumber(instr.op, *value, instr.number));
        ++pc;
        break;
      }
      default:
        acc = RunComparison(instr, context);
        ++pc;
        break;
    }
  }
  return acc;
}

}  // namespace bulwark::runtime::internal
