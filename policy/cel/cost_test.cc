// Cost: the compile-time estimate bounds the runtime cost; Kubernetes' limits reject hostile
// expressions at compile time or stop them at run time.
#include <string>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/cel/cel.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::cel {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kPod[] = R"({"spec": {"containers": [
  {"name": "a", "securityContext": {"privileged": false}}, {"name": "b"},
  {"name": "c", "securityContext": {"privileged": true}}]}})";

Env KubernetesEnv() {
  Env env;
  env.DeclareVariable("object");
  env.limits.cost_budget = kKubernetesPerCallLimit;
  env.limits.max_estimated_cost = kKubernetesStaticEstimatedCostLimit;
  return env;
}

TEST(CostEstimateTest, BoundsTheActualCost) {
  absl::StatusOr<core::Value> pod = core::ParseJson(kPod);
  ASSERT_TRUE(pod.ok()) << pod.status();
  for (const char* expr : {
           "object.spec.containers.all(c, !has(c.securityContext) || "
           "c.securityContext.privileged != true)",
           "object.spec.containers.map(c, c.name).join(',') == 'a,b,c'",
           "object.spec.containers.filter(c, has(c.securityContext)).size() == 2",
           "[1, 2, 3].exists(x, x > 2) ? 'yes' + 'no' : 'maybe'",
           "cel.bind(names, object.spec.containers.map(c, c.name), names.size() + 1)",
       }) {
    absl::StatusOr<std::shared_ptr<const Program>> program = Compile(expr, KubernetesEnv());
    ASSERT_TRUE(program.ok()) << expr << ": " << program.status();
    Activation activation;
    activation.BindDocument("object", *pod);
    EvalDetails details;
    ASSERT_TRUE((*program)->Evaluate(activation, &details).ok()) << expr;
    const CostEstimate& estimate = (*program)->estimated_cost();
    EXPECT_LE(estimate.min, details.actual_cost) << expr;
    EXPECT_GE(estimate.max, details.actual_cost) << expr;
    EXPECT_LE(estimate.max, kKubernetesStaticEstimatedCostLimit) << expr;
  }
}

TEST(CostEstimateTest, ConstantSizedExpressionsHaveSmallEstimates) {
  absl::StatusOr<CostEstimate> estimate = EstimateCost("[1, 2, 3].map(x, x * 2).size()");
  ASSERT_TRUE(estimate.ok()) << estimate.status();
  EXPECT_LT(estimate->max, 100u);
}

TEST(CostEstimateTest, HostileExpressionsAreRejectedAtCompileTime) {
  // Nested comprehensions over unknown-size lists multiply: a comprehension bomb.
  EXPECT_THAT(Compile("object.a.all(x, object.b.all(y, object.c.all(z, x == y && y == z)))",
                      KubernetesEnv()),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("estimated cost")));
  // Quadratic work: every element compared with every other one.
  EXPECT_THAT(Compile("object.items.all(x, object.items.exists_one(y, x == y))", KubernetesEnv()),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("estimated cost")));
  // Literal ranges multiply too.
  EXPECT_THAT(Compile("lists.range(10000).all(i, lists.range(10000).all(j, i != j || true))",
                      KubernetesEnv()),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(RuntimeBudgetTest, PerEvaluationBudgetIsSharedThroughEvalDetails) {
  absl::StatusOr<std::shared_ptr<const Program>> program =
      Compile("lists.range(1000).map(i, i * 2).size() == 1000");
  ASSERT_TRUE(program.ok()) << program.status();
  EvalDetails first;
  ASSERT_TRUE((*program)->Evaluate(Activation(), &first).ok());
  // A caller sharing one budget across expressions passes what is left.
  EvalDetails second;
  second.cost_budget = first.actual_cost / 2;
  EXPECT_THAT((*program)->Evaluate(Activation(), &second).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("cost limit")));
}

TEST(RuntimeBudgetTest, HostileExpressionsEndWithinLimits) {
  Env env;
  env.limits.cost_budget = kKubernetesPerCallLimit;
  // Deep nesting and huge literals are refused by the parser.
  EXPECT_THAT(Compile(std::string(300, '[') + std::string(300, ']'), env),
              StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Compile("'" + std::string(200'000, 'a') + "'", env),
              StatusIs(absl::StatusCode::kResourceExhausted));
  // A doubling string: stopped by the size limit or the budget, never by memory exhaustion.
  absl::StatusOr<std::shared_ptr<const Program>> doubling = Compile(
      "lists.range(64).map(i, 'x').all(i, true) && "
      "cel.bind(s, 'abcdefghijklmnop', cel.bind(s, s + s + s + s + s + s + s + s, "
      "cel.bind(s, s + s + s + s + s + s + s + s, cel.bind(s, s + s + s + s + s + s + s + s, "
      "cel.bind(s, s + s + s + s + s + s + s + s, cel.bind(s, s + s + s + s + s + s + s + s, "
      "cel.bind(s, s + s + s + s + s + s + s + s, s.size())))))))",
      env);
  ASSERT_TRUE(doubling.ok()) << doubling.status();
  EXPECT_THAT((*doubling)->Evaluate(Activation()).status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

}  // namespace
}  // namespace bulwark::cel
