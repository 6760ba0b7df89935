#include "bulwark/core/digest.h"

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

// FIPS 180-2 and RFC 1321 test vectors for the message "abc".
TEST(DigestBytesTest, MatchesPublishedVectors) {
  EXPECT_EQ(DigestBytes(DigestAlgorithm::kSha256, "abc").ToString(),
            "sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(DigestBytes(DigestAlgorithm::kSha512, "abc").Hex(),
            "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
            "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
  EXPECT_EQ(DigestBytes(DigestAlgorithm::kMd5, "abc").Hex(), "900150983cd24fb0d6963f7d28e17f72");
  EXPECT_EQ(DigestBytes(DigestAlgorithm::kSha256, "").Hex(),
            "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
}

TEST(HasherTest, PiecewiseEqualsWholeAndResetsAfterFinish) {
  Hasher hasher(DigestAlgorithm::kSha256);
  hasher.Update("a");
  hasher.Update("");
  hasher.Update("bc");
  Digest first = hasher.Finish();
  EXPECT_EQ(first, DigestBytes(DigestAlgorithm::kSha256, "abc"));
  hasher.Update("abc");
  EXPECT_EQ(hasher.Finish(), first);
}

// The file digest must equal what coreutils' sha256sum/sha512sum/md5sum print for the same file.
TEST(DigestFileTest, AgreesWithCoreutils) {
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/data.bin");
  {
    std::ofstream out(path, std::ios::binary);
    for (int i = 0; i < 3'000'000; ++i) out.put(static_cast<char>((i * 7919) & 0xFF));
  }
  const std::pair<DigestAlgorithm, const char*> kTools[] = {
      {DigestAlgorithm::kSha256, "sha256sum"},
      {DigestAlgorithm::kSha512, "sha512sum"},
      {DigestAlgorithm::kMd5, "md5sum"},
  };
  for (const auto& [algorithm, tool] : kTools) {
    FILE* pipe = popen(absl::StrCat(tool, " ", path).c_str(), "r");
    ASSERT_NE(pipe, nullptr);
    char buffer[256] = {};
    ASSERT_NE(fgets(buffer, sizeof(buffer), pipe), nullptr);
    pclose(pipe);
    std::string expected(buffer, std::string(buffer).find(' '));
    auto digest = DigestFile(path, algorithm);
    ASSERT_THAT(digest, IsOk());
    EXPECT_EQ(digest->Hex(), expected) << tool;
  }
}

TEST(DigestFileTest, MissingFileIsNotFoundNamingThePath) {
  EXPECT_THAT(DigestFile("/nonexistent/bulwark-file", DigestAlgorithm::kSha256),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/bulwark-file")));
  EXPECT_THAT(DigestFile("/", DigestAlgorithm::kSha256),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("directory")));
}

TEST(DigestParseTest, RoundTripsEachAlgorithm) {
  for (DigestAlgorithm algorithm :
       {DigestAlgorithm::kSha256, DigestAlgorithm::kSha512, DigestAlgorithm::kMd5}) {
    Digest digest = DigestBytes(algorithm, "bulwark");
    auto parsed = Digest::Parse(digest.ToString());
    ASSERT_THAT(parsed, IsOk());
    EXPECT_EQ(*parsed, digest);
    EXPECT_EQ(parsed->ToString(), digest.ToString());
  }
}

TEST(DigestParseTest, RejectsTextOutsideTheOciGrammar) {
  const std::string hex64(64, 'a');
  for (const std::string& text : std::vector<std::string>{
           std::string(""),
           std::string("sha256"),
           "sha256" + hex64,
           ":" + hex64,
           "sha256:",
           "SHA256:" + hex64,
           "sha256:" + std::string(64, 'A'),
           "sha256:" + std::string(63, 'a'),
           "sha256:" + std::string(65, 'a'),
           "sha256:" + std::string(63, 'a') + "g",
           "sha256::" + hex64,
           "sha256:" + hex64 + "\n",
           "sha+:" + hex64,
           "sha512:" + hex64,
       }) {
    EXPECT_THAT(Digest::Parse(text), StatusIs(absl::StatusCode::kInvalidArgument)) << text;
  }
}

TEST(DigestParseTest, WellFormedUnknownAlgorithmIsUnimplemented) {
  EXPECT_THAT(Digest::Parse("blake3:abcd"),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("blake3")));
  EXPECT_THAT(Digest::Parse("multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8"),
              StatusIs(absl::StatusCode::kUnimplemented));
}

TEST(DigestTest, EqualityComparesAlgorithmAndBytes) {
  Digest sha = DigestBytes(DigestAlgorithm::kSha256, "x");
  EXPECT_NE(sha, DigestBytes(DigestAlgorithm::kSha256, "y"));
  EXPECT_NE(DigestBytes(DigestAlgorithm::kMd5, "x"), sha);
  EXPECT_THAT(Digest::FromBytes(DigestAlgorithm::kSha256, "short"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

}  // namespace
}  // namespace bulwark::core
