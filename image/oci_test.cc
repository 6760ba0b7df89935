#include "bulwark/image/oci.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Pair;

constexpr absl::string_view kSha =
    "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270";

std::string Descriptor(absl::string_view extra = "") {
  return absl::StrCat(
      R"({"mediaType": "application/vnd.oci.image.layer.v1.tar+gzip", "size": 32, )",
      R"("digest": ")", kSha, "\"", extra, "}");
}

std::string ManifestWith(absl::string_view layers) {
  return absl::StrCat(R"({"schemaVersion": 2, "config": )", Descriptor(), R"(, "layers": )", layers,
                      "}");
}

TEST(ParseDescriptorTest, ReadsEveryField) {
  auto d = ParseDescriptor(
      Descriptor(R"(, "urls": ["https://example.com/a"], "annotations": {"a.b": "c"},
                    "artifactType": "application/x.y", "data": "aGk=",
                    "platform": {"os": "linux", "architecture": "arm64", "variant": "v8",
                                 "os.features": ["f"]})"),
      {}, "d.json");
  ASSERT_THAT(d, IsOk());
  EXPECT_EQ(d->media_type, media_type::kOciLayerGzip);
  EXPECT_EQ(d->digest.ToString(), kSha);
  EXPECT_EQ(d->size, 32);
  EXPECT_THAT(d->urls, ElementsAre("https://example.com/a"));
  EXPECT_THAT(d->annotations, ElementsAre(Pair("a.b", "c")));
  EXPECT_EQ(d->artifact_type, "application/x.y");
  ASSERT_TRUE(d->platform.has_value());
  EXPECT_EQ(d->platform->ToString(), "linux/arm64/v8");
  EXPECT_THAT(d->platform->os_features, ElementsAre("f"));
}

TEST(ParseDescriptorTest, ErrorsNameTheJsonPathAndPosition) {
  EXPECT_THAT(
      ParseDescriptor(R"({"mediaType": "a/b", "digest": "sha256:00", "size": 1})", {}, "blob"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("blob: digest: invalid digest \"sha256:00\"")));
  EXPECT_THAT(ParseDescriptor(
                  absl::StrCat(R"({"mediaType": "a/b", "digest": ")", kSha, "\",\n \"size\": -1}"),
                  {}, "blob"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("blob: size: size is negative (at 2:10)")));
  EXPECT_THAT(ParseDescriptor(R"({"digest": "x"})", {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("b: mediaType: required field is missing (at 1:1)")));
  EXPECT_THAT(ParseDescriptor(Descriptor(R"(, "annotations": {"a.b": 1})"), {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("b: annotations[\"a.b\"]: expected a string, got int")));
  EXPECT_THAT(ParseDescriptor(Descriptor(R"(, "urls": ["ok:x", "no scheme"])"), {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b: urls[1]: not an")));
  EXPECT_THAT(ParseDescriptor("[]", {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b: $: expected an object")));
  EXPECT_THAT(ParseDescriptor("{", {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b:1:")));
}

TEST(ParseDescriptorTest, SizeMustBeAnInt64) {
  for (absl::string_view size : {"1.0", "\"1\"", "9223372036854775808", "true"}) {
    EXPECT_THAT(ParseDescriptor(absl::StrCat(R"({"mediaType": "a/b", "size": )", size,
                                             R"(, "digest": ")", kSha, "\"}"),
                                {}, "b"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b: size: expected an int")))
        << size;
  }
  EXPECT_THAT(ParseDescriptor(absl::StrCat(R"({"mediaType": "a/b", "size": 9223372036854775807,)",
                                           R"( "digest": ")", kSha, "\"}"),
                              {}, "b"),
              IsOk());
}

TEST(ParseDescriptorTest, MediaTypeGrammar) {
  for (absl::string_view bad : {"", "a", "/b", "a/", ".a/b", "a/.b", "a/b c", "a/b/c"}) {
    EXPECT_THAT(ParseDescriptor(absl::StrCat(R"({"mediaType": ")", bad,
                                             R"(", "size": 1, "digest": ")", kSha, "\"}"),
                                {}, "b"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("mediaType")))
        << bad;
  }
}

TEST(ParseDescriptorTest, UnknownDigestAlgorithmIsValidButUnsupported) {
  std::string unknown = R"({"mediaType": "a/b", "size": 1, "digest": "sha256+b64u:LCa0a2j_xo"})";
  EXPECT_THAT(ParseDescriptor(unknown, {}, "b"),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("b: digest: ")));
  // A real error elsewhere in the document still wins: the document is invalid, not unsupported.
  std::string also_invalid =
      R"({"mediaType": "a/b", "size": -1, "digest": "sha256+b64u:LCa0a2j_xo"})";
  EXPECT_THAT(ParseDescriptor(also_invalid, {}, "b"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(
      ParseDescriptor(R"({"mediaType": "a/b", "size": 1, "digest": "sha256+-x:ab"})", {}, "b"),
      StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(ParseDescriptorTest, DataMustBePaddedBase64) {
  EXPECT_THAT(ParseDescriptor(Descriptor(R"(, "data": "aGk")"), {}, "b"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("b: data: ")));
}

TEST(ParseManifestTest, ReadsOciManifest) {
  auto m =
      ParseManifest(absl::StrCat(R"({"schemaVersion": 2, "mediaType": ")", media_type::kOciManifest,
                                 R"(", "config": )", Descriptor(), R"(, "layers": [)", Descriptor(),
                                 ",", Descriptor(), R"(], "subject": )", Descriptor(),
                                 R"(, "annotations": {"k": "v"}, "unknown": [1]})"),
                    {}, "m");
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->media_type, media_type::kOciManifest);
  EXPECT_EQ(m->layers.size(), 2u);
  EXPECT_TRUE(m->subject.has_value());
  EXPECT_THAT(m->annotations, ElementsAre(Pair("k", "v")));
}

TEST(ParseManifestTest, RejectsWhatTheSpecForbids) {
  EXPECT_THAT(ParseManifest(ManifestWith("[]"), {}, "m"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m: layers: needs at least")));
  EXPECT_THAT(ParseManifest(ManifestWith(absl::StrCat("[", Descriptor(), ", {}]")), {}, "m"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("m: layers[1].mediaType: required field is missing")));
  EXPECT_THAT(ParseManifest(R"({"schemaVersion": 3})", {}, "m"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be 2, got 3")));
  EXPECT_THAT(ParseManifest(R"({"schemaVersion": 1, "fsLayers": []})", {}, "m"),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("Docker schema 1")));
  EXPECT_THAT(ParseManifest(absl::StrCat(R"({"schemaVersion": 2, "mediaType": ")",
                                         media_type::kOciIndex, R"(", "config": )", Descriptor(),
                                         R"(, "layers": [)", Descriptor(), "]}"),
                            {}, "m"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("m: mediaType: expected")));
}

TEST(ParseManifestTest, ReadsDockerSchema2) {
  auto m = ParseManifest(
      absl::StrCat(R"({"schemaVersion": 2, "mediaType": ")", media_type::kDockerManifest,
                   R"(", "config": )", Descriptor(), R"(, "layers": [)", Descriptor(), "]}"),
      {}, "m");
  ASSERT_THAT(m, IsOk());
  EXPECT_EQ(m->media_type, media_type::kDockerManifest);
}

TEST(ParseIndexTest, ReadsIndexAndDockerManifestList) {
  for (absl::string_view type : {media_type::kOciIndex, media_type::kDockerManifestList}) {
    auto index = ParseIndex(
        absl::StrCat(R"({"schemaVersion": 2, "mediaType": ")", type, R"(", "manifests": [)",
                     Descriptor(R"(, "platform": {"os": "linux", "architecture": "amd64"})"), "]}"),
        {}, "i");
    ASSERT_THAT(index, IsOk());
    ASSERT_EQ(index->manifests.size(), 1u);
    EXPECT_EQ(index->manifests[0].platform->ToString(), "linux/amd64");
  }
  EXPECT_THAT(
      ParseIndex(absl::StrCat(R"({"schemaVersion": 2, "manifests": [)", Descriptor(), ",",
                              Descriptor(R"(, "platform": {"os": "linux"})"), "]}"),
                 {}, "i"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("i: manifests[1].platform.architecture: required field is missing")));
}

TEST(ParseIndexTest, LimitsApply) {
  core::Limits limits;
  limits.max_depth = 2;
  EXPECT_THAT(ParseIndex(absl::StrCat(R"({"schemaVersion": 2, "manifests": [)", Descriptor(), "]}"),
                         limits, "i"),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

constexpr absl::string_view kConfig = R"({
  "created": "2015-10-31T22:22:56.015925234Z",
  "author": "A",
  "architecture": "arm64", "variant": "v8", "os": "linux",
  "config": {
    "User": "1:1",
    "ExposedPorts": {"8080/tcp": {}, "53/udp": {}},
    "Env": ["PATH=/bin", "EMPTY="],
    "Entrypoint": ["/bin/sh"],
    "Cmd": null,
    "Volumes": {"/var/b": {}, "/var/a": {}},
    "WorkingDir": "/home",
    "Labels": {"l": "v"},
    "StopSignal": "SIGKILL",
    "Healthcheck": {"Test": ["CMD-SHELL", "true"], "Interval": 30000000000,
                    "Timeout": 5000000000, "StartPeriod": 1, "Retries": 3},
    "OnBuild": null
  },
  "rootfs": {"type": "layers", "diff_ids": [
    "sha256:9d3dd9504c685a304985025df4ed0283e47ac9ffa9bd0326fddf4d59513f0827"]},
  "history": [{"created": "2015-10-31T22:22:54Z", "created_by": "/bin/sh -c #(nop) CMD [\"sh\"]",
               "empty_layer": true, "author": "x", "comment": "c"}]
})";

TEST(ParseImageConfigTest, ReadsEveryField) {
  auto c = ParseImageConfig(kConfig, {}, "c");
  ASSERT_THAT(c, IsOk());
  EXPECT_EQ(c->created, "2015-10-31T22:22:56.015925234Z");
  EXPECT_EQ(c->author, "A");
  EXPECT_EQ(c->platform.ToString(), "linux/arm64/v8");
  EXPECT_EQ(c->user, "1:1");
  EXPECT_THAT(c->exposed_ports, ElementsAre("53/udp", "8080/tcp"));
  EXPECT_THAT(c->env, ElementsAre("PATH=/bin", "EMPTY="));
  EXPECT_THAT(c->entrypoint, ElementsAre("/bin/sh"));
  EXPECT_TRUE(c->cmd.empty());
  EXPECT_THAT(c->volumes, ElementsAre("/var/a", "/var/b"));
  EXPECT_EQ(c->working_dir, "/home");
  EXPECT_THAT(c->labels, ElementsAre(Pair("l", "v")));
  EXPECT_EQ(c->stop_signal, "SIGKILL");
  ASSERT_TRUE(c->healthcheck.has_value());
  EXPECT_THAT(c->healthcheck->test, ElementsAre("CMD-SHELL", "true"));
  EXPECT_EQ(c->healthcheck->interval_ns, 30'000'000'000);
  EXPECT_EQ(c->healthcheck->timeout_ns, 5'000'000'000);
  EXPECT_EQ(c->healthcheck->start_period_ns, 1);
  EXPECT_EQ(c->healthcheck->retries, 3);
  EXPECT_EQ(c->rootfs_type, "layers");
  ASSERT_EQ(c->diff_ids.size(), 1u);
  ASSERT_EQ(c->history.size(), 1u);
  EXPECT_TRUE(c->history[0].empty_layer);
  EXPECT_EQ(c->history[0].created_by, "/bin/sh -c #(nop) CMD [\"sh\"]");
  EXPECT_EQ(c->history[0].author, "x");
  EXPECT_EQ(c->history[0].comment, "c");
}

TEST(ParseImageConfigTest, RejectsWhatTheSpecForbids) {
  struct Case {
    absl::string_view from, to, message;
  };
  for (const Case& c : {
           Case{R"("Env": ["PATH=/bin", "EMPTY="])", R"("Env": ["PATH=/bin", "foo"])",
                "c: config.Env[1]: expected VARNAME=VARVALUE"},
           Case{R"("Env": ["PATH=/bin", "EMPTY="])", R"("Env": ["=x"])", "config.Env[0]"},
           Case{R"("os": "linux")", R"("os": 1)", "c: os: expected a string, got int"},
           Case{R"("Volumes": {"/var/b": {}, "/var/a": {}})", R"("Volumes": ["/a"])",
                "c: config.Volumes: expected an object"},
           Case{R"("8080/tcp": {})", R"("8080/tcp": true)",
                "c: config.ExposedPorts[\"8080/tcp\"]: expected an object, got bool"},
           Case{R"("type": "layers")", R"("type": "tar")", "c: rootfs.type: must be"},
           Case{R"("2015-10-31T22:22:54Z")", R"("yesterday")", "c: history[0].created: not an"},
           Case{R"("empty_layer": true)", R"("empty_layer": 1)", "history[0].empty_layer"},
           Case{R"("Retries": 3)", R"("Retries": 3.5)", "config.Healthcheck.Retries"},
           Case{R"("architecture": "arm64", )", "", "c: architecture: required field is missing"},
       }) {
    std::string text(kConfig);
    size_t at = text.find(std::string(c.from));
    ASSERT_NE(at, std::string::npos) << c.from;
    text.replace(at, c.from.size(), std::string(c.to));
    EXPECT_THAT(ParseImageConfig(text, {}, "c"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(c.message)))
        << c.to;
  }
}

TEST(PlatformTest, ParseAndToString) {
  auto p = Platform::Parse("linux/ARM64/v8");
  ASSERT_THAT(p, IsOk());
  EXPECT_EQ(p->os, "linux");
  EXPECT_EQ(p->architecture, "arm64");
  EXPECT_EQ(p->variant, "v8");
  EXPECT_EQ(p->ToString(), "linux/arm64/v8");
  EXPECT_EQ(Platform::Parse("windows/amd64")->ToString(), "windows/amd64");
  for (absl::string_view bad : {"", "linux", "linux/", "/amd64", "a/b/c/d", "linux/amd 64"}) {
    EXPECT_THAT(Platform::Parse(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(ParseImageLayoutTest, VersionMustBeTheStringOneZeroZero) {
  auto parse = [](absl::string_view text) { return ParseImageLayout(text, {}, "oci-layout"); };
  ASSERT_THAT(parse(R"({"imageLayoutVersion": "1.0.0", "extra": 1})"), IsOk());
  EXPECT_EQ(parse(R"({"imageLayoutVersion": "1.0.0"})")->version, "1.0.0");
  EXPECT_THAT(parse(R"({"imageLayoutVersion": 1})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("imageLayoutVersion")));
  EXPECT_THAT(parse("{}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("imageLayoutVersion")));
  EXPECT_THAT(parse("[]"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(parse(R"({"imageLayoutVersion": 1.0.0})"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("oci-layout")));
  EXPECT_THAT(parse(R"({"imageLayoutVersion": "2.0.0"})"),
              StatusIs(absl::StatusCode::kUnimplemented, HasSubstr("2.0.0")));
}

TEST(PlatformTest, Matches) {
  auto want = [](absl::string_view text) { return *Platform::Parse(text); };
  EXPECT_TRUE(want("linux/amd64").Matches(want("linux/amd64")));
  EXPECT_FALSE(want("linux/arm").Matches(want("linux/arm/v6")));
  EXPECT_FALSE(want("linux/arm/v7").Matches(want("linux/arm/v6")));
  EXPECT_FALSE(want("linux/amd64").Matches(want("windows/amd64")));
  EXPECT_FALSE(want("linux/amd64").Matches(want("linux/arm64")));
  EXPECT_TRUE(want("linux/arm64/v8").Matches(want("linux/arm64")));
  EXPECT_TRUE(want("linux/arm64/v8").Matches(want("linux/arm64/v8")));
  EXPECT_FALSE(want("linux/arm64/v9").Matches(want("linux/arm64")));
}

// containerd's platforms.Normalize (normalizeArch) aliases.
TEST(PlatformTest, AliasesNormaliseAsContainerdDoes) {
  auto text = [](absl::string_view t) { return Platform::Parse(t)->ToString(); };
  EXPECT_EQ(text("Linux/X86_64"), "linux/amd64");
  EXPECT_EQ(text("linux/x86-64"), "linux/amd64");
  EXPECT_EQ(text("linux/amd64/v1"), "linux/amd64");
  EXPECT_EQ(text("linux/amd64/v3"), "linux/amd64/v3");
  EXPECT_EQ(text("linux/aarch64"), "linux/arm64");
  EXPECT_EQ(text("linux/aarch64/8"), "linux/arm64/v8");
  EXPECT_EQ(text("linux/arm64/v8.0"), "linux/arm64/v8");
  EXPECT_EQ(text("linux/arm64/9.0"), "linux/arm64/v9");
  EXPECT_EQ(text("linux/armhf"), "linux/arm/v7");
  EXPECT_EQ(text("linux/armel"), "linux/arm/v6");
  EXPECT_EQ(text("linux/arm/7"), "linux/arm/v7");
  EXPECT_EQ(text("linux/arm/5"), "linux/arm/v5");
  EXPECT_EQ(text("linux/i386"), "linux/386");
  EXPECT_EQ(text("macos/arm64"), "darwin/arm64");
  EXPECT_EQ(text("linux/ppc64le"), "linux/ppc64le");

  auto want = [](absl::string_view t) { return *Platform::Parse(t); };
  // Candidates as index entries hold them, not normalised.
  auto have = [](const char* arch, const char* variant) {
    Platform p;
    p.os = "linux";
    p.architecture = arch;
    p.variant = variant;
    return p;
  };
  EXPECT_TRUE(want("linux/x86_64").Matches(have("amd64", "")));
  EXPECT_TRUE(want("linux/amd64").Matches(have("x86_64", "")));
  EXPECT_TRUE(want("linux/amd64").Matches(have("amd64", "v2")));
  EXPECT_TRUE(want("linux/aarch64").Matches(have("arm64", "")));
  EXPECT_TRUE(want("linux/arm64").Matches(have("aarch64", "v8")));
  EXPECT_TRUE(want("linux/arm64/v8").Matches(have("arm64", "")));
  EXPECT_FALSE(want("linux/arm64").Matches(have("arm64", "v9")));
  EXPECT_TRUE(want("linux/armhf").Matches(have("arm", "")));
  EXPECT_TRUE(want("linux/arm").Matches(have("arm", "v7")));
  EXPECT_TRUE(want("linux/arm").Matches(have("armhf", "")));
  EXPECT_TRUE(want("linux/armel").Matches(have("arm", "v6")));
  EXPECT_FALSE(want("linux/armel").Matches(have("arm", "")));
  EXPECT_TRUE(want("linux/arm/v6").Matches(have("armel", "")));
  EXPECT_TRUE(want("linux/i386").Matches(have("386", "")));
  EXPECT_TRUE(want("linux/386").Matches(have("i386", "")));
  EXPECT_FALSE(want("linux/386").Matches(have("amd64", "")));
}

TEST(PlatformTest, HostIsWellFormed) {
  Platform host = Platform::Host();
  EXPECT_THAT(Platform::Parse(host.ToString()), IsOk());
  EXPECT_TRUE(host.Matches(host));
#if defined(__linux__) && defined(__x86_64__)
  EXPECT_EQ(host.ToString(), "linux/amd64");
#endif
}

}  // namespace
}  // namespace bulwark::image
