// Tests of TarArchive against archives written by GNU tar (ustar, pax, GNU long names, sparse
// members, links) and compressed by gzip: every member read in place must equal `tar -xO`.
#include "bulwark/image/tar_archive_source.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <thread>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

std::string TempDir() { return std::getenv("TEST_TMPDIR"); }

// Runs `command` under sh and returns its stdout; the test fails when it exits non-zero.
std::string Shell(const std::string& command) {
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while (pipe != nullptr && (n = fread(buffer, 1, sizeof(buffer), pipe)) > 0) {
    output.append(buffer, n);
  }
  int rc = pipe == nullptr ? -1 : pclose(pipe);
  EXPECT_EQ(rc, 0) << command;
  return output;
}

class TarArchiveTest : public ::testing::TestWithParam<const char*> {
 protected:
  // A tree with long names, a sparse file, links and files around the 512-byte block size.
  static void SetUpTestSuite() {
    const std::string long_dir(120, 'd');
    Shell(absl::StrCat("rm -rf ", TempDir(), "/tree && mkdir -p ", TempDir(), "/tree/", long_dir,
                       " && cd ", TempDir(), "/tree && printf 'x' > one",
                       " && head -c 512 /dev/urandom > block && head -c 70000 /dev/urandom > ",
                       long_dir, "/", std::string(90, 'f'), " && : > empty",
                       " && truncate -s 3M sparse && printf 'end' >> sparse",
                       " && ln one hard && ln -s one soft"));
  }

  // The archive for the parameter: "<tar format>[ gzip]".
  std::string MakeArchive() {
    std::vector<std::string> words = absl::StrSplit(GetParam(), ' ');
    std::string path = absl::StrCat(TempDir(), "/", words[0], words.size() > 1 ? ".tgz" : ".tar");
    Shell(absl::StrCat("cd ", TempDir(), "/tree && tar --sparse --format=", words[0], " -cf - . ",
                       words.size() > 1 ? "| gzip " : "", "> ", path));
    return path;
  }
};

TEST_P(TarArchiveTest, EveryMemberEqualsGnuTarExtraction) {
  const std::string path = MakeArchive();
  auto archive = TarArchive::Open(path, core::Limits());
  ASSERT_THAT(archive, IsOk());
  std::vector<std::string> names =
      absl::StrSplit(Shell(absl::StrCat("cd ", TempDir(), "/tree && find . -type f | cut -c3-")),
                     '\n', absl::SkipEmpty());
  names.push_back("soft");
  ASSERT_GE(names.size(), 7u);
  for (const std::string& name : names) {
    SCOPED_TRACE(name);
    absl::StatusOr<std::string> content = (*archive)->ReadMember(name, 8 << 20);
    ASSERT_THAT(content, IsOk());
    // `tar -xO` prints nothing for links: compare with the member they lead to.
    const bool link = name == "soft" || name == "hard";
    EXPECT_EQ(*content, Shell(absl::StrCat("tar -xOf ", path, " ./", link ? "one" : name)));
    EXPECT_EQ((*archive)->MemberSize(name).value_or(-1), static_cast<int64_t>(content->size()));
  }
  EXPECT_THAT((*archive)->OpenMember("missing"), StatusIs(absl::StatusCode::kNotFound));
}

TEST_P(TarArchiveTest, MembersReadFromSeveralThreads) {
  auto archive = TarArchive::Open(MakeArchive(), core::Limits());
  ASSERT_THAT(archive, IsOk());
  const std::string expected = *(*archive)->ReadMember("block", 1 << 20);
  std::vector<std::thread> threads;
  std::vector<std::string> read(4);
  for (size_t i = 0; i < read.size(); ++i) {
    threads.emplace_back([&, i] {
      read[i] = (*archive)->ReadMember(i % 2 ? "block" : "hard", 1 << 20).value_or("error");
    });
  }
  for (std::thread& thread : threads) thread.join();
  EXPECT_EQ(read[0], "x");
  EXPECT_EQ(read[1], expected);
  EXPECT_EQ(read[2], "x");
  EXPECT_EQ(read[3], expected);
}

// ustar cannot hold the long names or the sparse file.
INSTANTIATE_TEST_SUITE_P(Formats, TarArchiveTest,
                         ::testing::Values("gnu", "pax", "pax gzip", "gnu gzip"),
                         [](const auto& info) {
                           std::string name = info.param;
                           std::replace(name.begin(), name.end(), ' ', '_');
                           return name;
                         });

// Members of an uncompressed archive are read in place, at the offsets found by Open().
TEST(TarArchiveChangeTest, TruncatedAfterOpenIsDataLoss) {
  const std::string dir = TempDir() + "/change";
  Shell(absl::StrCat("rm -rf ", dir, " && mkdir -p ", dir, "/t && head -c 100000 /dev/urandom > ",
                     dir, "/t/big && tar -C ", dir, "/t -cf ", dir, "/a.tar big"));
  auto archive = TarArchive::Open(dir + "/a.tar", core::Limits());
  ASSERT_THAT(archive, IsOk());
  Shell(absl::StrCat("truncate -s 50000 ", dir, "/a.tar"));
  EXPECT_THAT((*archive)->ReadMember("big", 1 << 20),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("before the member's end")));
}

}  // namespace
}  // namespace bulwark::image
