// The Kubernetes CEL libraries, checked against the behaviour Kubernetes documents for
// ValidatingAdmissionPolicy expressions (kubernetes.io "Common Expression Language in
// Kubernetes" library tables and examples).
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/cel/escaping.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::cel {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

absl::StatusOr<Value> Eval(absl::string_view expr, const core::Value* object = nullptr) {
  Env env;
  env.DeclareVariable("object");
  env.DeclareVariable("authorizer");
  absl::StatusOr<std::shared_ptr<const Program>> program = Compile(expr, env);
  if (!program.ok()) return program.status();
  Activation activation;
  if (object != nullptr) activation.BindDocument("object", *object);
  activation.Bind("authorizer", Value::Null());
  absl::StatusOr<Value> result = (*program)->Evaluate(activation);
  if (!result.ok()) return result.status();
  return result->Detach();
}

// Every expression must evaluate to true.
void ExpectTrue(std::initializer_list<absl::string_view> expressions,
                const core::Value* object = nullptr) {
  for (absl::string_view expr : expressions) {
    absl::StatusOr<Value> v = Eval(expr, object);
    ASSERT_TRUE(v.ok()) << expr << ": " << v.status();
    EXPECT_TRUE(v->is_bool() && v->bool_value()) << expr << " = " << v->DebugString();
  }
}

TEST(KubernetesListsTest, DocumentedFunctions) {
  ExpectTrue({
      "[1, 2, 3].isSorted()", "!['a', 'c', 'b'].isSorted()", "[1, 2, 3].sum() == 6",
      "[1.5, 2.5].sum() == 4.0", "[duration('1s'), duration('1m')].sum() == duration('61s')",
      "[].sum() == 0", "[1, 2, 3].min() == 1 && [1, 2, 3].max() == 3",
      "['b', 'a', 'c'].max() == 'c'",
      "[1, 2, 3, 2].indexOf(2) == 1 && [1, 2, 3, 2].lastIndexOf(2) == 3",
      "['a'].indexOf('b') == -1",
      "'abcabc'.indexOf('c') == 2 && 'abcabc'.lastIndexOf('c') == 5",  // strings still work
  });
  EXPECT_THAT(Eval("[].min()"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("min called on empty list")));
}

TEST(KubernetesRegexTest, FindAndFindAll) {
  ExpectTrue({
      "'abc 123'.find('[0-9]+') == '123'",
      "'abc'.find('[0-9]+') == ''",
      "'123 abc 456'.findAll('[0-9]+') == ['123', '456']",
      "'123 abc 456'.findAll('[0-9]+', 1) == ['123']",
      "'123 abc 456'.findAll('[0-9]+', 0) == []",
      "'abc'.findAll('x*') == ['', '', '', '']",
  });
  EXPECT_THAT(Eval("'a'.find('(')"), StatusIs(absl::StatusCode::kInvalidArgument,
                                              HasSubstr("invalid regular expression")));
}

TEST(KubernetesUrlTest, DocumentedAccessors) {
  ExpectTrue({
      "url('https://example.com/path').getScheme() == 'https'",
      "url('https://example.com:80/').getHost() == 'example.com:80'",
      "url('https://example.com/').getHostname() == 'example.com'",
      "url('https://[::1]:80/').getHost() == '[::1]:80'",
      "url('https://[::1]:80/').getHostname() == '::1'",
      "url('https://example.com:80/').getPort() == '80'",
      "url('https://example.com/').getPort() == ''",
      "url('https://example.com/path with spaces/').getEscapedPath() == "
      "'/path%20with%20spaces/'",
      "url('https://example.com/a%2Fb').getEscapedPath() == '/a%2Fb'",
      "url('/absolute-path').getScheme() == ''",
      "url('https://example.com/?k=v&k=v2&x=a+b').getQuery() == "
      "{'k': ['v', 'v2'], 'x': ['a b']}",
      "isURL('https://example.com/path')",
      "isURL('/absolute-path')",
      "!isURL('../relative-path')",
      "!isURL('example.com')",
      "!isURL('https://example.com:port/')",
      "!isURL('https://example.com/%zz')",
  });
  EXPECT_THAT(Eval("url('../x')"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("invalid URI for request")));
}

TEST(KubernetesQuantityTest, DocumentedFunctions) {
  ExpectTrue({
      "isQuantity('1.5Gi') && isQuantity('1e3') && isQuantity('-50m') && isQuantity('.5')",
      "!isQuantity('1.3q') && !isQuantity('') && !isQuantity('Mi')",
      "!quantity('50M').isGreaterThan(quantity('50Mi'))",
      "quantity('50Mi').isGreaterThan(quantity('50M'))",
      "quantity('1Ki').compareTo(quantity('1024')) == 0",
      "quantity('1k') == quantity('1000')",
      "quantity('50k').asInteger() == 50000",
      "!quantity('1.5').isInteger() && quantity('2000m').isInteger()",
      "quantity('1.5Gi').asApproximateFloat() == 1610612736.0",
      "quantity('-50k').sign() == -1 && quantity('0').sign() == 0",
      "quantity('50k').add(quantity('20k')) == quantity('70k')",
      "quantity('50k').sub(20000) == quantity('30k')",
      "quantity('1e3').asInteger() == 1000 && quantity('5E-3') == quantity('5m')",
      "quantity('1n').isLessThan(quantity('1u'))",
  });
  EXPECT_THAT(Eval("quantity('1.5').asInteger()"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("cannot convert")));
  EXPECT_THAT(Eval("quantity('1e900')"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(KubernetesSemverTest, DocumentedFunctions) {
  ExpectTrue({
      "isSemver('1.2.3') && !isSemver('1.2') && !isSemver('01.2.3') && !isSemver('v1.2.3')",
      "isSemver('v1.0', true) && semver('v1.0', true) == semver('1.0.0')",
      "semver('1.2.3').major() == 1 && semver('1.2.3').minor() == 2 && "
      "semver('1.2.3').patch() == 3",
      "semver('1.2.3-alpha').isLessThan(semver('1.2.3'))",
      "semver('1.0.0-alpha.1').isLessThan(semver('1.0.0-alpha.beta'))",
      "semver('1.0.0-2').isLessThan(semver('1.0.0-10'))",
      "semver('2.0.0').compareTo(semver('1.9.9')) == 1",
      "semver('1.0.0+build.1') == semver('1.0.0+build.2')",
  });
}

TEST(KubernetesFormatTest, ValidatesNamedFormats) {
  ExpectTrue({
      "format.dns1123Label().validate('my-name') == optional.none()",
      "format.dns1123Label().validate('MY_NAME').hasValue()",
      "format.named('dns1123Subdomain').value().validate('example.com') == optional.none()",
      "!format.named('nope').hasValue()",
      "format.qualifiedName().validate('example.com/MyName') == optional.none()",
      "format.labelValue().validate('') == optional.none()",
      "format.dns1035Label().validate('1abc').value().size() == 1",
      "format.dns1123LabelPrefix().validate('my-') == optional.none()",
      "format.uuid().validate('123e4567-e89b-12d3-a456-426614174000') == optional.none()",
      "format.date().validate('2024-02-30').hasValue()",
  });
  absl::StatusOr<Value> errors = Eval("format.dns1123Label().validate('Not_Valid').value()");
  ASSERT_TRUE(errors.ok()) << errors.status();
  ASSERT_EQ(errors->ListSize(), 1u);
  EXPECT_EQ(errors->ListGet(0).string_value(),
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
            "'-', and must start and end with an alphanumeric character (e.g. 'my-name',  or "
            "'123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')");
}

TEST(KubernetesAuthzTest, FailsClearlyOffline) {
  EXPECT_THAT(Eval("authorizer.group('apps').resource('deployments').check('create').allowed()"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not available offline")));
}

TEST(KubernetesEscapingTest, EscapedPropertyNames) {
  EXPECT_EQ(EscapePropertyName("a-b"), "a__dash__b");
  EXPECT_EQ(EscapePropertyName("a.b/c"), "a__dot__b__slash__c");
  EXPECT_EQ(EscapePropertyName("a__b"), "a__underscores__b");
  EXPECT_EQ(EscapePropertyName("namespace"), "__namespace__");
  EXPECT_EQ(EscapePropertyName("1a"), std::nullopt);
  EXPECT_EQ(UnescapePropertyName("x__dash__y__dot__z"), "x-y.z");
  EXPECT_EQ(UnescapePropertyName("__namespace__"), "namespace");
  absl::StatusOr<core::Value> doc =
      core::ParseJson(R"({"x-y": 1, "namespace": "ns", "a.b": 2, "has__dash__key": 3})");
  ASSERT_TRUE(doc.ok()) << doc.status();
  ExpectTrue({"object.x__dash__y == 1", "object.__namespace__ == 'ns'", "object.a__dot__b == 2",
              "has(object.x__dash__y)", "!has(object.p__dash__q)", "object.has__dash__key == 3"},
             &*doc);
}

}  // namespace
}  // namespace bulwark::cel
