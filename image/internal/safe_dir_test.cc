#include "bulwark/image/internal/safe_dir.h"

#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <string>

#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image::internal {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

class SafeDirTest : public ::testing::TestWithParam<BeneathMode> {
 protected:
  void SetUp() override {
    std::string pattern = std::string(getenv("TEST_TMPDIR")) + "/safe_dirXXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    std::filesystem::create_directories(base_ + "/root/a/b");
    std::filesystem::create_directories(base_ + "/outside");
    std::filesystem::create_directory_symlink(base_ + "/outside", base_ + "/root/abs_link");
    std::filesystem::create_directory_symlink("b", base_ + "/root/a/rel_link");
    std::filesystem::create_directory_symlink("../../outside", base_ + "/root/a/up_link");
    std::ofstream(base_ + "/root/file") << "x";
    root_ = UniqueFd(::open((base_ + "/root").c_str(), O_RDONLY | O_DIRECTORY));
    ASSERT_GE(root_.get(), 0);
  }
  void TearDown() override { std::filesystem::remove_all(base_); }

  absl::StatusOr<UniqueFd> Open(absl::string_view path) {
    return OpenDirectoryBeneath(root_.get(), path, "test", GetParam());
  }

  std::string base_;
  UniqueFd root_;
};

TEST_P(SafeDirTest, OpensDirectoriesBelowTheRoot) {
  for (const char* path : {"", "a", "a/b"}) {
    absl::StatusOr<UniqueFd> fd = Open(path);
    ASSERT_THAT(fd, IsOk()) << path;
    struct stat st;
    ASSERT_EQ(::fstat(fd->get(), &st), 0);
    EXPECT_TRUE(S_ISDIR(st.st_mode));
  }
}

TEST_P(SafeDirTest, NeverFollowsSymlinksEvenInsideTheRoot) {
  for (const char* path : {"abs_link", "abs_link/x", "a/rel_link", "a/up_link"}) {
    EXPECT_THAT(Open(path), StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("symlink")))
        << path;
  }
}

TEST_P(SafeDirTest, RejectsPathsThatLeaveOrAreNotNormalised) {
  for (const char* path : {"..", "../outside", "/tmp", "a/../..", "a//b", "a/./b", "a/"}) {
    EXPECT_THAT(Open(path), StatusIs(absl::StatusCode::kInvalidArgument)) << path;
  }
}

TEST_P(SafeDirTest, MissingAndNonDirectoryComponents) {
  EXPECT_THAT(Open("nope"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(Open("file"), StatusIs(absl::StatusCode::kFailedPrecondition));
  EXPECT_THAT(Open("file/x"), StatusIs(absl::StatusCode::kFailedPrecondition));
}

INSTANTIATE_TEST_SUITE_P(Modes, SafeDirTest,
                         ::testing::Values(BeneathMode::kAuto, BeneathMode::kComponentwise));

TEST(IsPlainNameTest, Names) {
  EXPECT_TRUE(IsPlainName("a"));
  EXPECT_TRUE(IsPlainName("..."));
  EXPECT_FALSE(IsPlainName(""));
  EXPECT_FALSE(IsPlainName("."));
  EXPECT_FALSE(IsPlainName(".."));
  EXPECT_FALSE(IsPlainName("a/b"));
  EXPECT_FALSE(IsPlainName(std::string("a\0b", 3)));
}

}  // namespace
}  // namespace bulwark::image::internal
