#include "bulwark/policy/cel/internal/cost.h"

#include <algorithm>
#include <limits>
#include <string>
#include <vector>

#include "absl/container/flat_hash_set.h"

namespace bulwark::cel::internal {
namespace {

constexpr uint64_t kMax = std::numeric_limits<uint64_t>::max();

uint64_t Add(uint64_t a, uint64_t b) { return a > kMax - b ? kMax : a + b; }
uint64_t Mul(uint64_t a, uint64_t b) { return (b != 0 && a > kMax / b) ? kMax : a * b; }

// Functions whose runtime cost grows with the size of their operands (one unit per ten bytes
// or elements, as the runtime charges).
bool SizeDependent(const std::string& name) {
  static const auto* kNames = new absl::flat_hash_set<std::string>{"_+_",
                                                                   "_==_",
                                                                   "_!=_",
                                                                   "@in",
                                                                   "contains",
                                                                   "startsWith",
                                                                   "endsWith",
                                                                   "matches",
                                                                   "find",
                                                                   "findAll",
                                                                   "split",
                                                                   "join",
                                                                   "replace",
                                                                   "indexOf",
                                                                   "lastIndexOf",
                                                                   "lowerAscii",
                                                                   "upperAscii",
                                                                   "trim",
                                                                   "substring",
                                                                   "reverse",
                                                                   "format",
                                                                   "string",
                                                                   "bytes",
                                                                   "base64.encode",
                                                                   "base64.decode",
                                                                   "strings.quote",
                                                                   "sort",
                                                                   "distinct",
                                                                   "flatten",
                                                                   "sum",
                                                                   "min",
                                                                   "max",
                                                                   "isSorted",
                                                                   "sets.contains",
                                                                   "sets.equivalent",
                                                                   "sets.intersects",
                                                                   "charAt",
                                                                   "size",
                                                                   "validate",
                                                                   "url",
                                                                   "isURL",
                                                                   "quantity",
                                                                   "semver",
                                                                   "ip",
                                                                   "cidr",
                                                                   "lists.range",
                                                                   "slice"};
  return kNames->contains(name);
}

struct Estimate {
  CostEstimate cost;
  uint64_t size = 0;  // largest length (bytes or elements) the value may have
};

class Estimator {
 public:
  explicit Estimator(const RuntimeLimits& limits) : unknown_size_(limits.max_collection_size) {}

  Estimate Run(const Expr& e) {
    switch (e.kind) {
      case Expr::Kind::kConstant:
        return {{0, 0},
                e.constant.is_string() || e.constant.is_bytes()
                    ? static_cast<uint64_t>(e.constant.string_value().size())
                    : 0};
      case Expr::Kind::kIdent:
        // Variable and slot reads are not charged by the runtime.
        return {{0, 0}, SizeOfName(e.name)};
      case Expr::Kind::kSelect: {
        Estimate operand = Run(*e.target);
        return {{Add(operand.cost.min, 1), Add(operand.cost.max, 1)},
                e.test_only ? 0 : unknown_size_};
      }
      case Expr::Kind::kList:
      case Expr::Kind::kMap:
      case Expr::Kind::kStruct:
        return Aggregate(e);
      case Expr::Kind::kCall:
        return Call(e);
      case Expr::Kind::kComprehension:
        return Comprehension(e);
    }
    return {{1, 1}, unknown_size_};
  }

 private:
  uint64_t SizeOfName(const std::string& name) const {
    for (auto it = scope_.rbegin(); it != scope_.rend(); ++it) {
      if (it->first == name) return it->second;
    }
    return unknown_size_;
  }

  Estimate Aggregate(const Expr& e) {
    Estimate out{{1, 1}, 0};
    auto add = [&](const Estimate& part) {
      out.cost.min = Add(out.cost.min, part.cost.min);
      out.cost.max = Add(out.cost.max, part.cost.max);
    };
    for (const auto& a : e.args) add(Run(*a));
    for (const Expr::Entry& entry : e.entries) {
      if (entry.key) add(Run(*entry.key));
      add(Run(*entry.value));
      out.cost.max = Add(out.cost.max, 1);
    }
    out.size = e.args.size() + e.entries.size();
    return out;
  }

  Estimate Call(const Expr& e) {
    std::vector<Estimate> args;
    if (e.target) args.push_back(Run(*e.target));
    for (const auto& a : e.args) args.push_back(Run(*a));
    const std::string& f = e.name;
    Estimate out{{1, 1}, 0};
    if (f == "!_" || f == "@not_strictly_false") {
      // Planned as uncharged nodes.
      return {args[0].cost, 0};
    }
    if (f == "_&&_" || f == "_||_" || f == "_?_:_") {
      // Short-circuit (uncharged nodes): at least the first operand, at most all of them.
      out.cost = {0, 0};
      out.cost.min = Add(out.cost.min, args[0].cost.min);
      for (const Estimate& a : args) out.cost.max = Add(out.cost.max, a.cost.max);
      for (size_t i = 1; i < args.size(); ++i) out.size = std::max(out.size, args[i].size);
      return out;
    }
    uint64_t largest = 0, smallest = kMax, total_size = 0;
    for (const Estimate& a : args) {
      out.cost.min = Add(out.cost.min, a.cost.min);
      out.cost.max = Add(out.cost.max, a.cost.max);
      largest = std::max(largest, a.size);
      smallest = std::min(smallest, a.size);
      total_size = Add(total_size, a.size);
    }
    if (f == "_==_" || f == "_!=_") {
      // Equality stops at the end of the smaller operand.
      out.cost.max = Add(out.cost.max, smallest / 10 + 1);
    } else if (SizeDependent(f)) {
      out.cost.max = Add(out.cost.max, total_size / 10 + 1);
    }
    if (f == "_+_") {
      out.size = std::min(total_size, unknown_size_);
    } else if (f == "lists.range" && !e.args.empty() && e.args[0]->kind == Expr::Kind::kConstant &&
               e.args[0]->constant.is_int()) {
      out.size = static_cast<uint64_t>(std::max<int64_t>(0, e.args[0]->constant.int_value()));
      out.cost.max = Add(out.cost.max, out.size);
    } else if (f == "_[_]" || f == "_[?_]" || f == "@transform") {
      out.size = unknown_size_;
    } else {
      out.size = std::min(Add(largest, largest), unknown_size_);
    }
    return out;
  }

  Estimate Comprehension(const Expr& e) {
    if (e.macro == MacroKind::kBind) {
      Estimate init = Run(*e.accu_init);
      scope_.emplace_back(e.accu_var, init.size);
      Estimate result = Run(*e.result);
      scope_.pop_back();
      return {{Add(init.cost.min, result.cost.min), Add(init.cost.max, result.cost.max)},
              result.size};
    }
    Estimate range = Run(*e.iter_range);
    Estimate init = Run(*e.accu_init);
    uint64_t iterations = range.size;
    // The accumulator may grow by one element per iteration (map, filter, transforms).
    uint64_t accu_size = std::min(Add(init.size, iterations), unknown_size_);
    size_t scope_size = scope_.size();
    // The runtime appends to the accumulator of map/filter/transform macros in place, so
    // their `accu + [x]` step does not copy it.
    bool appends = e.macro == MacroKind::kMap || e.macro == MacroKind::kMapFilter ||
                   e.macro == MacroKind::kFilter || e.macro == MacroKind::kTransformList ||
                   e.macro == MacroKind::kTransformMap;
    scope_.emplace_back(e.accu_var, appends ? 0 : accu_size);
    scope_.emplace_back(e.iter_var, unknown_size_);
    if (!e.iter_var2.empty()) scope_.emplace_back(e.iter_var2, unknown_size_);
    Estimate condition = Run(*e.loop_condition);
    Estimate step = Run(*e.loop_step);
    scope_.resize(scope_size);
    scope_.emplace_back(e.accu_var, accu_size);
    Estimate result = Run(*e.result);
    scope_.resize(scope_size);
    uint64_t per_iteration = Add(Add(condition.cost.max, step.cost.max), 1);
    CostEstimate cost;
    cost.min = Add(Add(range.cost.min, init.cost.min), result.cost.min);
    cost.max = Add(Add(range.cost.max, init.cost.max),
                   Add(Mul(iterations, per_iteration), result.cost.max));
    return {cost, std::min(result.size, accu_size)};
  }

  uint64_t unknown_size_;
  std::vector<std::pair<std::string, uint64_t>> scope_;
};

}  // namespace

CostEstimate EstimateExprCost(const Expr& root, const RuntimeLimits& limits) {
  return Estimator(limits).Run(root).cost;
}

}  // namespace bulwark::cel::internal
