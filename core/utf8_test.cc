#include "bulwark/core/utf8.h"

#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;

// The examples of RFC 3629 section 7, as code points and bytes.
struct RfcExample {
  std::u32string code_points;
  std::string bytes;
};

const RfcExample kRfcExamples[] = {
    {U"\u0041\u2262\u0391\u002E", "\x41\xE2\x89\xA2\xCE\x91\x2E"},
    {U"\uD55C\uAD6D\uC5B4", "\xED\x95\x9C\xEA\xB5\xAD\xEC\x96\xB4"},
    {U"\u65E5\u672C\u8A9E", "\xE6\x97\xA5\xE6\x9C\xAC\xE8\xAA\x9E"},
    {U"\U000233B4", "\xF0\xA3\x8E\xB4"},
};

TEST(Utf8Test, DecodesAndEncodesTheRfcExamples) {
  for (const RfcExample& example : kRfcExamples) {
    EXPECT_EQ(DecodeUtf8(example.bytes), example.code_points);
    EXPECT_EQ(EncodeUtf8(example.code_points), example.bytes);
    EXPECT_TRUE(IsValidUtf8(example.bytes));
  }
}

TEST(Utf8Test, DecodeCodePointReturnsTheSequenceLength) {
  const std::string text = "\x41\xE2\x89\xA2\xF0\xA3\x8E\xB4";
  char32_t code_point = 0;
  EXPECT_EQ(DecodeUtf8CodePoint(text, 0, code_point), 1u);
  EXPECT_EQ(code_point, U'A');
  EXPECT_EQ(DecodeUtf8CodePoint(text, 1, code_point), 3u);
  EXPECT_EQ(code_point, U'\u2262');
  EXPECT_EQ(DecodeUtf8CodePoint(text, 4, code_point), 4u);
  EXPECT_EQ(code_point, U'\U000233B4');
  EXPECT_EQ(DecodeUtf8CodePoint(text, 2, code_point), 0u) << "a continuation byte cannot start";
}

TEST(Utf8Test, RejectsWhatRfc3629Forbids) {
  for (const std::string& bad : {
           std::string("\xC0\xAF"),          // overlong "/"
           std::string("\xE0\x80\xAF"),      // overlong "/", 3 bytes
           std::string("\xED\xA0\x80"),      // surrogate U+D800
           std::string("\xF4\x90\x80\x80"),  // U+110000
           std::string("\xE2\x89"),          // truncated
           std::string("\xFF"),              // never valid
       }) {
    char32_t code_point;
    EXPECT_EQ(DecodeUtf8CodePoint(bad, 0, code_point), 0u);
    EXPECT_FALSE(IsValidUtf8(bad));
    EXPECT_EQ(DecodeUtf8(bad)[0], U'\uFFFD');
  }
}

// The worked example of the Unicode Standard, section 3.9, "U+FFFD Substitution of Maximal
// Subparts", Table 3-8 (Use of U+FFFD in UTF-8 Conversion): the maximal subparts of
// 61 F1 80 80 E1 80 C2 62 80 63 80 BF 64 are <F1 80 80>, <E1 80>, <C2>, <80>, <80> and <BF>,
// so the text converts to 0061 FFFD FFFD FFFD 0062 FFFD 0063 FFFD FFFD 0064.
TEST(Utf8Test, SanitizeReplacesEachMaximalSubpartAsInUnicodeTable3_8) {
  const std::string input = "\x61\xF1\x80\x80\xE1\x80\xC2\x62\x80\x63\x80\xBF\x64";
  const std::string sanitized = SanitizeUtf8(input);
  EXPECT_EQ(DecodeUtf8(sanitized), U"a\uFFFD\uFFFD\uFFFDb\uFFFDc\uFFFD\uFFFDd");
  EXPECT_TRUE(IsValidUtf8(sanitized));
  EXPECT_FALSE(IsValidUtf8(input));
  // DecodeUtf8 replaces per byte instead (<F1 80 80> gives three U+FFFD, not one).
  EXPECT_EQ(DecodeUtf8(input).size(), 13u);
}

TEST(Utf8Test, SanitizeKeepsWellFormedText) {
  for (const RfcExample& example : kRfcExamples) {
    EXPECT_EQ(SanitizeUtf8(example.bytes), example.bytes);
  }
  EXPECT_EQ(SanitizeUtf8(""), "");
  EXPECT_EQ(SanitizeUtf8(std::string("a\0b", 3)), std::string("a\0b", 3));
}

// Sanitizing must agree with Python's bytes.decode("utf-8", "replace"), which follows the
// Unicode recommendation for replacement characters.
TEST(Utf8Test, SanitizeAgreesWithPython) {
  if (!testing::HaveProgram("python3")) GTEST_SKIP() << "python3 not installed";
  const std::vector<std::string> inputs = {
      "plain",
      "caf\xc3\xa9",
      "caf\xe9",
      "\xc0\xaf",
      "\xed\xa0\x80x",
      "\xf4\x90\x80\x80",
      "\xe2\x82",
      "\xe2\x82\xac\xe2",
      "\xf0\x9f\x98\x80!",
      "\xff\xfe",
      "a\xe1\x80\xe2\xf0\x91\x92\xf1\xbfz",
  };
  for (const std::string& input : inputs) {
    std::string hex = absl::BytesToHexString(input);
    auto expected = testing::RunCommand(
        absl::StrCat("python3 -c 'import sys; sys.stdout.buffer.write(bytes.fromhex(\"", hex,
                     "\").decode(\"utf-8\", \"replace\").encode())'"));
    ASSERT_THAT(expected, IsOk());
    EXPECT_EQ(SanitizeUtf8(input), *expected) << hex;
    EXPECT_EQ(IsValidUtf8(input), *expected == input) << hex;
  }
}

}  // namespace
}  // namespace bulwark::core
