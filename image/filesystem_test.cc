#include "bulwark/image/filesystem.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/internal/visitor_testing.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::bulwark::image::testing::Dir;
using ::bulwark::image::testing::File;
using ::bulwark::image::testing::Hardlink;
using ::bulwark::image::testing::Opaque;
using ::bulwark::image::testing::Symlink;
using ::bulwark::image::testing::TestEntry;
using ::bulwark::image::testing::TestLayer;
using ::bulwark::image::testing::WalkTestLayers;
using ::bulwark::image::testing::Whiteout;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;

absl::StatusOr<MergedFilesystem> TryBuild(const std::vector<TestLayer>& layers,
                                          const core::Limits& limits = {}) {
  FilesystemBuilder builder(limits);
  LayerVisitor* visitors[] = {&builder};
  absl::Status status = WalkTestLayers(layers, visitors);
  if (!status.ok()) return status;
  return std::move(builder).Finish();
}

MergedFilesystem Build(const std::vector<TestLayer>& layers) {
  absl::StatusOr<MergedFilesystem> fs = TryBuild(layers);
  EXPECT_THAT(fs, IsOk());
  return *std::move(fs);
}

// "path type@layer" for every path in ForEach order; "*" marks implicit directories.
std::vector<std::string> Tree(const MergedFilesystem& fs) {
  std::vector<std::string> out;
  fs.ForEach([&](const FileInfo& f) {
    out.push_back(absl::StrCat(f.entry.path, " ", EntryTypeName(f.entry.type), "@", f.layer,
                               f.implicit ? "*" : ""));
  });
  return out;
}

// "path@layer kind@layer" for every deleted file.
std::vector<std::string> Deleted(const MergedFilesystem& fs, bool with_kind = true) {
  std::vector<std::string> out;
  for (const DeletedFile& d : fs.DeletedFiles()) {
    out.push_back(absl::StrCat(d.entry.path, "@", d.layer, " ",
                               with_kind ? HiddenByName(d.hidden_by) : "hidden", "@",
                               d.hidden_by_layer));
  }
  return out;
}

TEST(MergedFilesystemTest, ImplicitParentsAndSortedIteration) {
  MergedFilesystem fs = Build(
      {{File("usr/bin/env", "x"), Dir("etc"), File("etc/passwd", "r"), File("a-b"), Dir("a")}});
  // Parents before children; siblings in byte order ("a" < "a-b").
  EXPECT_THAT(Tree(fs), ElementsAre("a directory@0", "a-b regular@0", "etc directory@0",
                                    "etc/passwd regular@0", "usr directory@0*",
                                    "usr/bin directory@0*", "usr/bin/env regular@0"));
  EXPECT_EQ(fs.size(), 7u);
  absl::StatusOr<FileInfo> usr = fs.Lookup("usr");
  ASSERT_THAT(usr, IsOk());
  EXPECT_EQ(usr->entry.mode, 0755u);
  EXPECT_TRUE(usr->implicit);
}

TEST(MergedFilesystemTest, LookupReturnsMetadataAndLayer) {
  TestEntry passwd = File("etc/passwd", "root:x:0:0", 04755);
  passwd.entry.uid = 7;
  passwd.entry.gid = 8;
  passwd.entry.mtime = 1700000000;
  passwd.entry.xattrs = {{"security.capability", std::string("\x01\0", 2)}};
  MergedFilesystem fs = Build({{Dir("etc")}, {passwd}});
  for (const char* path : {"etc/passwd", "/etc/passwd", "//etc//passwd/"}) {
    absl::StatusOr<FileInfo> f = fs.Lookup(path);
    ASSERT_THAT(f, IsOk()) << path;
    EXPECT_EQ(f->entry.path, "etc/passwd");
    EXPECT_EQ(f->layer, 1u);
    EXPECT_EQ(f->entry.mode, 04755u);
    EXPECT_EQ(f->entry.uid, 7u);
    EXPECT_EQ(f->entry.gid, 8u);
    EXPECT_EQ(f->entry.size, 10);
    EXPECT_EQ(f->entry.mtime, 1700000000);
    EXPECT_EQ(f->entry.xattrs, passwd.entry.xattrs);
    EXPECT_FALSE(f->implicit);
  }
  absl::StatusOr<FileInfo> root = fs.Lookup("/");
  ASSERT_THAT(root, IsOk());
  EXPECT_EQ(root->entry.type, EntryType::kDirectory);
  EXPECT_EQ(root->entry.path, "");
  EXPECT_THAT(fs.Lookup("etc/shadow"), StatusIs(absl::StatusCode::kNotFound, HasSubstr("shadow")));
  EXPECT_THAT(fs.Lookup("etc/../etc/passwd"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(MergedFilesystemTest, WhiteoutHidesLowerFileAndIsNotInTheTree) {
  MergedFilesystem fs =
      Build({{Dir("etc"), File("etc/secret", "k"), File("etc/keep")}, {Whiteout("etc/secret")}});
  EXPECT_THAT(Tree(fs), ElementsAre("etc directory@0", "etc/keep regular@0"));
  EXPECT_THAT(Deleted(fs), ElementsAre("etc/secret@0 whiteout@1"));
  EXPECT_THAT(fs.Lookup("etc/.wh.secret"), StatusIs(absl::StatusCode::kNotFound));
}

TEST(MergedFilesystemTest, WhiteoutOfDirectoryHidesItsSubtree) {
  MergedFilesystem fs = Build({{Dir("a"), Dir("a/b"), File("a/b/x"), Dir("a/b/c"), File("a/b/c/y"),
                                Symlink("a/b/l", "x"), File("a/z")},
                               {Whiteout("a/b")}});
  EXPECT_THAT(Tree(fs), ElementsAre("a directory@0", "a/z regular@0"));
  EXPECT_THAT(Deleted(fs),
              ElementsAre("a/b/c/y@0 whiteout@1", "a/b/l@0 whiteout@1", "a/b/x@0 whiteout@1"));
}

TEST(MergedFilesystemTest, WhiteoutOfMissingPathChangesNothing) {
  MergedFilesystem fs = Build({{File("a")}, {Whiteout("nope"), Whiteout("no/such/dir")}});
  EXPECT_THAT(Tree(fs), ElementsAre("a regular@0"));
  EXPECT_THAT(Deleted(fs), IsEmpty());
}

TEST(MergedFilesystemTest, WhiteoutActsOnlyOnLowerLayersInEitherOrder) {
  // The same layer re-adds what it whites out: the layer's own entry stays, before or after.
  for (bool whiteout_first : {true, false}) {
    TestLayer upper = {File("f", "new")};
    upper.insert(whiteout_first ? upper.begin() : upper.end(), Whiteout("f"));
    MergedFilesystem fs = Build({{File("f", "old")}, upper});
    EXPECT_THAT(Tree(fs), ElementsAre("f regular@1")) << whiteout_first;
    ASSERT_EQ(fs.DeletedFiles().size(), 1u);
    EXPECT_EQ(fs.DeletedFiles()[0].layer, 0u);
  }
}

TEST(MergedFilesystemTest, OpaqueHidesLowerChildrenButNotSameLayerEntries) {
  MergedFilesystem fs = Build({{Dir("bin"), File("bin/app"), File("bin/tools/one"), File("etc/c")},
                               {Dir("bin"), File("bin/app2"), Opaque("bin")}});
  EXPECT_THAT(Tree(fs), ElementsAre("bin directory@1", "bin/app2 regular@1", "etc directory@0*",
                                    "etc/c regular@0"));
  EXPECT_THAT(Deleted(fs), ElementsAre("bin/app@0 opaque@1", "bin/tools/one@0 opaque@1"));
}

TEST(MergedFilesystemTest, OpaqueAtTheRoot) {
  MergedFilesystem fs = Build({{File("a"), File("b/c")}, {File("d"), Opaque("")}});
  EXPECT_THAT(Tree(fs), ElementsAre("d regular@1"));
  EXPECT_THAT(Deleted(fs), ElementsAre("a@0 opaque@1", "b/c@0 opaque@1"));
}

// image-spec layer.md's own example: every order of the upper layer's entries gives the same
// tree ("a/.wh..wh..opq is applied first ... regardless of the ordering").
TEST(MergedFilesystemTest, SpecOpaqueExampleInEveryEntryOrder) {
  TestLayer lower = {Dir("a"), Dir("a/b"), Dir("a/b/c"), File("a/b/c/bar")};
  TestLayer upper = {Dir("a"), Opaque("a"), Dir("a/b"), Dir("a/b/c"), File("a/b/c/foo")};
  std::vector<int> order = {0, 1, 2, 3, 4};
  int permutations = 0;
  do {
    TestLayer shuffled;
    for (int i : order) shuffled.push_back(upper[i]);
    MergedFilesystem fs = Build({lower, shuffled});
    EXPECT_THAT(Tree(fs), ElementsAre("a directory@1", "a/b directory@1", "a/b/c directory@1",
                                      "a/b/c/foo regular@1"));
    EXPECT_THAT(Deleted(fs), ElementsAre("a/b/c/bar@0 opaque@1"));
    ++permutations;
  } while (std::next_permutation(order.begin(), order.end()));
  EXPECT_EQ(permutations, 120);
}

// Whiteouts, a re-created directory and a parent implied only by a child, in every order.
TEST(MergedFilesystemTest, WhiteoutsAndReAddsInEveryEntryOrder) {
  TestLayer lower = {Dir("x", 0700), File("x/old"), File("y"), Dir("z", 0700), File("z/gone")};
  TestLayer upper = {Whiteout("x"), Dir("x"),      File("x/new"),  Whiteout("y"),
                     File("y"),     Whiteout("z"), File("z/child")};
  std::vector<int> order = {0, 1, 2, 3, 4, 5, 6};
  do {
    TestLayer shuffled;
    for (int i : order) shuffled.push_back(upper[i]);
    MergedFilesystem fs = Build({lower, shuffled});
    // z was whited out, so z/child's parent is a new implicit directory, not the 0700 one.
    ASSERT_THAT(Tree(fs), ElementsAre("x directory@1", "x/new regular@1", "y regular@1",
                                      "z directory@1*", "z/child regular@1"));
    EXPECT_EQ(fs.Lookup("z")->entry.mode, 0755u);
    // y's lower copy is hidden by the whiteout or by the overwrite, whichever comes first.
    EXPECT_THAT(Deleted(fs, false),
                ElementsAre("x/old@0 hidden@1", "y@0 hidden@1", "z/gone@0 hidden@1"));
  } while (std::next_permutation(order.begin(), order.end()));
}

TEST(MergedFilesystemTest, OpaqueThenChildrenReAddedInTheSameLayer) {
  MergedFilesystem fs = Build(
      {{File("d/a", "1"), File("d/b", "1")}, {Opaque("d"), File("d/a", "2"), File("d/c", "2")}});
  EXPECT_THAT(Tree(fs), ElementsAre("d directory@0*", "d/a regular@1", "d/c regular@1"));
  EXPECT_THAT(Deleted(fs), ElementsAre("d/a@0 opaque@1", "d/b@0 opaque@1"));
}

TEST(MergedFilesystemTest, NestedWhiteoutsAndLaterReAdd) {
  MergedFilesystem fs = Build({{File("a/b/c/d"), File("a/b/e"), File("a/f")},
                               {Whiteout("a/b/c"), Whiteout("a/b"), Opaque("a/b")},
                               {File("a/b/c/new")}});
  EXPECT_THAT(Tree(fs), ElementsAre("a directory@0*", "a/b directory@2*", "a/b/c directory@2*",
                                    "a/b/c/new regular@2", "a/f regular@0"));
  EXPECT_THAT(Deleted(fs), ElementsAre("a/b/c/d@0 whiteout@1", "a/b/e@0 whiteout@1"));
}

TEST(MergedFilesystemTest, FileReplacesDirectoryAndItsSubtree) {
  MergedFilesystem fs = Build({{Dir("d"), File("d/x"), File("d/y/z")}, {File("d", "now a file")}});
  EXPECT_THAT(Tree(fs), ElementsAre("d regular@1"));
  EXPECT_THAT(Deleted(fs), ElementsAre("d/x@0 overwrite@1", "d/y/z@0 overwrite@1"));
}

TEST(MergedFilesystemTest, DirectoryReplacesFile) {
  MergedFilesystem fs = Build({{File("d", "file")}, {Dir("d"), File("d/x")}});
  EXPECT_THAT(Tree(fs), ElementsAre("d directory@1", "d/x regular@1"));
  EXPECT_THAT(Deleted(fs), ElementsAre("d@0 overwrite@1"));
}

TEST(MergedFilesystemTest, ChildOfALowerFileMakesAnImplicitDirectory) {
  MergedFilesystem fs = Build({{Symlink("lib", "usr/lib"), Dir("usr/lib")}, {File("lib/x")}});
  // Taken literally: the symlink is replaced, never written through.
  EXPECT_THAT(Tree(fs), ElementsAre("lib directory@1*", "lib/x regular@1", "usr directory@0*",
                                    "usr/lib directory@0"));
  EXPECT_THAT(Deleted(fs), ElementsAre("lib@0 overwrite@1"));
}

TEST(MergedFilesystemTest, DirectoryOverDirectoryUpdatesAttributesOnly) {
  MergedFilesystem fs = Build({{Dir("d", 0755), File("d/x")}, {Dir("d", 0700)}});
  EXPECT_THAT(Tree(fs), ElementsAre("d directory@1", "d/x regular@0"));
  EXPECT_EQ(fs.Lookup("d")->entry.mode, 0700u);
  EXPECT_THAT(Deleted(fs), IsEmpty());
}

TEST(MergedFilesystemTest, OverwritesAreDeletedButShipped) {
  MergedFilesystem fs = Build({{File("f", "v0")}, {File("f", "v1"), File("g"), File("g")}});
  EXPECT_THAT(Tree(fs), ElementsAre("f regular@1", "g regular@1"));
  // The duplicate in one layer (tar semantics: the last wins) is hidden by its own layer.
  EXPECT_THAT(Deleted(fs), ElementsAre("f@0 overwrite@1", "g@1 overwrite@1"));
}

TEST(MergedFilesystemTest, DeletedFilesKeepTheirMetadata) {
  TestEntry key = File("root/.ssh/id_rsa", "-----BEGIN", 0600);
  MergedFilesystem fs = Build({{key}, {Whiteout("root/.ssh")}, {Dir("root/.ssh")}});
  std::vector<DeletedFile> deleted = fs.DeletedFiles();
  ASSERT_EQ(deleted.size(), 1u);
  EXPECT_EQ(deleted[0].entry.path, "root/.ssh/id_rsa");
  EXPECT_EQ(deleted[0].entry.size, 10);
  EXPECT_EQ(deleted[0].entry.mode, 0600u);
  EXPECT_EQ(deleted[0].layer, 0u);
  EXPECT_EQ(deleted[0].hidden_by_layer, 1u);
  EXPECT_EQ(deleted[0].hidden_by, HiddenBy::kWhiteout);
}

TEST(MergedFilesystemTest, HardlinksKeptAndBrokenOnesReported) {
  MergedFilesystem fs = Build({{File("bin/busybox"), Hardlink("bin/sh", "bin/busybox"),
                                File("etc/a"), Hardlink("etc/a-link", "etc/a"), File("etc/b"),
                                Hardlink("etc/b-link", "etc/b"), Dir("d"), Hardlink("d-link", "d")},
                               {Whiteout("etc/a"), File("etc/b", "changed")}});
  absl::StatusOr<FileInfo> sh = fs.Lookup("bin/sh");
  ASSERT_THAT(sh, IsOk());
  EXPECT_EQ(sh->entry.type, EntryType::kHardlink);
  EXPECT_EQ(sh->entry.link_target, "bin/busybox");
  std::vector<std::string> broken;
  for (const BrokenHardlink& b : fs.BrokenHardlinks()) {
    broken.push_back(
        absl::StrCat(b.path, "@", b.layer, " -> ", b.target, " ", HardlinkProblemName(b.problem)));
  }
  EXPECT_THAT(broken, ElementsAre("d-link@0 -> d target-not-regular",
                                  "etc/a-link@0 -> etc/a target-missing",
                                  "etc/b-link@0 -> etc/b target-replaced"));
}

MergedFilesystem LinkFarm() {
  return Build(
      {{Dir("usr/bin"), File("usr/bin/python3.11"), Symlink("usr/bin/python3", "python3.11"),
        Symlink("usr/bin/python", "/usr/bin/python3"), Symlink("bin", "usr/bin"),
        Symlink("up", "../../../../usr"), Symlink("loop1", "loop2"), Symlink("loop2", "loop1"),
        Symlink("self", "self/x"), Symlink("dangling", "nope"), Symlink("empty", ""), File("file"),
        Symlink("through-file", "file/x")}});
}

TEST(ResolvePathTest, RelativeAbsoluteAndChains) {
  MergedFilesystem fs = LinkFarm();
  EXPECT_EQ(*fs.ResolvePath("usr/bin/python3", true), "usr/bin/python3.11");
  EXPECT_EQ(*fs.ResolvePath("usr/bin/python3", false), "usr/bin/python3");
  EXPECT_EQ(*fs.ResolvePath("/bin/python", true), "usr/bin/python3.11");  // 3 hops
  EXPECT_EQ(*fs.ResolvePath("bin/python", false), "usr/bin/python");
  EXPECT_EQ(*fs.ResolvePath("bin", false), "bin");
  EXPECT_EQ(*fs.ResolvePath("bin/", true), "usr/bin");
  EXPECT_EQ(*fs.ResolvePath("./usr/../usr/./bin/..", true), "usr");
  EXPECT_EQ(*fs.ResolvePath("", true), "");
}

TEST(ResolvePathTest, DotDotNeverLeavesTheRoot) {
  MergedFilesystem fs = LinkFarm();
  EXPECT_EQ(*fs.ResolvePath("../../../usr/bin", true), "usr/bin");
  EXPECT_EQ(*fs.ResolvePath("up/bin/python3.11", true), "usr/bin/python3.11");
  EXPECT_EQ(*fs.ResolvePath("up", true), "usr");
}

TEST(ResolvePathTest, LoopsAndErrors) {
  MergedFilesystem fs = LinkFarm();
  EXPECT_THAT(fs.ResolvePath("loop1", true),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("more than 40 symlinks")));
  EXPECT_EQ(*fs.ResolvePath("loop1", false), "loop1");
  EXPECT_THAT(fs.ResolvePath("self", true), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(fs.ResolvePath("dangling", true),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("\"nope\" does not exist")));
  EXPECT_THAT(fs.ResolvePath("empty", true), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(fs.ResolvePath("through-file", true),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("not a directory")));
}

TEST(ResolvePathTest, FortySymlinksAreAllowedFortyOneAreNot) {
  TestLayer layer = {File("end")};
  for (int i = 0; i < 41; ++i) {
    layer.push_back(Symlink(absl::StrCat("l", i), i == 0 ? "end" : absl::StrCat("l", i - 1)));
  }
  MergedFilesystem fs = Build({layer});
  EXPECT_EQ(*fs.ResolvePath("l39", true), "end");
  EXPECT_THAT(fs.ResolvePath("l40", true), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(FilesystemBuilderTest, MaxEntriesCapsEntriesAndDistinctPaths) {
  core::Limits limits;
  limits.max_entries = 3;
  EXPECT_THAT(
      TryBuild({{File("a"), File("b")}, {Whiteout("a"), File("c")}}, limits),
      StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("limit max_entries (3) exceeded")));
  // One entry, but its implicit parents are paths too.
  EXPECT_THAT(TryBuild({{File("a/b/c/d")}}, limits),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries")));
  EXPECT_THAT(TryBuild({{File("a/b/c")}}, limits), IsOk());
}

TEST(FilesystemBuilderTest, RejectsPathsThatAreNotNormalised) {
  for (const char* path : {"../x", "/abs", "a//b", "a/./b", "a/../b", "a/"}) {
    EXPECT_THAT(TryBuild({{File(path)}}),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not normalised")))
        << path;
  }
  EXPECT_THAT(TryBuild({{Hardlink("h", "../etc/shadow")}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("bad link target")));
  EXPECT_THAT(TryBuild({{File(std::string("a\0b", 3))}}),
              StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(TryBuild({{File("x")}, {File("a/.wh..")}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("whiteout of \".\"")));
  EXPECT_THAT(TryBuild({{File("x")}, {File(".wh...")}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("layer 1")));
  EXPECT_THAT(TryBuild({{Symlink("", "x")}}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("root must be a directory")));
}

TEST(FilesystemBuilderTest, AufsMetadataIsIgnored) {
  MergedFilesystem fs = Build({{File(".wh..wh.plnk/x")}, {File(".wh..wh.orph")}});
  // ".wh..wh.plnk/x" is not a whiteout (only base names are), so it stays as a path.
  EXPECT_THAT(Tree(fs), ElementsAre(".wh..wh.plnk directory@0*", ".wh..wh.plnk/x regular@0"));
}

TEST(FilesystemBuilderTest, LayersMustComeBottomToTop) {
  FilesystemBuilder builder;
  LayerInfo layer;
  layer.index = 1;
  ASSERT_THAT(builder.OnLayerStart(layer), IsOk());
  layer.index = 0;
  EXPECT_THAT(builder.OnLayerStart(layer),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("bottom to top")));
}

}  // namespace
}  // namespace bulwark::image
