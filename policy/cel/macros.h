// Expansion of CEL macros into comprehensions, as the cel-spec describes them:
// has(a.f), e.all(x, p), e.exists(x, p), e.exists_one(x, p), e.map(x, f), e.map(x, p, f),
// e.filter(x, p), their two-variable forms all/exists/existsOne(k, v, p), cel.bind(v, init, e),
// and the cel.block test macros (cel.block, cel.index, cel.iterVar, cel.accuVar).
// Internal to the parser. Thread safety: stateless apart from the id generator it is given.
#ifndef BULWARK_POLICY_CEL_MACROS_H_
#define BULWARK_POLICY_CEL_MACROS_H_

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/policy/cel/ast.h"

namespace bulwark::cel {

// The name of the accumulator variable of expanded macros.
inline constexpr char kAccumulatorName[] = "@result";

struct MacroExpander {
  std::function<int64_t()> next_id;

  // The expansion of call `[target.]function(args)`, or nullptr when it is not a macro (target
  // and args are then left untouched). Errors: InvalidArgument for a malformed macro call.
  absl::StatusOr<std::unique_ptr<Expr>> Expand(uint32_t offset, const std::string& function,
                                               std::unique_ptr<Expr>& target,
                                               std::vector<std::unique_ptr<Expr>>& args);
};

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_MACROS_H_
