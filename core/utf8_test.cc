#include "bulwark/core/utf8.h"

#include <string>

#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

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

}  // namespace
}  // namespace bulwark::core
