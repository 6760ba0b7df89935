#include "bulwark/core/file.h"

#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <fstream>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

std::string WriteTemp(const std::string& name, const std::string& contents) {
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/", name);
  std::ofstream(path, std::ios::binary) << contents;
  return path;
}

TEST(ReadFileToStringTest, ReadsWholeFileUpToTheCap) {
  std::string path = WriteTemp("five", "12345");
  EXPECT_EQ(*ReadFileToString(path, 5), "12345");
  EXPECT_THAT(ReadFileToString(path, 4),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_file_bytes (4)")));
}

TEST(ReadFileToStringTest, ErrorsNameThePathAndCause) {
  EXPECT_THAT(ReadFileToString("/nonexistent/x", 10),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("/nonexistent/x: No such file")));
  EXPECT_THAT(ReadFileToString(std::getenv("TEST_TMPDIR"), 10),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("is a directory")));
}

TEST(ReadFileToStringTest, UnreadableFileIsPermissionDenied) {
  if (geteuid() == 0) GTEST_SKIP() << "root reads files whatever their mode";
  std::string path = WriteTemp("secret", "x");
  chmod(path.c_str(), 0);
  EXPECT_THAT(ReadFileToString(path, 10),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr(path)));
}

TEST(ErrnoToStatusTest, MapsCommonCodes) {
  EXPECT_THAT(ErrnoToStatus(EACCES, "p"),
              StatusIs(absl::StatusCode::kPermissionDenied, HasSubstr("p: ")));
  EXPECT_THAT(ErrnoToStatus(ENOENT, "p"), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(ErrnoToStatus(ENOSPC, "p"), StatusIs(absl::StatusCode::kResourceExhausted));
  EXPECT_THAT(ErrnoToStatus(EIO, "p"), StatusIs(absl::StatusCode::kUnknown));
}

TEST(ForEachFileChunkTest, StreamsEveryByteInOrder) {
  std::string contents;
  for (int i = 0; i < 3 * (1 << 20) + 17; ++i) contents.push_back(static_cast<char>(i % 251));
  std::string path = WriteTemp("big", contents);
  std::string seen;
  int chunks = 0;
  ASSERT_THAT(ForEachFileChunk(path,
                               [&](absl::string_view chunk) {
                                 ++chunks;
                                 seen.append(chunk.data(), chunk.size());
                               }),
              IsOk());
  EXPECT_EQ(seen, contents);
  EXPECT_GE(chunks, 4);
}

}  // namespace
}  // namespace bulwark::core
