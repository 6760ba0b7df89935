#include "bulwark/image/image.h"

#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/docker_archive.h"
#include "bulwark/image/file_content.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/layer_visitor.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::AllOf;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::SizeIs;

constexpr char kGcrLayouts[] = "conformance/oci/go-containerregistry/pkg/v1/layout/testdata";
constexpr char kGcrTarballs[] = "conformance/oci/go-containerregistry/pkg/v1/tarball/testdata";
constexpr char kTrivy[] = "conformance/oci/trivy/pkg/fanal/test/testdata";

// Runs a shell command; returns its stdout with the trailing newline removed, or fails the test.
std::string Shell(const std::string& command) {
  std::string output;
  FILE* pipe =
      popen(absl::StrCat("set -e; export TMPDIR=\"$TEST_TMPDIR\"; ", command).c_str(), "r");
  EXPECT_NE(pipe, nullptr) << command;
  if (pipe == nullptr) return output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  EXPECT_EQ(pclose(pipe), 0) << command << "\n" << output;
  return std::string(absl::StripSuffix(output, "\n"));
}

// "sha256:<hex>" of what `command` prints.
std::string Sha256Of(const std::string& command) {
  return absl::StrCat("sha256:", Shell(absl::StrCat(command, " | sha256sum | cut -d' ' -f1")));
}

std::string TempDir() { return std::getenv("TEST_TMPDIR"); }

// Counts entries and remembers paths.
class Recorder : public LayerVisitor {
 public:
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    paths.push_back(absl::StrCat(layer.index, ":", entry.path));
    return absl::OkStatus();
  }
  std::vector<std::string> paths;
};

// An OCI layout built by umoci (two layers: /etc/hello, then /etc/world) and copies made by
// skopeo as an OCI archive and a docker-archive (tagged example/app:v1).
class ToolImageTest : public ::testing::Test {
 protected:
  static void SetUpTestSuite() {
    if (system("command -v umoci >/dev/null && command -v skopeo >/dev/null") != 0) return;
    dir_ = new std::string(absl::StrCat(TempDir(), "/tool_images"));
    // umoci unpack/repack rather than `umoci insert`: umoci 0.4.7's insert writes layer tars
    // without the final padding and end-of-archive blocks (GNU tar rejects them too).
    Shell(absl::StrCat(
        "rm -rf ", *dir_, " && mkdir -p ", *dir_, "/src/etc && cd ", *dir_,
        " && echo hello > src/etc/hello && echo world > src/etc/world",
        " && umoci init --layout lay && umoci new --image lay:latest",
        " && umoci unpack --image lay:latest b >/dev/null && mkdir b/rootfs/etc",
        " && cp src/etc/hello b/rootfs/etc/ && umoci repack --image lay:latest b && rm -rf b",
        " && umoci unpack --image lay:latest b >/dev/null && cp src/etc/world b/rootfs/etc/",
        " && umoci repack --image lay:latest b && rm -rf b",
        " && skopeo --tmpdir \"$TEST_TMPDIR\" copy -q oci:lay:latest oci-archive:oci.tar",
        " && skopeo --tmpdir \"$TEST_TMPDIR\" copy -q oci:lay:latest ",
        "docker-archive:docker.tar:example/app:v1"));
  }
  void SetUp() override {
    if (dir_ == nullptr) {
      if (core::testing::RunningInCi()) FAIL() << "umoci and skopeo are needed (bazel/setup.sh)";
      GTEST_SKIP() << "umoci or skopeo missing";
    }
  }
  // A fresh copy of the layout, to break.
  std::string CopyLayout(const std::string& name) {
    std::string copy = absl::StrCat(*dir_, "/", name);
    Shell(absl::StrCat("rm -rf ", copy, " && cp -r ", *dir_, "/lay ", copy));
    return copy;
  }
  static std::string* dir_;
};
std::string* ToolImageTest::dir_ = nullptr;

TEST_F(ToolImageTest, OciLayoutMatchesSkopeo) {
  const std::string layout = absl::StrCat(*dir_, "/lay");
  auto image = Image::Open(layout);
  ASSERT_THAT(image, IsOk());
  const Image& img = **image;
  EXPECT_EQ(img.format(), ImageFormat::kOciLayout);
  ASSERT_TRUE(img.manifest_digest().has_value());
  EXPECT_EQ(img.manifest_digest()->ToString(),
            Sha256Of(absl::StrCat("skopeo inspect --raw oci:", layout, ":latest")));
  ASSERT_TRUE(img.config_digest().has_value());
  EXPECT_EQ(img.config_digest()->ToString(),
            Sha256Of(absl::StrCat("skopeo inspect --config --raw oci:", layout, ":latest")));
  EXPECT_THAT(img.references(), ElementsAre("latest"));
  ASSERT_THAT(img.layers(), SizeIs(2));
  for (const LayerInfo& layer : img.layers()) {
    // The blob on disk hashes to the descriptor's digest.
    EXPECT_EQ(
        layer.descriptor.digest.ToString(),
        Sha256Of(absl::StrCat("cat ", layout, "/blobs/sha256/", layer.descriptor.digest.Hex())));
  }
  EXPECT_THAT(img.Platforms(), SizeIs(1));
  Recorder recorder;
  auto results = img.Walk({&recorder});
  ASSERT_THAT(results, IsOk());
  EXPECT_THAT(*results, SizeIs(2));
  EXPECT_THAT(recorder.paths, Contains("0:etc/hello"));
  EXPECT_THAT(recorder.paths, Contains("1:etc/world"));
}

TEST_F(ToolImageTest, ReadFileContentFromItsLayer) {
  for (const char* name : {"lay", "oci.tar", "docker.tar"}) {
    SCOPED_TRACE(name);
    auto image = Image::Open(absl::StrCat(*dir_, "/", name));
    ASSERT_THAT(image, IsOk());
    FilesystemBuilder builder;
    LayerVisitor* const visitors[] = {&builder};
    ASSERT_THAT((*image)->Walk(visitors), IsOk());
    MergedFilesystem filesystem = std::move(builder).Finish();
    auto read = [&](absl::string_view path, const WalkOptions& options = {}) {
      absl::StatusOr<FileInfo> file = filesystem.Lookup(path);
      return file.ok() ? ReadFileContent(**image, *file, options) : file.status();
    };
    EXPECT_EQ(read("etc/hello").value_or("?"), "hello\n");
    EXPECT_EQ(read("etc/world").value_or("?"), "world\n");
    EXPECT_THAT(read("etc"), StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("directory")));
    WalkOptions small;
    small.limits.max_file_bytes = 3;
    EXPECT_THAT(read("etc/world", small),
                StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_file_bytes (3)")));
  }
}

TEST_F(ToolImageTest, OciArchiveEqualsLayout) {
  auto layout = Image::Open(absl::StrCat(*dir_, "/lay"));
  auto archive = Image::Open(absl::StrCat(*dir_, "/oci.tar"));
  ASSERT_THAT(layout, IsOk());
  ASSERT_THAT(archive, IsOk());
  EXPECT_EQ((*archive)->format(), ImageFormat::kOciArchive);
  EXPECT_EQ((*archive)->manifest_digest(), (*layout)->manifest_digest());
  EXPECT_EQ((*archive)->config_digest(), (*layout)->config_digest());
  Recorder recorder;
  ASSERT_THAT((*archive)->Walk({&recorder}), IsOk());
  EXPECT_THAT(recorder.paths, Contains("1:etc/world"));
}

TEST_F(ToolImageTest, DockerArchiveWithSymlinkedLayers) {
  const std::string path = absl::StrCat(*dir_, "/docker.tar");
  // skopeo records the tag as "docker.io/example/app:v1"; the familiar form chooses it too.
  ASSERT_THAT(Image::Open(path, {.reference = "docker.io/example/app:v1"}), IsOk());
  auto image = Image::Open(path, {.reference = "example/app:v1"});
  ASSERT_THAT(image, IsOk());
  EXPECT_EQ((*image)->format(), ImageFormat::kDockerArchive);
  EXPECT_FALSE((*image)->manifest_digest().has_value());
  EXPECT_EQ((*image)->config_digest()->ToString(),
            Sha256Of(absl::StrCat("skopeo inspect --config --raw docker-archive:", path)));
  EXPECT_THAT((*image)->references(), ElementsAre("docker.io/example/app:v1"));
  // skopeo writes each layer.tar as a symlink to "../<digest>.tar"; walking verifies diff_ids.
  Recorder recorder;
  ASSERT_THAT((*image)->Walk({&recorder}), IsOk());
  EXPECT_THAT(recorder.paths, Contains("0:etc/hello"));
}

TEST_F(ToolImageTest, MissingIndexJson) {
  std::string layout = CopyLayout("no_index");
  Shell(absl::StrCat("rm ", layout, "/index.json"));
  EXPECT_THAT(Image::Open(layout), StatusIs(absl::StatusCode::kNotFound, HasSubstr("index.json")));
}

TEST_F(ToolImageTest, MissingConfigBlob) {
  std::string layout = CopyLayout("no_config");
  auto image = Image::Open(layout);
  ASSERT_THAT(image, IsOk());
  const std::string digest = (*image)->config_digest()->ToString();
  Shell(absl::StrCat("rm ", layout, "/blobs/sha256/", (*image)->config_digest()->Hex()));
  EXPECT_THAT(Image::Open(layout), StatusIs(absl::StatusCode::kNotFound, HasSubstr(digest)));
}

TEST_F(ToolImageTest, ManifestDigestMismatch) {
  std::string layout = CopyLayout("bad_manifest");
  auto image = Image::Open(layout);
  ASSERT_THAT(image, IsOk());
  const std::string hex = (*image)->manifest_digest()->Hex();
  // Same size, different bytes.
  Shell(absl::StrCat("f=", layout, "/blobs/sha256/", hex,
                     " && chmod u+w $f && sed -i 's/\"schemaVersion\":2/\"schemaVersion\":3/' $f"));
  EXPECT_THAT(Image::Open(layout),
              StatusIs(absl::StatusCode::kDataLoss,
                       AllOf(HasSubstr("digest mismatch"), HasSubstr(absl::StrCat("sha256:", hex)),
                             HasSubstr("actual sha256:"))));
}

TEST_F(ToolImageTest, UnknownPlatformListsAvailable) {
  auto image = Image::Open(absl::StrCat(*dir_, "/lay"), {.platform = "linux/s390x"});
  EXPECT_THAT(image, StatusIs(absl::StatusCode::kNotFound,
                              AllOf(HasSubstr("linux/s390x"), HasSubstr("available"),
                                    HasSubstr(Platform::Host().ToString()))));
}

TEST_F(ToolImageTest, AmbiguousReference) {
  std::string layout = CopyLayout("two_tags");
  Shell(absl::StrCat("cd ", layout, "/.. && umoci new --image two_tags:other",
                     " && umoci unpack --image two_tags:other b2 >/dev/null",
                     " && cp src/etc/world b2/rootfs/ && umoci repack --image two_tags:other b2"));
  // Two distinct images, no reference: ambiguous; by tag: fine.
  EXPECT_THAT(Image::Open(layout), StatusIs(absl::StatusCode::kInvalidArgument,
                                            AllOf(HasSubstr("ambiguous"), HasSubstr("other"))));
  EXPECT_THAT(Image::Open(layout, {.reference = "other"}), IsOk());
  // Both entries called "latest".
  Shell(absl::StrCat("sed -i 's/\"other\"/\"latest\"/' ", layout, "/index.json"));
  EXPECT_THAT(Image::Open(layout, {.reference = "latest"}),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("ambiguous")));
  EXPECT_THAT(Image::Open(layout, {.reference = "nope"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("latest")));
}

TEST_F(ToolImageTest, ReferenceByManifestDigest) {
  std::string layout = absl::StrCat(*dir_, "/lay");
  auto image = Image::Open(layout);
  ASSERT_THAT(image, IsOk());
  const std::string digest = (*image)->manifest_digest()->ToString();
  auto by_digest = Image::Open(layout, {.reference = digest});
  ASSERT_THAT(by_digest, IsOk());
  EXPECT_EQ((*by_digest)->Name(), absl::StrCat(layout, "@", digest));
}

TEST_F(ToolImageTest, SelfReferencingIndexFails) {
  // Content addressing makes a true cycle unconstructible; an index blob naming its own digest
  // must still fail (here on its digest, before the cycle check).
  std::string layout = CopyLayout("cycle");
  const std::string hex(64, 'a');
  Shell(absl::StrCat(
      "cd ", layout, " && printf '%s' '{\"schemaVersion\":2,\"manifests\":[{\"mediaType\":",
      "\"application/vnd.oci.image.index.v1+json\",\"digest\":\"sha256:", hex,
      "\",\"size\":150}]}' > blobs/sha256/", hex, " && cp blobs/sha256/", hex, " index.json"));
  EXPECT_THAT(Image::Open(layout), StatusIs(absl::StatusCode::kDataLoss, HasSubstr(hex)));
}

TEST_F(ToolImageTest, SymlinkedBlobOutsideLayoutIsRejected) {
  std::string layout = CopyLayout("escape");
  auto image = Image::Open(layout);
  ASSERT_THAT(image, IsOk());
  const std::string hex = (*image)->config_digest()->Hex();
  Shell(absl::StrCat("cd ", layout, "/blobs/sha256 && mv ", hex, " ../../../outside_", hex,
                     " && ln -s ../../../outside_", hex, " ", hex));
  EXPECT_THAT(Image::Open(layout),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("outside the layout")));
}

TEST_F(ToolImageTest, PathInDigestIsRejected) {
  std::string layout = CopyLayout("dotdot");
  Shell(absl::StrCat("cd ", layout,
                     " && sed -i 's/sha256:[0-9a-f]*/sha256:..\\/..\\/etc\\/passwd/' ",
                     "index.json"));
  auto image = Image::Open(layout);
  EXPECT_FALSE(image.ok());
  EXPECT_NE(image.status().code(), absl::StatusCode::kNotFound) << image.status();
}

TEST_F(ToolImageTest, LayerTarballAndRootfs) {
  Shell(absl::StrCat("cd ", *dir_, " && tar -cf layer.tar -C src etc && gzip -kf layer.tar"));
  auto plain = Image::Open(absl::StrCat(*dir_, "/layer.tar"));
  ASSERT_THAT(plain, IsOk());
  EXPECT_EQ((*plain)->format(), ImageFormat::kLayerTarball);
  ASSERT_THAT((*plain)->layers(), SizeIs(1));
  EXPECT_EQ((*plain)->layers()[0].diff_id, Sha256Of(absl::StrCat("cat ", *dir_, "/layer.tar")));
  auto gzipped = Image::Open(absl::StrCat(*dir_, "/layer.tar.gz"));
  ASSERT_THAT(gzipped, IsOk());
  EXPECT_EQ((*gzipped)->layers()[0].descriptor.media_type, media_type::kOciLayerGzip);
  Recorder from_gzip;
  ASSERT_THAT((*gzipped)->Walk({&from_gzip}), IsOk());
  EXPECT_THAT(from_gzip.paths, Contains("0:etc/world"));

  auto rootfs = Image::Open(absl::StrCat(*dir_, "/src"));
  ASSERT_THAT(rootfs, IsOk());
  EXPECT_EQ((*rootfs)->format(), ImageFormat::kRootfs);
  Recorder from_dir;
  ASSERT_THAT((*rootfs)->Walk({&from_dir}), IsOk());
  EXPECT_THAT(from_dir.paths, ElementsAre("0:etc", "0:etc/hello", "0:etc/world"));
  // The generated tar is deterministic, so a second Open gives the same layer digest.
  auto again = Image::Open(absl::StrCat(*dir_, "/src"));
  ASSERT_THAT(again, IsOk());
  EXPECT_EQ((*again)->layers()[0].descriptor.digest, (*rootfs)->layers()[0].descriptor.digest);
}

TEST(SharedImageTest, GcrLayoutOneImage) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, absl::StrCat(kGcrLayouts, "/test_index_one_image"));
  auto image = Image::Open(dir);
  ASSERT_THAT(image, IsOk());
  EXPECT_EQ((*image)->manifest_digest()->ToString(),
            "sha256:98ceaf93e482fe91b9bfd6bba07137c098e49ee2d55e69f09fb6c951e75e0e46");
  EXPECT_EQ((*image)->config_digest(), (*image)->manifest().config.digest);
}

TEST(SharedImageTest, GcrNestedIndexByReference) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, absl::StrCat(kGcrLayouts, "/test_index"));
  auto first = Image::Open(dir, {.reference = "1"});
  ASSERT_THAT(first, IsOk());
  EXPECT_EQ((*first)->manifest_digest()->ToString(),
            "sha256:eebff607b1628d67459b0596643fc07de70d702eccf030f0bc7bb6fc2b278650");
  // "3" names a nested index; the image below it is chosen.
  auto nested = Image::Open(dir, {.reference = "3"});
  ASSERT_THAT(nested, IsOk());
  EXPECT_THAT((*nested)->references(), Contains("3"));
  EXPECT_THAT(Image::Open(dir, {.reference = "3", .max_index_depth = 0}),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_index_depth")));
}

TEST(SharedImageTest, TrivyLayouts) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kTrivy);
  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/test_image_tag.oci"), {.reference = "0.0.1"}),
              IsOk());
  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/test_bad_index_json.oci")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("index.json")));
  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/test_index_json_dir.oci")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("index.json")));
  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/test_no_valid_manifests.oci")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("index.json")));
  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/test_invalid_oci_image.oci")),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("no image")));
}

TEST(SharedImageTest, TrivyAlpineDockerSaveGzipped) {
  BULWARK_SHARED_PATH_OR_SKIP(path, absl::StrCat(kTrivy, "/alpine-310.tar.gz"));
  auto image = Image::Open(path);
  ASSERT_THAT(image, IsOk());
  EXPECT_EQ((*image)->format(), ImageFormat::kDockerArchive);
  EXPECT_THAT((*image)->references(), ElementsAre("alpine:3.10"));
  EXPECT_EQ((*image)->config_digest()->ToString(),
            "sha256:af341ccd2df8b0e2d67cf8dd32e087bfda4e5756ebd1c76bbf3efa0dc246590e");
  Recorder recorder;
  ASSERT_THAT((*image)->Walk({&recorder}), IsOk());
  EXPECT_THAT(recorder.paths, Contains("0:etc/alpine-release"));
}

TEST(SharedImageTest, GcrDockerArchives) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kGcrTarballs);
  auto v25 = Image::Open(absl::StrCat(dir, "/hello-world-v25.tar"));
  ASSERT_THAT(v25, IsOk());
  // Its index.json has "manifests": null, so manifest.json describes the image.
  EXPECT_EQ((*v25)->format(), ImageFormat::kDockerArchive);
  EXPECT_THAT((*v25)->Walk({}), IsOk());

  const std::string bundle = absl::StrCat(dir, "/test_bundle.tar");
  EXPECT_THAT(Image::Open(bundle),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       AllOf(HasSubstr("ambiguous"), HasSubstr("test_image_1"))));
  auto one = Image::Open(bundle, {.reference = "test_image_1"});
  ASSERT_THAT(one, IsOk());
  EXPECT_EQ((*one)->config_digest()->ToString(),
            "sha256:6e0b05049ed9c17d02e1a55e80d6599dbfcce7f4f4b022e3c673e685789c470e");

  // Layers of image 3 are symlinks to another image's layer.tar.
  auto linked = Image::Open(absl::StrCat(dir, "/test_link.tar"),
                            {.reference = "bazel/v1/tarball:test_image_3"});
  ASSERT_THAT(linked, IsOk());
  EXPECT_THAT((*linked)->layers(), SizeIs(2));
  EXPECT_THAT((*linked)->Walk({}), IsOk());

  EXPECT_THAT(Image::Open(absl::StrCat(dir, "/null_manifest.tar")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("manifest.json")));
}

// Entries and each file's content digest, per layer, as Walk hands them out.
class ContentRecorder : public LayerVisitor {
 public:
  bool WantsContent(const LayerEntry&) const override { return true; }
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    absl::StrAppend(&transcript, layer.index, ":", entry.path, " ", EntryTypeName(entry.type), " ",
                    entry.mode, " ", entry.size, " ", entry.link_target);
    if (content != nullptr) {
      absl::StatusOr<std::string> bytes = content->ReadAll();
      if (!bytes.ok()) return bytes.status();
      absl::StrAppend(&transcript, " ",
                      core::DigestBytes(core::DigestAlgorithm::kSha256, *bytes).ToString());
    }
    transcript += "\n";
    return absl::OkStatus();
  }
  std::string transcript;
};

// Walk with decompression on a worker thread gives what the all-on-one-thread walk gives:
// every entry and content of every layer, the results, and the error of an image whose layers
// together overrun max_total_bytes.
TEST(SharedImageTest, BackgroundDecompressionWalksLikeSequential) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/oci/go-containerregistry/pkg/v1");
  for (const std::string& path : {absl::StrCat(dir, "/mutate/testdata/whiteout_image.tar"),
                                  absl::StrCat(dir, "/mutate/testdata/overwritten_file.tar")}) {
    SCOPED_TRACE(path);
    auto image = Image::Open(path);
    ASSERT_THAT(image, IsOk());
    ASSERT_GE((*image)->layers().size(), 2u);
    auto walk = [&](bool background, uint64_t max_total_bytes) {
      WalkOptions options;
      options.background_decompression = background;
      options.limits.max_total_bytes = max_total_bytes;
      ContentRecorder recorder;
      absl::StatusOr<std::vector<LayerWalkResult>> results = (*image)->Walk({&recorder}, options);
      std::string out = absl::StrCat(results.status().ToString(), "\n", recorder.transcript);
      if (results.ok()) {
        for (const LayerWalkResult& r : *results) {
          absl::StrAppend(&out, r.blob_digest.ToString(), " ", r.diff_id.ToString(), " ",
                          r.blob_bytes, " ", r.uncompressed_bytes, " ", r.entries, "\n");
        }
      }
      return std::make_pair(results.status(), out);
    };
    const auto [ok, sequential] = walk(false, core::Limits().max_total_bytes);
    ASSERT_THAT(ok, IsOk());
    EXPECT_EQ(walk(true, core::Limits().max_total_bytes).second, sequential);
    // A budget the first layer fits in but not the first two.
    absl::StatusOr<std::vector<LayerWalkResult>> full = (*image)->Walk({});
    ASSERT_THAT(full, IsOk());
    const uint64_t budget = (*full)[0].uncompressed_bytes + (*full)[1].uncompressed_bytes / 2;
    const auto [overrun, sequential_overrun] = walk(false, budget);
    EXPECT_THAT(overrun, StatusIs(absl::StatusCode::kResourceExhausted,
                                  AllOf(HasSubstr(absl::StrCat("max_total_bytes (", budget, ")")),
                                        HasSubstr("layers 0 to 1 together"))));
    EXPECT_EQ(walk(true, budget).second, sequential_overrun);
  }
}

TEST(DockerManifestTest, RejectsMalformedEntriesWithPath) {
  EXPECT_THAT(ParseDockerManifest(R"([{"Config":"c.json","Layers":[1]}])", {}, "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("$[0].Layers[0]")));
  EXPECT_THAT(ParseDockerManifest(R"([{"Layers":[]}])", {}, "m.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("$[0].Config")));
  auto entries = ParseDockerManifest(
      R"([{"Config":"c.json","RepoTags":null,"Layers":["a/layer.tar"],"Extra":1}])", {}, "m");
  ASSERT_THAT(entries, IsOk());
  EXPECT_THAT((*entries)[0].layers, ElementsAre("a/layer.tar"));
  EXPECT_TRUE((*entries)[0].repo_tags.empty());
}

TEST(ImageOpenTest, MissingPathAndGarbageFile) {
  EXPECT_THAT(Image::Open("/nonexistent/image"), StatusIs(absl::StatusCode::kNotFound));
  const std::string garbage = absl::StrCat(TempDir(), "/garbage.bin");
  Shell(absl::StrCat("head -c 2000 /dev/urandom > ", garbage));
  EXPECT_THAT(Image::Open(garbage),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a tar")));
}

}  // namespace
}  // namespace bulwark::image
