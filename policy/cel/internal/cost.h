// Static cost estimation (in the spirit of Kubernetes' compile-time CEL cost estimate): an upper
// bound on the runtime cost units (see RuntimeLimits) of evaluating an expression, assuming
// every list, map or string whose size is not known at compile time may be as large as
// RuntimeLimits::max_collection_size. Nested comprehensions multiply, so comprehension bombs
// are rejected before they run.
// Internal; used by Compile() and EstimateCost(). Thread safety: reentrant.
#ifndef BULWARK_POLICY_CEL_INTERNAL_COST_H_
#define BULWARK_POLICY_CEL_INTERNAL_COST_H_

#include "bulwark/policy/cel/ast.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::cel::internal {

CostEstimate EstimateExprCost(const Expr& root, const RuntimeLimits& limits);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_COST_H_
