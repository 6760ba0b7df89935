#include "bulwark/core/value.h"

#include <cmath>
#include <limits>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ValueLookupTest, FollowsKeysIndexesAndQuotedKeys) {
  auto doc = ParseJson(R"({"metadata": {"labels": {"app.kubernetes.io/name": "web"}},
                           "spec": {"containers": [{"image": "a"}, {"image": "b"}]}})");
  ASSERT_THAT(doc, IsOk());
  EXPECT_EQ((*doc->Lookup("spec.containers[1].image"))->string_value(), "b");
  EXPECT_EQ((*doc->Lookup(R"(metadata.labels["app.kubernetes.io/name"])"))->string_value(), "web");
  EXPECT_EQ((*doc->Lookup("metadata.labels['app.kubernetes.io/name']"))->string_value(), "web");
  EXPECT_EQ(*doc->Lookup(""), &*doc);
}

TEST(ValueLookupTest, MissingStepIsNotFoundNamingWhereItStopped) {
  auto doc = ParseJson("{\"spec\": {\"containers\": [{\"image\": \"a\"}]}}");
  ASSERT_THAT(doc, IsOk());
  EXPECT_THAT(doc->Lookup("spec.containers[3].image"),
              StatusIs(absl::StatusCode::kNotFound,
                       HasSubstr("no [3] in \"spec.containers\", a list (1:25)")));
  EXPECT_THAT(doc->Lookup("spec.volumes"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no .volumes in \"spec\"")));
  EXPECT_THAT(doc->Lookup("spec.containers.image"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(ValueLookupTest, MalformedPathIsInvalidArgument) {
  Value v;
  for (const char* path : {"a..b", ".a", "a.", "a[", "a[-1]", "a[x]", "a[\"b]", "a[0]b", "[+1]"}) {
    EXPECT_THAT(v.Lookup(path), StatusIs(absl::StatusCode::kInvalidArgument)) << path;
  }
}

TEST(ValueTest, ToJsonEscapesAndEncodes) {
  ValueMap map;
  map.push_back({"s", Value("a\"b\\c\n\x01")});
  map.push_back({"b", Value(Bytes{"hi"})});
  map.push_back({"d", Value(2.0)});
  map.push_back({"n", Value(std::numeric_limits<double>::quiet_NaN())});
  map.push_back({"i", Value(-std::numeric_limits<double>::infinity())});
  map.push_back({"u", Value(uint64_t{18446744073709551615u})});
  map.push_back({"l", Value(ValueList{Value(), Value(true), Value(-3)})});
  EXPECT_EQ(Value(std::move(map)).ToJson(),
            R"({"s":"a\"b\\c\n\u0001","b":"aGk=","d":2.0,"n":"NaN","i":"-Infinity",)"
            R"("u":18446744073709551615,"l":[null,true,-3]})");
  EXPECT_EQ(Value(0.1).ToJson(), "0.1");
  EXPECT_EQ(Value(1e300).ToJson(), "1e+300");
}

TEST(ValueTest, EqualityIgnoresPositionsButNotKinds) {
  Value a(int64_t{1});
  Value b(int64_t{1});
  b.set_position({3, 4});
  EXPECT_EQ(a, b);
  EXPECT_NE(Value(int64_t{1}), Value(uint64_t{1}));
  EXPECT_NE(Value(int64_t{1}), Value(1.0));
  EXPECT_EQ(KindName(Value::Kind::kMap), "map");
}

}  // namespace
}  // namespace bulwark::core
