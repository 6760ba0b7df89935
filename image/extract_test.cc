#include "bulwark/image/extract.h"

#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/internal/visitor_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

namespace fs = std::filesystem;
using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::bulwark::image::testing::Device;
using ::bulwark::image::testing::Dir;
using ::bulwark::image::testing::File;
using ::bulwark::image::testing::Hardlink;
using ::bulwark::image::testing::Symlink;
using ::bulwark::image::testing::TestEntry;
using ::bulwark::image::testing::TestLayer;
using ::bulwark::image::testing::WalkTestLayers;
using ::bulwark::image::testing::Whiteout;
using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::UnorderedElementsAre;

std::string Read(const std::string& path) {
  std::ifstream in(path);
  std::stringstream s;
  s << in.rdbuf();
  return s.str();
}

uint32_t Mode(const std::string& path) {
  struct stat st;
  EXPECT_EQ(::lstat(path.c_str(), &st), 0) << path;
  return st.st_mode;
}

// A scratch directory holding `dest` and a `sentinel` directory with one file, "canary". Every
// test ends by checking that nothing outside dest changed.
class ExtractTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string pattern = std::string(getenv("TEST_TMPDIR")) + "/extractXXXXXX";
    ASSERT_NE(mkdtemp(pattern.data()), nullptr);
    base_ = pattern;
    dest_ = base_ + "/dest";
    sentinel_ = base_ + "/sentinel";
    fs::create_directories(dest_);
    fs::create_directories(sentinel_);
    std::ofstream(sentinel_ + "/canary") << "canary";
  }

  void TearDown() override {
    std::vector<std::string> outside;
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(base_)) {
      std::string path = e.path().string();
      if (path.rfind(dest_ + "/", 0) != 0) outside.push_back(path);
    }
    EXPECT_THAT(outside, UnorderedElementsAre(dest_, sentinel_, sentinel_ + "/canary"));
    EXPECT_EQ(Read(sentinel_ + "/canary"), "canary");
    EXPECT_EQ(fs::hard_link_count(sentinel_ + "/canary"), 1u);
    fs::permissions(dest_, fs::perms::owner_all, fs::perm_options::add);
    for (const fs::directory_entry& e : fs::recursive_directory_iterator(dest_)) {
      if (e.is_directory() && !e.is_symlink()) {
        fs::permissions(e.path(), fs::perms::owner_all, fs::perm_options::add);
      }
    }
    fs::remove_all(base_);
  }

  // Walks `layers` once to build the merged tree and once more to extract it.
  absl::StatusOr<ExtractResult> Extract(const std::vector<TestLayer>& layers,
                                        const ExtractOptions& options = {}) {
    FilesystemBuilder builder;
    LayerVisitor* first[] = {&builder};
    absl::Status status = WalkTestLayers(layers, first);
    if (!status.ok()) return status;
    MergedFilesystem merged = std::move(builder).Finish();
    return ExtractWith(merged, layers, options);
  }

  absl::StatusOr<ExtractResult> ExtractWith(const MergedFilesystem& merged,
                                            const std::vector<TestLayer>& layers,
                                            const ExtractOptions& options = {}) {
    absl::StatusOr<std::unique_ptr<ExtractVisitor>> extract =
        ExtractVisitor::Create(merged, dest_, options);
    if (!extract.ok()) return extract.status();
    LayerVisitor* second[] = {extract->get()};
    absl::Status status = WalkTestLayers(layers, second);
    if (!status.ok()) return status;
    return std::move(**extract).Finish();
  }

  std::string base_, dest_, sentinel_;
};

TEST_F(ExtractTest, WritesTheMergedTree) {
  TestEntry old_mtime = File("etc/motd", "hello", 0640);
  old_mtime.entry.mtime = 1000000000;
  absl::StatusOr<ExtractResult> result = Extract({
      {Dir("etc"), File("etc/passwd", "v0"), File("etc/secret", "k"), Dir("bin"),
       File("bin/su", "su", 04755), Symlink("bin/sh", "su"), Dir("ro", 0555),
       File("ro/inside", "in", 0444)},
      {File("etc/passwd", "v1"), Whiteout("etc/secret"), old_mtime},
  });
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->regular_files, 4u);  // passwd, motd, su, inside
  EXPECT_EQ(result->directories, 3u);
  EXPECT_EQ(result->symlinks, 1u);
  EXPECT_THAT(result->skipped, IsEmpty());
  EXPECT_EQ(Read(dest_ + "/etc/passwd"), "v1");
  EXPECT_FALSE(fs::exists(dest_ + "/etc/secret"));
  EXPECT_FALSE(fs::exists(dest_ + "/etc/.wh.secret"));
  EXPECT_EQ(Mode(dest_ + "/etc/motd") & 07777, 0640u);
  struct stat st;
  ASSERT_EQ(::stat((dest_ + "/etc/motd").c_str(), &st), 0);
  EXPECT_EQ(st.st_mtim.tv_sec, 1000000000);
  EXPECT_EQ(Mode(dest_ + "/bin/su") & 07777, 0755u);  // setuid dropped
  EXPECT_TRUE(S_ISLNK(Mode(dest_ + "/bin/sh")));
  EXPECT_EQ(fs::read_symlink(dest_ + "/bin/sh"), "su");
  // Modes are applied after the content: the read-only directory still got its file.
  EXPECT_EQ(Mode(dest_ + "/ro") & 07777, 0555u);
  EXPECT_EQ(Read(dest_ + "/ro/inside"), "in");
}

TEST_F(ExtractTest, KeepsSetuidWhenAsked) {
  ExtractOptions options;
  options.keep_setuid_setgid = true;
  ASSERT_THAT(Extract({{File("su", "su", 06755)}}, options), IsOk());
  EXPECT_EQ(Mode(dest_ + "/su") & 07777, 06755u);
}

TEST_F(ExtractTest, FileBehindASymlinkIsNotWrittenThroughIt) {
  // Lower layer: "evil" -> the sentinel (absolute and relative); upper layers write below it.
  ASSERT_THAT(Extract({{Symlink("evil", sentinel_), Symlink("rel", "../sentinel")},
                       {File("evil/x", "pwned"), File("rel/canary", "pwned")},
                       {Symlink("same", sentinel_), File("same/y", "pwned")}}),
              IsOk());
  EXPECT_EQ(Read(dest_ + "/evil/x"), "pwned");
  EXPECT_EQ(Read(dest_ + "/rel/canary"), "pwned");
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(dest_ + "/same")));
}

TEST_F(ExtractTest, FinalSymlinksAreCreatedButNeverFollowed) {
  absl::StatusOr<ExtractResult> result =
      Extract({{File("link/x", "lower")}, {Symlink("link", sentinel_)}, {Symlink("up", "..")}});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(fs::read_symlink(dest_ + "/link"), sentinel_);
  EXPECT_EQ(fs::read_symlink(dest_ + "/up"), "..");
}

TEST_F(ExtractTest, ReplacesSymlinksAndHardlinksPlantedInDest) {
  fs::create_directory_symlink(sentinel_, dest_ + "/etc");
  fs::create_symlink(sentinel_ + "/canary", dest_ + "/file");
  fs::create_hard_link(sentinel_ + "/canary", dest_ + "/hard");
  fs::create_directory_symlink(sentinel_, dest_ + "/link-dir");
  ASSERT_THAT(Extract({{File("etc/passwd", "root"), File("file", "new"), File("hard", "new"),
                        Symlink("link-dir", "x")}}),
              IsOk());
  EXPECT_TRUE(fs::is_directory(fs::symlink_status(dest_ + "/etc")));
  EXPECT_EQ(Read(dest_ + "/etc/passwd"), "root");
  EXPECT_FALSE(fs::is_symlink(dest_ + "/file"));
  EXPECT_EQ(Read(dest_ + "/file"), "new");
  EXPECT_EQ(Read(dest_ + "/hard"), "new");
  EXPECT_EQ(fs::read_symlink(dest_ + "/link-dir"), "x");
}

TEST_F(ExtractTest, PathsThatLeaveTheImageAreRejectedBeforeAnyWrite) {
  for (const char* path : {"../escape", "/abs", "a/../../escape"}) {
    EXPECT_THAT(Extract({{File("ok", "ok"), File(path, "pwned")}}),
                StatusIs(absl::StatusCode::kInvalidArgument))
        << path;
  }
  EXPECT_THAT(Extract({{File("ok"), Hardlink("h", "../sentinel/canary")}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad link target")));
  EXPECT_FALSE(fs::exists(base_ + "/escape"));
}

TEST_F(ExtractTest, SecondWalkCannotAddPaths) {
  // The second walk is not trusted either: only paths of the merged tree are written.
  FilesystemBuilder builder;
  LayerVisitor* first[] = {&builder};
  ASSERT_THAT(WalkTestLayers({{File("ok", "ok")}}, first), IsOk());
  MergedFilesystem merged = std::move(builder).Finish();
  absl::StatusOr<ExtractResult> result = ExtractWith(
      merged, {{File("ok", "ok"), File("../escape", "x"), File("/abs", "x"), File("new", "x")}});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->regular_files, 1u);
  EXPECT_EQ(Read(dest_ + "/ok"), "ok");
  EXPECT_FALSE(fs::exists(dest_ + "/new"));
  EXPECT_FALSE(fs::exists(dest_ + "/abs"));
}

TEST_F(ExtractTest, HardlinksOnlyToExtractedFiles) {
  absl::StatusOr<ExtractResult> result = Extract({
      {File("bin/busybox", "bb"), Hardlink("bin/sh", "bin/busybox"),
       Symlink("out", sentinel_ + "/canary"), Hardlink("via-symlink", "out"), File("gone", "g"),
       Hardlink("to-gone", "gone")},
      {Whiteout("gone")},
  });
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->hardlinks, 1u);
  EXPECT_TRUE(fs::equivalent(dest_ + "/bin/sh", dest_ + "/bin/busybox"));
  EXPECT_FALSE(fs::exists(fs::symlink_status(dest_ + "/via-symlink")));
  EXPECT_FALSE(fs::exists(dest_ + "/to-gone"));
  EXPECT_THAT(result->skipped, ElementsAre(Field(&ExtractResult::Skipped::path, "to-gone"),
                                           Field(&ExtractResult::Skipped::path, "via-symlink")));
}

TEST_F(ExtractTest, DeviceNodesOnlyWhenAskedAndPermitted) {
  std::vector<TestLayer> layers = {{Device("dev/null", EntryType::kCharDevice, 1, 3),
                                    Device("dev/sda", EntryType::kBlockDevice, 8, 0),
                                    Device("fifo", EntryType::kFifo, 0, 0)}};
  absl::StatusOr<ExtractResult> result = Extract(layers);
  ASSERT_THAT(result, IsOk());
  EXPECT_FALSE(fs::exists(dest_ + "/dev/null"));
  EXPECT_FALSE(fs::exists(dest_ + "/dev/sda"));
  EXPECT_TRUE(S_ISFIFO(Mode(dest_ + "/fifo")));
  EXPECT_THAT(result->skipped,
              ElementsAre(Field(&ExtractResult::Skipped::reason, HasSubstr("devices is off")),
                          Field(&ExtractResult::Skipped::reason, HasSubstr("devices is off"))));

  fs::remove_all(dest_);
  fs::create_directory(dest_);
  ExtractOptions options;
  options.devices = true;
  result = Extract(layers, options);
  ASSERT_THAT(result, IsOk());
  if (result->special_files == 3) {  // Root with CAP_MKNOD.
    EXPECT_TRUE(S_ISCHR(Mode(dest_ + "/dev/null")));
    EXPECT_TRUE(S_ISBLK(Mode(dest_ + "/dev/sda")));
  } else {
    EXPECT_EQ(result->skipped.size(), 2u);
    EXPECT_FALSE(fs::exists(dest_ + "/dev/null"));
  }
}

TEST_F(ExtractTest, MissingContentIsReported) {
  FilesystemBuilder builder;
  LayerVisitor* first[] = {&builder};
  ASSERT_THAT(WalkTestLayers({{File("a", "aaa"), File("b", "bbb")}}, first), IsOk());
  MergedFilesystem merged = std::move(builder).Finish();
  absl::StatusOr<ExtractResult> result = ExtractWith(merged, {{File("a", "aaa")}});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(Read(dest_ + "/b"), "");
  EXPECT_THAT(result->skipped, ElementsAre(Field(&ExtractResult::Skipped::path, "b")));
}

TEST_F(ExtractTest, DestinationMustExist) {
  FilesystemBuilder builder;
  MergedFilesystem merged = std::move(builder).Finish();
  EXPECT_THAT(ExtractVisitor::Create(merged, dest_ + "/nope"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("nope")));
}

}  // namespace
}  // namespace bulwark::image
