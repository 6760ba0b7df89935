#include "bulwark/examples/cli/flags.h"

#include <string>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::cli {
namespace {

using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsNull;
using ::testing::Pointee;

const std::vector<std::string> kKnownFlags = {"format", "fail-on"};

absl::StatusOr<ParsedArgs> Parse(std::vector<std::string> args) {
  return ParseArgs(args, kKnownFlags);
}

TEST(ParseArgsTest, AcceptsBothValueForms) {
  auto parsed = Parse({"--format=json", "--fail-on", "high"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->Find("format"), Pointee(std::string("json")));
  EXPECT_THAT(parsed->Find("fail-on"), Pointee(std::string("high")));
  EXPECT_THAT(parsed->Find("missing"), IsNull());
}

TEST(ParseArgsTest, FlagsMayFollowPositionalsAndLastValueWins) {
  auto parsed = Parse({"a.json", "--format=json", "b.json", "--format", "sarif"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional, ElementsAre("a.json", "b.json"));
  EXPECT_THAT(parsed->Find("format"), Pointee(std::string("sarif")));
}

TEST(ParseArgsTest, FindAllKeepsEveryValueInOrder) {
  auto parsed = Parse({"--format=json", "x", "--format", "sarif"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->FindAll("format"), ElementsAre("json", "sarif"));
  EXPECT_TRUE(parsed->FindAll("fail-on").empty());
}

TEST(ParseArgsTest, DoubleDashEndsFlagsAndSingleDashIsPositional) {
  auto parsed = Parse({"-", "--", "--format=json", "-x", "--"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->positional, ElementsAre("-", "--format=json", "-x", "--"));
  EXPECT_TRUE(parsed->flags.empty());
}

TEST(ParseArgsTest, EqualsFormKeepsEmptyValuesAndFurtherEqualsSigns) {
  auto parsed = Parse({"--format=", "--fail-on=a=b"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->Find("format"), Pointee(std::string("")));
  EXPECT_THAT(parsed->Find("fail-on"), Pointee(std::string("a=b")));
}

TEST(ParseArgsTest, SeparateValueMayLookLikeAFlag) {
  auto parsed = Parse({"--format", "--fail-on"});
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->Find("format"), Pointee(std::string("--fail-on")));
}

TEST(ParseArgsTest, RejectsUnknownFlags) {
  EXPECT_THAT(Parse({"--colour=always"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"--colour\"")));
  EXPECT_THAT(Parse({"-f", "json"}).status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"-f\"")));
}

TEST(ParseArgsTest, RejectsFlagWithoutValue) {
  EXPECT_THAT(
      Parse({"a.json", "--format"}).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("flag --format needs a value")));
}

TEST(ParseArgsTest, SwitchesTakeNoValueAndLeaveTheNextArgumentPositional) {
  const std::vector<std::string> switches = {"deleted"};
  auto parsed =
      ParseArgs(std::vector<std::string>{"--deleted", "image.tar"}, kKnownFlags, switches);
  ASSERT_TRUE(parsed.ok()) << parsed.status();
  EXPECT_THAT(parsed->Find("deleted"), Pointee(std::string("true")));
  EXPECT_THAT(parsed->positional, ElementsAre("image.tar"));
  EXPECT_THAT(
      ParseArgs(std::vector<std::string>{"--deleted=no"}, kKnownFlags, switches).status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("flag --deleted takes no value")));
}

TEST(AsksForHelpTest, FindsHelpBeforeDoubleDashOnly) {
  EXPECT_TRUE(AsksForHelp(std::vector<std::string>{"x", "--help"}));
  EXPECT_TRUE(AsksForHelp(std::vector<std::string>{"-h", "--unknown"}));
  EXPECT_FALSE(AsksForHelp(std::vector<std::string>{"--", "--help"}));
  EXPECT_FALSE(AsksForHelp(std::vector<std::string>{"--help=yes"}));
}

}  // namespace
}  // namespace bulwark::cli
