#include "bulwark/image/secrets/keyword_set.h"

#include <memory>
#include <random>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::secrets {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

// A compiled set; the test fails when it does not compile.
std::unique_ptr<const KeywordSet> MustCreate(const std::vector<std::string>& keywords) {
  absl::StatusOr<std::unique_ptr<const KeywordSet>> set = KeywordSet::Create(keywords);
  EXPECT_THAT(set.status(), IsOk());
  return set.ok() ? *std::move(set) : nullptr;
}

// What Find must return, computed the slow obvious way.
std::vector<int> Expected(const std::vector<std::string>& keywords, const std::string& text) {
  const std::string lower = absl::AsciiStrToLower(text);
  std::vector<int> found;
  for (size_t i = 0; i < keywords.size(); ++i) {
    if (absl::StrContains(lower, absl::AsciiStrToLower(keywords[i]))) {
      found.push_back(static_cast<int>(i));
    }
  }
  return found;
}

TEST(KeywordSetTest, FindsEachPresentKeywordOnceInAnyAsciiCase) {
  auto set = MustCreate({"akia", "sk", "sk_live_", "://"});
  ASSERT_NE(set, nullptr);
  std::vector<int> found;
  ASSERT_THAT(set->Find("x AKIA y Sk_LiVe_1 sk sk https://", found), IsOk());
  EXPECT_THAT(found, ElementsAre(0, 1, 2, 3));
  ASSERT_THAT(set->Find("nothing here: s k, ak ia", found), IsOk());
  EXPECT_THAT(found, IsEmpty());
  ASSERT_THAT(set->Find("", found), IsOk());
  EXPECT_THAT(found, IsEmpty());
  ASSERT_THAT(set->Find("ends with sk", found), IsOk());
  EXPECT_THAT(found, ElementsAre(1));
}

TEST(KeywordSetTest, NonLettersAndBinaryBytesMatchExactly) {
  const std::string nul_keyword("a\0b", 3);
  auto set = MustCreate({"\xc9t\xc9", nul_keyword, "[x]"});
  ASSERT_NE(set, nullptr);
  std::vector<int> found;
  // Latin-1 É (0xc9) is not folded to é (0xe9).
  ASSERT_THAT(set->Find("\xc9T\xc9 and \xe9t\xe9", found), IsOk());
  EXPECT_THAT(found, ElementsAre(0));
  ASSERT_THAT(set->Find(std::string("zz A\0B [X]", 10), found), IsOk());
  EXPECT_THAT(found, ElementsAre(1, 2));
}

TEST(KeywordSetTest, AgreesWithASubstringSearchOnRandomText) {
  const std::vector<std::string> keywords = {
      "ghp_", "xoxb-",       "password",        "sk",   "eyj", "-----begin",
      "a",    "Private Key", "hooks.slack.com", "_auth"};
  auto set = MustCreate(keywords);
  ASSERT_NE(set, nullptr);
  std::mt19937 random(7);
  const std::string alphabet = "abcdeghijkopsyxPASWORDK_-.:/ \n";
  for (int round = 0; round < 300; ++round) {
    std::string text;
    const size_t length = random() % 400;
    for (size_t i = 0; i < length; ++i) {
      if (random() % 50 == 0) {
        text += keywords[random() % keywords.size()];
      } else {
        text += alphabet[random() % alphabet.size()];
      }
    }
    std::vector<int> found;
    ASSERT_THAT(set->Find(text, found), IsOk());
    EXPECT_EQ(found, Expected(keywords, text)) << text;
  }
}

TEST(KeywordSetTest, ConcurrentFinds) {
  auto set = MustCreate({"needle", "thread"});
  ASSERT_NE(set, nullptr);
  std::vector<std::thread> threads;
  std::vector<int> ok(8, 0);
  for (int t = 0; t < 8; ++t) {
    threads.emplace_back([&, t] {
      for (int i = 0; i < 200; ++i) {
        std::vector<int> found;
        const std::string text = t % 2 == 0 ? "a NEEDLE here" : "a thread there";
        if (set->Find(text, found).ok() && found == std::vector<int>{t % 2 == 0 ? 0 : 1}) ++ok[t];
      }
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_THAT(ok, ::testing::Each(200));
}

TEST(KeywordSetTest, RejectsEmptyListsAndKeywords) {
  EXPECT_THAT(KeywordSet::Create({}), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(KeywordSet::Create({"ok", ""}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("keyword 1")));
  EXPECT_THAT(KeywordSet::Create({std::string(KeywordSet::kMaxKeywordBytes + 1, 'x')}),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::secrets
