#include <cmath>
#include <cstdint>
#include <limits>
#include <string>

#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

TEST(ParseJsonTest, ReadsEveryKind) {
  auto value = ParseJson(R"({"n": null, "t": true, "f": false, "i": -42, "u": 18446744073709551615,
                            "d": 1.5, "e": 1e3, "s": "h\u00e9\n", "l": [1, "x"], "m": {}})");
  ASSERT_THAT(value, IsOk());
  EXPECT_TRUE(value->Find("n")->is_null());
  EXPECT_TRUE(value->Find("t")->bool_value());
  EXPECT_FALSE(value->Find("f")->bool_value());
  EXPECT_EQ(value->Find("i")->int_value(), -42);
  EXPECT_EQ(value->Find("u")->uint_value(), std::numeric_limits<uint64_t>::max());
  EXPECT_EQ(value->Find("d")->double_value(), 1.5);
  EXPECT_EQ(value->Find("e")->double_value(), 1000.0);
  EXPECT_EQ(value->Find("s")->string_value(), "h\xC3\xA9\n");
  EXPECT_EQ(value->Find("l")->list_value().size(), 2u);
  EXPECT_TRUE(value->Find("m")->is_map());
  EXPECT_EQ(value->map_value()[0].key, "n");  // Document order.
  EXPECT_EQ(value->map_value()[9].key, "m");
}

TEST(ParseJsonTest, IntegerBoundaries) {
  EXPECT_EQ(ParseJson("9223372036854775807")->int_value(), std::numeric_limits<int64_t>::max());
  EXPECT_EQ(ParseJson("-9223372036854775808")->int_value(), std::numeric_limits<int64_t>::min());
  EXPECT_EQ(ParseJson("9223372036854775808")->uint_value(), uint64_t{1} << 63);
  auto big = ParseJson("[123456789012345678901234567890]");
  ASSERT_THAT(big, IsOk());
  EXPECT_DOUBLE_EQ(big->list_value()[0].double_value(), 1.2345678901234568e29);
  EXPECT_THAT(ParseJson("[-123456789012345678901234567890]"), IsOk());
}

TEST(ParseJsonTest, ScalarDocuments) {
  EXPECT_EQ(ParseJson("\"x\"")->string_value(), "x");
  EXPECT_EQ(ParseJson(" 7 ")->int_value(), 7);
  EXPECT_TRUE(ParseJson("null")->is_null());
}

TEST(ParseJsonTest, KeepsLineAndColumnOfEachValue) {
  auto value = ParseJson(
      "{\n  \"spec\": {\n    \"containers\": [\n      {\"image\": \"nginx\"}\n    ]\n  }\n}",
      Limits(), "pod.json");
  ASSERT_THAT(value, IsOk());
  EXPECT_EQ(value->position(), (SourcePosition{1, 1}));
  auto image = value->Lookup("spec.containers[0].image");
  ASSERT_THAT(image, IsOk());
  EXPECT_EQ((*image)->position(), (SourcePosition{4, 17}));
  EXPECT_EQ((*value->Lookup("spec.containers"))->position(), (SourcePosition{3, 19}));
}

TEST(ParseJsonTest, MalformedInputNamesLineAndColumn) {
  EXPECT_THAT(ParseJson("{\n  \"a\": 1,\n  \"b\": tru\n}", Limits(), "x.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("x.json:3:")));
  EXPECT_THAT(ParseJson("[1, 2"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson(""), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("<json>:1:1")));
  EXPECT_THAT(ParseJson("[1] [2]"), StatusIs(absl::StatusCode::kInvalidArgument,
                                             HasSubstr("1:5: invalid JSON: unexpected content")));
  EXPECT_THAT(ParseJson("{\"a\": 1,}"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("[01]"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("[1.]"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("\"\xff\""), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("[\"a\\q\"]"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ParseJson("[NaN]"), StatusIs(absl::StatusCode::kInvalidArgument));
  for (const char* text :
       {"null-", "null[1]", "null 1", "null\f", "true[1]", "\"a\"[1]", "1[1]", "nullx", "true1",
        "falsey", "[null-]", "{\"a\": truex}", "1x", "[1-]", "-", "[-]", "tru", "[nul]"}) {
    EXPECT_THAT(ParseJson(text), StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  }
  EXPECT_TRUE(ParseJson(" null \n")->is_null());
  EXPECT_TRUE(ParseJson("null\n")->is_null());
  EXPECT_EQ(ParseJson("\n  7")->position(), (SourcePosition{2, 3}));
  EXPECT_FALSE(ParseJson("false")->bool_value());
  EXPECT_TRUE(ParseJson("[true ,false]\t")->list_value()[0].bool_value());
}

TEST(ParseJsonTest, DuplicateKeysAreRejected) {
  EXPECT_THAT(ParseJson("{\"a\": 1,\n \"a\": 2}"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("2:7: invalid JSON: duplicate key \"a\"")));
  std::string many = "{";
  for (int i = 0; i < 100; ++i) many += "\"k" + std::to_string(i) + "\": 0,";
  EXPECT_THAT(ParseJson(many + "\"k99\": 1}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("duplicate key \"k99\"")));
  EXPECT_THAT(ParseJson(many + "\"k100\": 1}"), IsOk());
}

TEST(ParseJsonTest, DepthBeyondLimitIsResourceExhausted) {
  Limits limits;
  limits.max_depth = 10;
  EXPECT_THAT(ParseJson(std::string(10, '[') + std::string(10, ']'), limits), IsOk());
  EXPECT_THAT(ParseJson(std::string(11, '[') + std::string(11, ']'), limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_depth (10)")));
  // The default limit holds against a hostile document far deeper than any real one.
  EXPECT_THAT(ParseJson(std::string(100000, '[') + std::string(100000, ']')),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_depth")));
  // A caller cannot raise the depth past what the recursive reader supports.
  limits.max_depth = 1'000'000;
  EXPECT_THAT(ParseJson(std::string(100000, '[') + std::string(100000, ']'), limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_depth (1000)")));
}

TEST(ParseJsonTest, EntriesAndSizeLimits) {
  Limits limits;
  limits.max_entries = 3;
  EXPECT_THAT(ParseJson("[1,2]", limits), IsOk());
  EXPECT_THAT(ParseJson("[1,2,3]", limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries (3)")));
  limits = Limits();
  limits.max_file_bytes = 4;
  EXPECT_THAT(ParseJson("[1,2]", limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_file_bytes")));
}

TEST(ParseJsonTest, RoundTripsThroughToJson) {
  const std::string text =
      R"({"a":[1,-2,18446744073709551615,0.1,1e+300,"q\"\\\n\u0001"],"b":{"c":null,"d":true}})";
  auto value = ParseJson(text);
  ASSERT_THAT(value, IsOk());
  auto again = ParseJson(value->ToJson());
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ(*again, *value);
  EXPECT_EQ(ParseJson("[1.0]")->ToJson(), "[1.0]");
  // Integers beyond uint64 come back as the same double.
  auto big = ParseJson("[18446744073729551615, 123456700006805523252648020691]");
  ASSERT_THAT(big, IsOk());
  EXPECT_EQ(big->ToJson(), "[1.8446744073729552e+19,1.2345670000680552e+29]");
  // Long decimals that simdjson's portable kernel declines still read as the nearest double.
  EXPECT_EQ(ParseJson("18446744073729552384.0")->double_value(), 18446744073729552384.0);
  EXPECT_EQ(ParseJson("0e03456789012345678901")->double_value(), 0.0);
  EXPECT_EQ(ParseJson("[-0.0e-99999999999999999999]")->list_value()[0].double_value(), 0.0);
  EXPECT_THAT(ParseJson("[1e400]"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("out-of-range number")));
  EXPECT_EQ(*ParseJson(big->ToJson()), *big);
}

TEST(ParseJsonFileTest, ErrorsNameThePath) {
  EXPECT_THAT(ParseJsonFile("/nonexistent/pod.json"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/pod.json")));
}

}  // namespace
}  // namespace bulwark::core
