#include "bulwark/policy/cel/cel.h"

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "google/protobuf/timestamp.pb.h"
#include "gtest/gtest.h"

namespace bulwark::cel {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

constexpr char kPod[] = R"({
  "metadata": {"name": "web", "labels": {"app": "web", "tier": "frontend"}},
  "spec": {"containers": [
    {"name": "a", "image": "nginx:1.25", "securityContext": {"privileged": false}},
    {"name": "b", "image": "busybox"},
    {"name": "c", "image": "evil", "securityContext": {"privileged": true}}
  ]}
})";

absl::StatusOr<Value> Eval(absl::string_view expr, const core::Value& object) {
  Env env;
  env.DeclareVariable("object");
  absl::StatusOr<std::shared_ptr<const Program>> program = Compile(expr, env);
  if (!program.ok()) return program.status();
  Activation activation;
  activation.BindDocument("object", object);
  absl::StatusOr<Value> result = (*program)->Evaluate(activation);
  if (!result.ok()) return result.status();
  return result->Detach();
}

class CelTest : public ::testing::Test {
 protected:
  void SetUp() override {
    absl::StatusOr<core::Value> pod = core::ParseJson(kPod);
    ASSERT_TRUE(pod.ok()) << pod.status();
    pod_ = *std::move(pod);
  }
  core::Value pod_;
};

TEST_F(CelTest, ReadsDocumentsAsMapsAndLists) {
  auto r = Eval("object.metadata.labels.app + '-' + object.spec.containers[1].image", pod_);
  ASSERT_TRUE(r.ok()) << r.status();
  EXPECT_EQ(r->string_value(), "web-busybox");
}

TEST_F(CelTest, MacrosOverDocuments) {
  auto privileged = Eval(
      "object.spec.containers.all(c, !has(c.securityContext) || "
      "c.securityContext.privileged != true)",
      pod_);
  ASSERT_TRUE(privileged.ok()) << privileged.status();
  EXPECT_FALSE(privileged->bool_value());
  auto names =
      Eval("object.spec.containers.filter(c, has(c.securityContext)).map(c, c.name)", pod_);
  ASSERT_TRUE(names.ok()) << names.status();
  ASSERT_EQ(names->ListSize(), 2u);
  EXPECT_EQ(names->ListGet(1).string_value(), "c");
}

TEST_F(CelTest, RuntimeErrorsAreStatuses) {
  EXPECT_THAT(Eval("object.metadata.missing == 1", pod_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no such key")));
  EXPECT_THAT(Eval("9223372036854775807 + 1", pod_).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("overflow")));
  // Errors are absorbed by a decisive && / || operand, in either order.
  auto absorbed = Eval("object.metadata.missing == 1 || true", pod_);
  ASSERT_TRUE(absorbed.ok()) << absorbed.status();
  EXPECT_TRUE(absorbed->bool_value());
}

// Documents are read through a fast path (selection chains walk core::Values, boolean nodes skip
// building Values); the same data as owned CEL maps and lists takes the general path. Both must
// give the same results and the same errors.
TEST_F(CelTest, DocumentFastPathMatchesOwnedValues) {
  absl::StatusOr<core::Value> doc = core::ParseJson(R"({
    "metadata": {"name": "web", "labels": {"app-kind": "web", "__x__": 1}},
    "spec": {"containers": [
      {"name": "a", "securityContext": {"privileged": false, "runAsUser": 0}},
      {"name": "b"},
      {"name": "c", "securityContext": {"privileged": true}}
    ]}
  })");
  ASSERT_TRUE(doc.ok()) << doc.status();
  const Value owned = Value::FromCore(*doc);
  Env env;
  env.DeclareVariable("object");
  constexpr absl::string_view kExpressions[] = {
      "object.spec.containers[0].securityContext.privileged",
      "object.spec.containers[0].securityContext.runAsUser == 0",
      "has(object.spec.containers[1].securityContext)",
      "has(object.spec.containers[0].securityContext.privileged)",
      "has(object.metadata.nope.x)",
      "object.metadata.name.size",
      "has(object.metadata.name.x)",
      "object.spec.containers.x",
      "object.metadata.labels.app__dash__kind",
      "has(object.metadata.labels.app__dash__kind)",
      "has(object.metadata.labels.app__dash__other)",
      "object.metadata.labels.__x__",
      "object.?metadata.name.orValue('z')",
      "object.?metadata.nope.name.orValue('z')",
      "object.spec.containers.all(c, c.securityContext.privileged == false)",
      "object.spec.containers.all(c, c.securityContext.privileged != true)",
      "object.spec.containers.exists(c, c.securityContext.privileged)",
      "object.spec.containers.exists(c, c.securityContext.runAsUser == 0)",
      "object.spec.containers.all(c, c.name != 'z' && c.securityContext.privileged)",
      "object.spec.containers.all(c, !has(c.securityContext) || "
      "c.securityContext.privileged != true)",
      "object.spec.containers.exists_one(c, has(c.securityContext))",
      "object.spec.containers.all(c, c.securityContext.privileged == false || c.name == 'c')",
      "object.spec.containers.exists(c, c.securityContext.privileged == 'x')",
      "object.spec.containers.all(c, c.name)",
      "object.spec.containers.exists(i, c, c.name == 'b' && i == 1)",
      "!object.metadata.name",
      "!object.spec.containers[2].securityContext.privileged",
      "object.metadata.missing == true || true",
      "object.metadata.missing == true && false",
      "object.metadata.missing == true && true",
      "object.metadata.name || false",
      "object.spec.containers[0].securityContext.privileged ? 1 : 2",
      "object.metadata.name ? 1 : 2",
      "object.metadata.labels.all(k, k.size() > 2)",
      "object.metadata.labels.exists(k, v, v == 1)",
  };
  for (absl::string_view expr : kExpressions) {
    absl::StatusOr<std::shared_ptr<const Program>> program = Compile(expr, env);
    ASSERT_TRUE(program.ok()) << expr << ": " << program.status();
    Activation on_document;
    on_document.BindDocument("object", *doc);
    Activation on_owned;
    on_owned.Bind("object", owned);
    EvalDetails document_details, owned_details;
    Value from_document = (*program)->EvaluateToValue(on_document, &document_details);
    Value from_owned = (*program)->EvaluateToValue(on_owned, &owned_details);
    EXPECT_EQ(from_document.DebugString(), from_owned.DebugString()) << expr;
    EXPECT_EQ(document_details.actual_cost, owned_details.actual_cost) << expr;
  }
}

TEST(CompileTest, SyntaxErrorsCarryLineColumnAndCaret) {
  absl::StatusOr<std::shared_ptr<const Program>> program = Compile("1 +\n  (2 * )");
  ASSERT_FALSE(program.ok());
  EXPECT_EQ(program.status().message(),
            "ERROR: <input>:2:8: Syntax error: mismatched input ')' expecting expression\n"
            " |   (2 * )\n"
            " | .......^");
}

TEST(CompileTest, UndeclaredReferencesAreCompileErrors) {
  EXPECT_THAT(Compile("objct.spec").status(),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("1:1: undeclared reference to 'objct'")));
  EXPECT_THAT(Compile("size(1, 2, 3)").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no matching overload")));
}

TEST(CompileTest, DeepNestingIsResourceExhausted) {
  std::string deep = std::string(5000, '(') + "1" + std::string(5000, ')');
  EXPECT_THAT(Compile(deep).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("recursion")));
  std::string chain = "1";
  for (int i = 0; i < 5000; ++i) chain += " + 1";
  EXPECT_THAT(Compile(chain).status(), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(Compile(std::string(200'000, ' ') + "1").status(),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

TEST(RuntimeLimitsTest, ComprehensionBombExceedsTheCostBudget) {
  auto program = Compile(
      "[1,2,3,4,5,6,7,8,9,10].map(a, [1,2,3,4,5,6,7,8,9,10].map(b, [1,2,3,4,5,6,7,8,9,10]"
      ".map(c, [1,2,3,4,5,6,7,8,9,10].map(d, [1,2,3,4,5,6,7,8,9,10].map(e, "
      "[1,2,3,4,5,6,7,8,9,10].map(f, f))))))");
  ASSERT_TRUE(program.ok()) << program.status();
  EvalDetails details;
  EXPECT_THAT((*program)->Evaluate(Activation(), &details).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("cost limit")));
  EXPECT_GT(details.actual_cost, RuntimeLimits().cost_budget);
}

TEST(RuntimeLimitsTest, QuadraticStringBuildingHitsTheSizeLimit) {
  Env env;
  env.limits.cost_budget = 100'000'000;
  auto program = Compile(
      "lists.range(30).map(i, 'x').join('').size() > 0 && "
      "lists.range(40000).map(i, 'abcdefghij').join('') + "
      "lists.range(70000).map(i, 'abcdefghij').join('') != ''",
      env);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_THAT((*program)->Evaluate(Activation()).status(),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("size limit")));
}

TEST(MessageTest, ProtobufMessagesThroughReflection) {
  google::protobuf::Timestamp ts;
  ts.set_seconds(1700000000);
  google::protobuf::Struct doc;
  (*doc.mutable_fields())["replicas"].set_number_value(3);
  Env env;
  env.DeclareVariable("ts").DeclareVariable("doc");
  auto program = Compile("ts.getFullYear() == 2023 && doc.replicas == 3", env);
  ASSERT_TRUE(program.ok()) << program.status();
  Activation activation;
  activation.BindMessage("ts", ts);
  activation.BindMessage("doc", doc);
  auto result = (*program)->Evaluate(activation);
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->bool_value());
}

TEST(TimeTest, TimeZonesFromTheSystemDatabase) {
  auto program = Compile(
      "timestamp('2024-03-10T10:30:00Z').getHours('America/Los_Angeles') == 3 && "
      "timestamp('2024-03-10T10:30:00Z').getHours('+05:30') == 16");
  ASSERT_TRUE(program.ok()) << program.status();
  auto result = (*program)->Evaluate(Activation());
  ASSERT_TRUE(result.ok()) << result.status();
  EXPECT_TRUE(result->bool_value());
}

}  // namespace
}  // namespace bulwark::cel
