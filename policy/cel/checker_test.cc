// Type checker: deduced types, overload resolution with type parameters, check errors.
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/cel/types.h"
#include "gmock/gmock.h"
#include "google/protobuf/struct.pb.h"
#include "gtest/gtest.h"

namespace bulwark::cel {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

Type T(absl::string_view text) {
  absl::StatusOr<Type> type = Type::Parse(text);
  EXPECT_TRUE(type.ok()) << type.status();
  return type.ok() ? *type : Type::Error();
}

std::string Deduce(absl::string_view expr, const Env& env = {}) {
  absl::StatusOr<Type> type = Check(expr, env);
  if (!type.ok()) return std::string(type.status().message());
  return type->DebugString();
}

TEST(TypeTest, ParseAndPrintRoundTrip) {
  for (absl::string_view text :
       {"int", "list(string)", "map(string, list(dyn))", "wrapper(int)", "type(uint)", "type",
        "optional_type(bytes)", "net.IP", "tuple(int, A, _var1)", "null_type", "timestamp"}) {
    EXPECT_EQ(T(text).DebugString(), text);
  }
  EXPECT_EQ(T("google.protobuf.Int64Value"), Type::Wrapper(Type::Int()));
  EXPECT_EQ(T("google.protobuf.Struct"), Type::Map(Type::String(), Type::Dyn()));
  EXPECT_EQ(T("optional(int)"), Type::Optional(Type::Int()));
  EXPECT_EQ(T("my.pkg.Message").kind(), Type::Kind::kMessage);
  EXPECT_THAT(Type::Parse("list(int"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Type::Parse("map(int)"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(Type::Parse("wrapper(list(int))"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(CheckerTest, DeducesLiteralAndOperatorTypes) {
  EXPECT_EQ(Deduce("1 + 2"), "int");
  EXPECT_EQ(Deduce("[1, 2][0] < 3.0"), "bool");
  EXPECT_EQ(Deduce("{'a': [1u]}"), "map(string, list(uint))");
  EXPECT_EQ(Deduce("[1, 'a']"), "list(dyn)");  // heterogeneous literals are dyn
  EXPECT_EQ(Deduce("[]"), "list(dyn)");        // free type variables end as dyn
  EXPECT_EQ(Deduce("timestamp('2024-01-01T00:00:00Z') - duration('1h')"), "timestamp");
  EXPECT_EQ(Deduce("[1, 2].map(x, x * 2.0)"),
            "ERROR: <input>:1:17: found no matching overload for '_*_' applied to '(int, "
            "double)'\n | [1, 2].map(x, x * 2.0)\n | ................^");
  EXPECT_EQ(Deduce("[1, 2].map(x, string(x))"), "list(string)");
  EXPECT_EQ(Deduce("{'a': 1}.all(k, k.startsWith('a'))"), "bool");
  EXPECT_EQ(Deduce("optional.of(1).orValue(2)"), "int");
  EXPECT_EQ(Deduce("cel.bind(x, 'a', x + x)"), "string");
}

TEST(CheckerTest, UsesVariableDeclarations) {
  Env env;
  env.DeclareVariable("object", T("map(string, dyn)"));
  env.DeclareVariable("names", T("list(string)"));
  env.DeclareVariable("untyped");
  EXPECT_EQ(Deduce("object.spec", env), "dyn");
  EXPECT_EQ(Deduce("names.exists(n, n == 'a')", env), "bool");
  EXPECT_EQ(Deduce("names.filter(n, size(n) > 2)", env), "list(string)");
  EXPECT_EQ(Deduce("untyped + 1", env), "int");
  EXPECT_THAT(Deduce("names + [1]", env), HasSubstr("no matching overload for '_+_'"));
  EXPECT_THAT(Deduce("nope.x", env), HasSubstr("1:1: undeclared reference to 'nope'"));
  EXPECT_THAT(Deduce("names.all(n, n)", env),
              HasSubstr("no matching overload for '_&&_' applied to '(bool, string)'"));
  EXPECT_THAT(Deduce("1.all(x, true)", env), HasSubstr("cannot be the range"));
  EXPECT_THAT(Deduce("names.size.x", env), HasSubstr("does not support field selection"));
}

TEST(CheckerTest, ResolvesFunctionOverloadsWithTypeParameters) {
  Env env;
  env.DeclareFunction("pick", {{"pick_list_int", {T("list(A)"), T("int")}, T("A")}});
  env.DeclareFunction("first", {{"first_list", {T("list(E)")}, T("E"), /*member=*/true}});
  EXPECT_EQ(Deduce("pick(['a'], 0)", env), "string");
  EXPECT_EQ(Deduce("[[1u]].first()", env), "list(uint)");
  EXPECT_THAT(Deduce("pick('a', 0)", env),
              HasSubstr("no matching overload for 'pick' applied to '(string, int)'"));
  EXPECT_THAT(Deduce("first([1])", env), HasSubstr("no matching overload for 'first'"));
}

TEST(CheckerTest, MessagesWrappersAndNull) {
  Env env;
  env.container = "google.protobuf";
  EXPECT_EQ(Deduce("Int64Value{value: 1}", env), "wrapper(int)");
  EXPECT_EQ(Deduce("true ? Int64Value{value: 1} : null", env), "wrapper(int)");
  // Struct is a JSON object: a map from string to dyn.
  EXPECT_EQ(Deduce("Struct{fields: {'a': Value{string_value: 'x'}}}", env), "map(string, dyn)");
  EXPECT_THAT(Deduce("Timestamp{seconds: 'x'}", env),
              HasSubstr("expected type of field 'seconds' is 'int' but provided type is 'string'"));
  EXPECT_THAT(Deduce("Timestamp{nope: 1}", env), HasSubstr("undefined field 'nope'"));
}

TEST(CheckerTest, CompileChecksWhenDeclarationsAreTyped) {
  Env env;
  env.DeclareVariable("replicas", Type::Int());
  absl::StatusOr<std::shared_ptr<const Program>> program = Compile("replicas > 2", env);
  ASSERT_TRUE(program.ok()) << program.status();
  EXPECT_EQ((*program)->result_type(), Type::Bool());
  EXPECT_THAT(
      Compile("replicas.startsWith('a')", env),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("<input>:1:9: found no matching overload for 'startsWith' applied to "
                         "'int.(string)'")));
  // Untyped environments are not checked (the error comes at run time).
  Env untyped;
  untyped.DeclareVariable("replicas");
  EXPECT_TRUE(Compile("replicas.startsWith('a')", untyped).ok());
}

}  // namespace
}  // namespace bulwark::cel
