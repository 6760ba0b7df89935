// Tests of WalkLayer against layer tars made by GNU tar, gzip, zstd and libarchive's writer, and
// against the real docker-save layers in ../shared: entries must match `tar -tvf`, digests
// `sha256sum`/`sha512sum`, and hostile layers must end in errors or findings within the Limits.
#include "bulwark/image/layer_walker.h"

#include <archive.h>
#include <archive_entry.h>

#include <clocale>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/internal/entry_path.h"
#include "bulwark/image/testing/blob_readers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::bulwark::image::testing::StringBlobReader;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

// ---- Helpers: shell tools, files, layers ----

std::string TempDir() {
  const char* dir = std::getenv("TEST_TMPDIR");
  return dir != nullptr ? dir : "/tmp";
}

// Runs `command` under sh; the test fails when it exits non-zero.
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

std::string ReadFile(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream content;
  content << in.rdbuf();
  return content.str();
}

void WriteFile(const std::string& path, absl::string_view content) {
  std::ofstream(path, std::ios::binary) << content;
}

// The first word of `sha256sum`-style output, as "<algorithm>:<hex>".
std::string ToolDigest(const std::string& command, absl::string_view algorithm) {
  std::string output = Shell(command);
  return absl::StrCat(algorithm, ":", output.substr(0, output.find(' ')));
}

LayerInfo LayerOf(absl::string_view blob, absl::string_view media_type,
                  core::DigestAlgorithm algorithm = core::DigestAlgorithm::kSha256) {
  LayerInfo layer;
  layer.descriptor.media_type = std::string(media_type);
  layer.descriptor.digest = core::DigestBytes(algorithm, blob);
  layer.descriptor.size = static_cast<int64_t>(blob.size());
  return layer;
}

// Records what the walker hands out; reads the content of files `wants` selects.
class Recorder : public LayerVisitor {
 public:
  explicit Recorder(std::function<bool(const LayerEntry&)> wants = nullptr)
      : wants_(std::move(wants)) {}

  bool WantsContent(const LayerEntry& entry) const override {
    return wants_ != nullptr && wants_(entry);
  }
  absl::Status OnLayerStart(const LayerInfo&) override {
    ++starts;
    return absl::OkStatus();
  }
  absl::Status OnEntry(const LayerInfo&, const LayerEntry& entry, ContentReader* content) override {
    entries.push_back(entry);
    if (content != nullptr) {
      absl::StatusOr<std::string> bytes = content->ReadAll();
      if (!bytes.ok()) return bytes.status();
      contents[entry.path] = *bytes;
      if (content->truncated()) truncated.push_back(entry.path);
    }
    return absl::OkStatus();
  }
  absl::Status OnLayerEnd(const LayerInfo&) override {
    ++ends;
    return absl::OkStatus();
  }

  std::vector<std::string> Paths() const {
    std::vector<std::string> paths;
    for (const LayerEntry& e : entries) paths.push_back(e.path);
    return paths;
  }

  std::vector<LayerEntry> entries;
  std::map<std::string, std::string> contents;
  std::vector<std::string> truncated;
  int starts = 0;
  int ends = 0;

 private:
  std::function<bool(const LayerEntry&)> wants_;
};

absl::StatusOr<LayerWalkResult> Walk(const std::string& blob, const LayerInfo& layer,
                                     std::vector<LayerVisitor*> visitors,
                                     const WalkOptions& options = {}, size_t max_chunk = SIZE_MAX) {
  StringBlobReader reader(blob, max_chunk);
  return WalkLayer(reader, layer, visitors, options);
}

// One member for the libarchive writer.
struct Member {
  std::string name;
  mode_t type = AE_IFREG;
  std::string content;
  std::string link;  // Symlink target, or hardlink target when `hardlink`.
  bool hardlink = false;
  dev_t major = 0, minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
  int64_t size = -1;  // Header size when not content.size() (the writer pads with zeros).
};

// A tar written by libarchive in `format` (ARCHIVE_FORMAT_TAR_*).
std::string WriteTar(const std::vector<Member>& members,
                     int format = ARCHIVE_FORMAT_TAR_PAX_RESTRICTED) {
  archive* a = archive_write_new();
  archive_write_set_format(a, format);
  archive_write_set_bytes_in_last_block(a, 1);
  std::string out;
  archive_write_open(
      a, &out, nullptr,
      [](archive*, void* client, const void* data, size_t size) -> la_ssize_t {
        static_cast<std::string*>(client)->append(static_cast<const char*>(data), size);
        return static_cast<la_ssize_t>(size);
      },
      nullptr);
  for (const Member& m : members) {
    archive_entry* e = archive_entry_new();
    archive_entry_copy_pathname(e, m.name.c_str());
    archive_entry_set_filetype(e, m.type);
    archive_entry_set_perm(e, m.type == AE_IFDIR ? 0755 : 0644);
    archive_entry_set_mtime(e, 1700000000, 0);
    archive_entry_set_size(e, m.size >= 0 ? m.size : static_cast<int64_t>(m.content.size()));
    if (m.hardlink) archive_entry_copy_hardlink(e, m.link.c_str());
    if (m.type == AE_IFLNK) archive_entry_copy_symlink(e, m.link.c_str());
    archive_entry_set_rdevmajor(e, m.major);
    archive_entry_set_rdevminor(e, m.minor);
    for (const auto& [name, value] : m.xattrs) {
      archive_entry_xattr_add_entry(e, name.c_str(), value.data(), value.size());
    }
    // ARCHIVE_WARN: a name the locale cannot convert, written as raw bytes (what we want).
    EXPECT_GE(archive_write_header(a, e), ARCHIVE_WARN) << archive_error_string(a);
    if (!m.content.empty()) archive_write_data(a, m.content.data(), m.content.size());
    archive_entry_free(e);
  }
  archive_write_close(a);
  archive_write_free(a);
  return out;
}

// `tar -tvf` of a layer blob as "<mode> <uid>/<gid> <size> <path>[ -> target| link to target]"
// lines, dates dropped and names normalised like LayerEntry paths.
std::string Normalized(absl::string_view name) {
  absl::StatusOr<std::string> path = internal::NormalizeEntryPath(name);
  return path.ok() ? *path : absl::StrCat("UNSAFE:", name);
}

std::vector<std::string> TarListing(const std::string& blob_path) {
  std::vector<std::string> lines;
  for (absl::string_view line : absl::StrSplit(
           Shell(absl::StrCat("tar --numeric-owner -tvf ", blob_path)), '\n', absl::SkipEmpty())) {
    std::vector<absl::string_view> f = absl::StrSplit(line, ' ', absl::SkipEmpty());
    // mode owner size date time name [-> target | link to target]
    std::string rest = absl::StrJoin(f.begin() + 5, f.end(), " ");
    std::string suffix;
    if (size_t arrow = rest.find(" -> "); f[0][0] == 'l' && arrow != std::string::npos) {
      suffix = absl::StrCat(" -> ", rest.substr(arrow + 4));
      rest.resize(arrow);
    } else if (size_t link = rest.find(" link to "); f[0][0] == 'h' && link != std::string::npos) {
      suffix = absl::StrCat(" link to ", Normalized(rest.substr(link + 9)));
      rest.resize(link);
    }
    lines.push_back(absl::StrCat(f[0], " ", f[1], " ", f[2], " ", Normalized(rest), suffix));
  }
  return lines;
}

std::string ModeString(const LayerEntry& e) {
  static constexpr char kTypes[] = {'-', 'd', 'l', 'h', 'c', 'b', 'p', '?'};
  std::string s(1, kTypes[static_cast<int>(e.type)]);
  const char* rwx = "rwxrwxrwx";
  for (int bit = 8; bit >= 0; --bit) s += (e.mode >> bit) & 1 ? rwx[8 - bit] : '-';
  auto special = [&](int index, uint32_t flag, char on_x, char off_x) {
    if (e.mode & flag) s[index] = s[index] == '-' ? off_x : on_x;
  };
  special(3, 04000, 's', 'S');
  special(6, 02000, 's', 'S');
  special(9, 01000, 't', 'T');
  return s;
}

std::vector<std::string> EntryListing(const std::vector<LayerEntry>& entries) {
  std::vector<std::string> lines;
  for (const LayerEntry& e : entries) {
    std::string size = e.type == EntryType::kCharDevice || e.type == EntryType::kBlockDevice
                           ? absl::StrCat(e.device_major, ",", e.device_minor)
                           : absl::StrCat(e.size);
    std::string suffix = e.type == EntryType::kSymlink    ? absl::StrCat(" -> ", e.link_target)
                         : e.type == EntryType::kHardlink ? absl::StrCat(" link to ", e.link_target)
                                                          : "";
    lines.push_back(
        absl::StrCat(ModeString(e), " ", e.uid, "/", e.gid, " ", size, " ", e.path, suffix));
  }
  return lines;
}

TEST(EntryPathTest, Normalisation) {
  auto normalized = [](absl::string_view name) { return *internal::NormalizeEntryPath(name); };
  EXPECT_EQ(normalized("./usr//bin/./sh/"), "usr/bin/sh");
  EXPECT_EQ(normalized("./"), "");
  EXPECT_EQ(normalized("a/.wh..wh..opq"), "a/.wh..wh..opq");
  EXPECT_EQ(normalized("..."), "...");
  EXPECT_THAT(internal::NormalizeEntryPath("/etc/passwd"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("absolute")));
  EXPECT_THAT(internal::NormalizeEntryPath("a/../b"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(internal::NormalizeEntryPath("a/.."), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(internal::NormalizeEntryPath(absl::string_view("a\0b", 3)),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

// ---- Layers made by GNU tar, gzip and zstd ----

struct Format {
  const char* name;        // GNU tar --format
  const char* compress;    // shell filter, "" for none
  const char* decompress;  // shell filter that undoes it
  absl::string_view media_type;
};

class GnuTarLayerTest : public ::testing::TestWithParam<Format> {
 protected:
  // A small tree with every kind of entry a layer holds (devices: see LibarchiveWriterTest).
  static void SetUpTestSuite() {
    std::string root = TempDir() + "/gnu_tree";
    Shell(absl::StrCat(
        "rm -rf ", root, " && mkdir -p ", root, "/etc/ssl ", root, "/usr/bin ", root, "/opq && cd ",
        root,
        " && printf 'hello layer\\n' > etc/hello && chmod 640 etc/hello"
        " && head -c 300000 /dev/urandom > usr/data && head -c 999 /dev/urandom > usr/bin/tool"
        " && chmod 4755 usr/bin/tool"
        " && ln usr/bin/tool usr/bin/tool2 && ln -s ../etc/hello usr/hello-link"
        " && mkfifo usr/fifo && touch etc/.wh.removed opq/.wh..wh..opq"
        " && chmod 1777 opq"));
  }

  std::string MakeLayer() {
    const Format& f = GetParam();
    std::string path = absl::StrCat(TempDir(), "/gnu_", f.name, f.compress[0] ? "_z" : "",
                                    f.media_type.size(), ".tar");
    Shell(absl::StrCat("tar --format=", f.name, " --owner=1000 --group=2000 -C ", TempDir(),
                       "/gnu_tree -cf - . ", f.compress[0] ? "| " : "", f.compress, " > ", path));
    return path;
  }
};

TEST_P(GnuTarLayerTest, EntriesAndDigestsMatchTheTools) {
  const Format& f = GetParam();
  std::string path = MakeLayer();
  std::string blob = ReadFile(path);
  LayerInfo layer = LayerOf(blob, f.media_type);
  std::string uncompress = f.compress[0] ? absl::StrCat(f.decompress, " < ", path) : "cat " + path;
  layer.diff_id = ToolDigest(uncompress + " | sha256sum", "sha256");
  ASSERT_EQ(layer.descriptor.digest.ToString(), ToolDigest("sha256sum " + path, "sha256"));

  Recorder recorder;
  absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, {&recorder}, {}, 4093);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->blob_digest, layer.descriptor.digest);
  EXPECT_EQ(result->diff_id.ToString(), layer.diff_id);
  EXPECT_EQ(result->blob_bytes, blob.size());
  EXPECT_EQ(result->uncompressed_bytes, std::stoull(Shell(uncompress + " | wc -c")));
  EXPECT_THAT(result->findings, IsEmpty());
  EXPECT_EQ(result->entries, recorder.entries.size());
  EXPECT_EQ(EntryListing(recorder.entries), TarListing(path));
  EXPECT_EQ(recorder.starts, 1);
  EXPECT_EQ(recorder.ends, 1);

  bool saw_whiteout = false, saw_opaque = false;
  for (const LayerEntry& e : recorder.entries) {
    saw_whiteout |= e.IsWhiteout() && e.WhiteoutTarget() == "etc/removed";
    saw_opaque |= e.IsOpaqueWhiteout();
  }
  EXPECT_TRUE(saw_whiteout);
  EXPECT_TRUE(saw_opaque);
}

TEST_P(GnuTarLayerTest, Sha512BlobDigest) {
  std::string path = MakeLayer();
  std::string blob = ReadFile(path);
  LayerInfo layer = LayerOf(blob, GetParam().media_type, core::DigestAlgorithm::kSha512);
  ASSERT_EQ(layer.descriptor.digest.ToString(), ToolDigest("sha512sum " + path, "sha512"));
  absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, {});
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->blob_digest, layer.descriptor.digest);
}

TEST_P(GnuTarLayerTest, ContentToOneAndToTwoVisitors) {
  std::string blob = ReadFile(MakeLayer());
  LayerInfo layer = LayerOf(blob, GetParam().media_type);
  std::string data = ReadFile(TempDir() + "/gnu_tree/usr/data");
  auto wants_data = [](const LayerEntry& e) { return e.path == "usr/data"; };
  auto wants_all = [](const LayerEntry&) { return true; };

  Recorder one(wants_data), bystander;
  ASSERT_THAT(Walk(blob, layer, {&bystander, &one}), IsOk());
  EXPECT_THAT(one.contents, ElementsAre(Pair("usr/data", data)));
  EXPECT_THAT(bystander.contents, IsEmpty());

  Recorder first(wants_data), second(wants_all);
  ASSERT_THAT(Walk(blob, layer, {&first, &second}), IsOk());
  EXPECT_EQ(first.contents["usr/data"], data);
  EXPECT_EQ(second.contents["usr/data"], data);
  EXPECT_EQ(second.contents["etc/hello"], "hello layer\n");
  EXPECT_THAT(second.truncated, IsEmpty());
}

TEST_P(GnuTarLayerTest, PerFileCapTruncates) {
  std::string blob = ReadFile(MakeLayer());
  LayerInfo layer = LayerOf(blob, GetParam().media_type);
  std::string data = ReadFile(TempDir() + "/gnu_tree/usr/data");
  WalkOptions options;
  options.limits.max_file_bytes = 1000;
  auto wants_data = [](const LayerEntry& e) { return e.path == "usr/data"; };

  Recorder alone(wants_data);
  ASSERT_THAT(Walk(blob, layer, {&alone}, options), IsOk());
  EXPECT_EQ(alone.contents["usr/data"], data.substr(0, 1000));
  EXPECT_THAT(alone.truncated, ElementsAre("usr/data"));

  Recorder a(wants_data), b(wants_data);
  absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, {&a, &b}, options);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(a.contents["usr/data"], data.substr(0, 1000));
  EXPECT_EQ(b.contents["usr/data"], data.substr(0, 1000));
  EXPECT_THAT(b.truncated, ElementsAre("usr/data"));
  EXPECT_EQ(result->blob_digest, layer.descriptor.digest);  // The skipped rest was hashed too.
}

INSTANTIATE_TEST_SUITE_P(
    Formats, GnuTarLayerTest,
    ::testing::Values(Format{"gnu", "", "", media_type::kOciLayerTar},
                      Format{"pax", "", "", media_type::kOciLayerNondistributableTar},
                      Format{"ustar", "", "", media_type::kOciLayerTar},
                      Format{"gnu", "gzip -n", "gzip -dc", media_type::kOciLayerGzip},
                      Format{"pax", "gzip -9", "gzip -dc", media_type::kDockerLayerGzip},
                      Format{"gnu", "gzip", "gzip -dc", media_type::kDockerLayerForeignGzip},
                      Format{"pax", "zstd -q", "zstd -dc", media_type::kOciLayerZstd},
                      Format{"gnu", "zstd -q -19", "zstd -dc",
                             media_type::kOciLayerNondistributableZstd}),
    [](const ::testing::TestParamInfo<Format>& info) {
      return absl::StrCat(info.param.name, "_", info.index);
    });

// ---- Entries libarchive's writer makes: devices, xattrs, hostile names ----

TEST(LayerWalkerTest, DevicesXattrsAndLinks) {
  std::string blob = WriteTar({
      {.name = "dev/null", .type = AE_IFCHR, .major = 1, .minor = 3},
      {.name = "dev/sda", .type = AE_IFBLK, .major = 8, .minor = 0},
      {.name = "bin/ping",
       .content = "ELF",
       .xattrs = {{"security.capability", std::string("\x01\x00\x00\x02", 4)}, {"user.note", "x"}}},
      {.name = "bin/ping2", .link = "./bin//ping", .hardlink = true},
      {.name = "bin/sh", .type = AE_IFLNK, .link = "/bin/../bin/busybox"},
  });
  std::string path = TempDir() + "/devices.tar";
  WriteFile(path, blob);
  Recorder recorder;
  ASSERT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerTar), {&recorder}), IsOk());
  EXPECT_EQ(EntryListing(recorder.entries), TarListing(path));
  ASSERT_THAT(recorder.entries, SizeIs(5));
  EXPECT_EQ(recorder.entries[0].type, EntryType::kCharDevice);
  EXPECT_EQ(recorder.entries[1].device_major, 8u);
  EXPECT_THAT(recorder.entries[2].xattrs,
              ElementsAre(Pair("security.capability", std::string("\x01\x00\x00\x02", 4)),
                          Pair("user.note", "x")));
  EXPECT_EQ(recorder.entries[3].link_target, "bin/ping");             // Hardlinks: normalised.
  EXPECT_EQ(recorder.entries[4].link_target, "/bin/../bin/busybox");  // Symlinks: as written.
}

TEST(LayerWalkerTest, UnsafeNamesAreSkippedWithFindings) {
  std::string blob = WriteTar({
      {.name = "../escape", .content = "x"},
      {.name = "/etc/passwd", .content = "root"},
      {.name = "a/../../b", .content = "y"},
      {.name = "ok/file", .content = "z"},
      {.name = "ok/link", .link = "../../etc/shadow", .hardlink = true},
      {.name = "./ok//./dir/", .type = AE_IFDIR},
  });
  Recorder recorder;
  absl::StatusOr<LayerWalkResult> result =
      Walk(blob, LayerOf(blob, media_type::kOciLayerTar), {&recorder});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(recorder.Paths(), ElementsAre("ok/file", "ok/dir"));
  EXPECT_EQ(result->entries, 6u);
  ASSERT_THAT(result->findings, SizeIs(4));
  for (const core::v1::Finding& f : result->findings) {
    EXPECT_EQ(f.rule_id(), "BLK-LAYER-UNSAFE-PATH");
    EXPECT_EQ(f.location().layer_digest(), LayerOf(blob, "").descriptor.digest.ToString());
    EXPECT_FALSE(f.fingerprint().empty());
  }
  EXPECT_EQ(result->findings[0].location().path(), "../escape");
  EXPECT_THAT(result->findings[1].description(), HasSubstr("absolute"));
  EXPECT_THAT(result->findings[3].description(), HasSubstr("hard link target"));
}

TEST(LayerWalkerTest, NonUtf8AndLongNames) {
  std::string latin1 = "caf\xe9/na\xefve";
  std::string long_name = std::string(4990, 'n') + "/file";  // 4995 bytes, then 5000 in total.
  long_name += ".txt";
  // libarchive converts names by the locale; under a UTF-8 one it may fail to give Latin-1 bytes
  // as a pathname at all, which must not lose the entry.
  for (const char* locale : {"C", "C.UTF-8"})
    for (int format : {ARCHIVE_FORMAT_TAR_GNUTAR, ARCHIVE_FORMAT_TAR_PAX_RESTRICTED}) {
      SCOPED_TRACE(absl::StrCat(locale, " ", format));
      ASSERT_NE(std::setlocale(LC_ALL, locale), nullptr);
      std::string blob = WriteTar({{.name = latin1, .content = "1"},
                                   {.name = "utf8/\xc3\xa9t\xc3\xa9", .content = "2"},
                                   {.name = long_name, .content = "3"}},
                                  format);
      LayerInfo layer = LayerOf(blob, media_type::kOciLayerTar);
      Recorder recorder;
      EXPECT_THAT(Walk(blob, layer, {&recorder}),
                  StatusIs(absl::StatusCode::kResourceExhausted,
                           HasSubstr("limit max_path_length (4096) exceeded")));
      WalkOptions options;
      options.limits.max_path_length = 8192;
      Recorder all;
      ASSERT_THAT(Walk(blob, layer, {&all}, options), IsOk());
      EXPECT_THAT(all.Paths(), ElementsAre(latin1, "utf8/\xc3\xa9t\xc3\xa9", long_name));
      std::setlocale(LC_ALL, "C");
    }
}

// A header whose size field is patched to `octal_size` with the checksum fixed, then cut off.
std::string TruncatedHugeHeader(const std::string& size_field) {
  std::string blob = WriteTar({{.name = "huge", .content = "abc"}}, ARCHIVE_FORMAT_TAR_USTAR);
  blob.replace(124, 12, size_field);
  blob.replace(148, 8, "        ");
  unsigned sum = 0;
  for (int i = 0; i < 512; ++i) sum += static_cast<unsigned char>(blob[i]);
  char checksum[8];
  std::snprintf(checksum, sizeof(checksum), "%06o", sum);
  blob.replace(148, 7, checksum, 7);
  return blob.substr(0, 512 + 4096);
}

TEST(LayerWalkerTest, HugeSizeOnTruncatedBlobIsDataLoss) {
  std::string base256("\x80\0\0\0\x40\0\0\0\0\0\0\0", 12);  // 2^62 bytes, GNU binary form.
  for (const std::string& field : {std::string("77777777777\0", 12), base256}) {
    std::string blob = TruncatedHugeHeader(field);
    LayerInfo layer = LayerOf(blob, media_type::kOciLayerTar);
    Recorder all([](const LayerEntry&) { return true; });
    EXPECT_THAT(Walk(blob, layer, {&all}), StatusIs(absl::StatusCode::kDataLoss,
                                                    HasSubstr(layer.descriptor.digest.ToString())));
    Recorder none;
    EXPECT_THAT(Walk(blob, layer, {&none}), StatusIs(absl::StatusCode::kDataLoss));
  }
}

TEST(LayerWalkerTest, TruncatedGzipIsDataLoss) {
  std::string path = TempDir() + "/trunc.tar";
  WriteFile(path, WriteTar({{.name = "a", .content = std::string(100000, 'a')}}));
  std::string blob = Shell("gzip -c " + path);
  blob.resize(blob.size() / 2);
  EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerGzip), {}),
              StatusIs(absl::StatusCode::kDataLoss));
}

// ---- Bombs and limits ----

class BombTest : public ::testing::TestWithParam<std::pair<const char*, absl::string_view>> {};

TEST_P(BombTest, StopsAtMaxTotalBytes) {
  // 1 GiB of zeros in one entry: about a megabyte compressed.
  std::string path =
      absl::StrCat(TempDir(), "/bomb.", absl::string_view(GetParam().first).substr(0, 4));
  Shell(absl::StrCat("cd ", TempDir(), " && truncate -s 1G zeros && tar -cf - zeros | ",
                     GetParam().first, " > ", path, " && rm zeros"));
  std::string blob = ReadFile(path);
  ASSERT_LT(blob.size(), 8u << 20);
  WalkOptions options;
  options.limits.max_total_bytes = 64 << 20;
  Recorder reader([](const LayerEntry&) { return true; });
  EXPECT_THAT(Walk(blob, LayerOf(blob, GetParam().second), {&reader}, options),
              StatusIs(absl::StatusCode::kResourceExhausted,
                       HasSubstr("limit max_total_bytes (67108864) exceeded")));
  Recorder none;
  EXPECT_THAT(Walk(blob, LayerOf(blob, GetParam().second), {&none}, options),
              StatusIs(absl::StatusCode::kResourceExhausted));
}

INSTANTIATE_TEST_SUITE_P(Compressions, BombTest,
                         ::testing::Values(std::make_pair("gzip -1", media_type::kOciLayerGzip),
                                           std::make_pair("zstd -q -1", media_type::kOciLayerZstd)),
                         [](const auto& info) { return info.index == 0 ? "gzip" : "zstd"; });

TEST(LayerWalkerTest, MaxEntries) {
  std::string blob = WriteTar({{.name = "a"}, {.name = "b"}, {.name = "c"}});
  WalkOptions options;
  options.limits.max_entries = 2;
  EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerTar), {}, options),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries (2)")));
  options.limits.max_entries = 3;
  EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerTar), {}, options), IsOk());
}

// ---- Verification ----

TEST(LayerWalkerTest, DigestMismatchEnforcedOrReported) {
  std::string blob = WriteTar({{.name = "a", .content = "a"}});
  LayerInfo layer = LayerOf(blob, media_type::kOciLayerTar);
  std::string actual = layer.descriptor.digest.ToString();
  std::string diff_id = actual;  // Uncompressed: the diff_id is the blob digest.
  layer.descriptor.digest = core::DigestBytes(core::DigestAlgorithm::kSha256, "other");
  std::string expected = layer.descriptor.digest.ToString();
  EXPECT_THAT(Walk(blob, layer, {}),
              StatusIs(absl::StatusCode::kDataLoss,
                       absl::StrCat(expected, ": blob digest mismatch: expected ", expected,
                                    ", got ", actual)));
  WalkOptions report;
  report.verify = VerifyMode::kReport;
  Recorder recorder;
  absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, {&recorder}, report);
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(result->findings, SizeIs(1));
  EXPECT_EQ(result->findings[0].rule_id(), "BLK-LAYER-DIGEST-MISMATCH");
  EXPECT_EQ(result->findings[0].properties().at("actual"), actual);
  EXPECT_EQ(result->findings[0].location().layer_digest(), expected);
  EXPECT_THAT(recorder.Paths(), ElementsAre("a"));
  EXPECT_EQ(recorder.ends, 1);

  layer = LayerOf(blob, media_type::kOciLayerTar);
  layer.descriptor.size += 1;
  layer.diff_id = core::DigestBytes(core::DigestAlgorithm::kSha256, "x").ToString();
  EXPECT_THAT(Walk(blob, layer, {}),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("blob size mismatch")));
  result = Walk(blob, layer, {}, report);
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(result->findings, SizeIs(2));
  EXPECT_EQ(result->findings[0].rule_id(), "BLK-LAYER-SIZE-MISMATCH");
  EXPECT_EQ(result->findings[1].rule_id(), "BLK-LAYER-DIFFID-MISMATCH");

  layer.descriptor.size -= 1;
  layer.diff_id = diff_id;
  EXPECT_THAT(Walk(blob, layer, {}), IsOk());
}

TEST(LayerWalkerTest, BadMediaTypeOrDiffId) {
  std::string blob = WriteTar({{.name = "a"}});
  Recorder recorder;
  EXPECT_THAT(Walk(blob, LayerOf(blob, "application/vnd.example.layer.v1.tar+lz4"), {&recorder}),
              StatusIs(absl::StatusCode::kUnimplemented,
                       HasSubstr("application/vnd.example.layer.v1.tar+lz4")));
  EXPECT_EQ(recorder.starts, 0);
  LayerInfo layer = LayerOf(blob, media_type::kOciLayerTar);
  layer.diff_id = "sha256:nothex";
  EXPECT_THAT(Walk(blob, layer, {}), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(LayerWalkerTest, GzipLabelledPlainTarIsRead) {
  // Docker archives label uncompressed layer.tar members with the gzip media type.
  std::string blob = WriteTar({{.name = "a", .content = "a"}});
  Recorder recorder;
  EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kDockerLayerGzip), {&recorder}), IsOk());
  EXPECT_THAT(recorder.Paths(), ElementsAre("a"));
}

TEST(LayerWalkerTest, ErrorsFromReaderAndVisitorPropagate) {
  class FailingReader : public BlobReader {
    absl::StatusOr<size_t> Read(char*, size_t) override {
      return absl::UnavailableError("disk went away");
    }
  } failing;
  EXPECT_THAT(WalkLayer(failing, LayerOf("", media_type::kOciLayerGzip), {}),
              StatusIs(absl::StatusCode::kUnavailable, "disk went away"));

  class Refuser : public Recorder {
    absl::Status OnEntry(const LayerInfo&, const LayerEntry&, ContentReader*) override {
      return absl::CancelledError("enough");
    }
  } refuser;
  std::string blob = WriteTar({{.name = "a"}});
  EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerTar), {&refuser}),
              StatusIs(absl::StatusCode::kCancelled, "enough"));
}

// ---- Background decompression gives what the sequential walk gives ----

// Everything a walk shows: each visitor's calls (entries, content digests, truncation), then the
// status or the result with its findings.
std::string Transcript(const std::string& blob, const LayerInfo& layer, const WalkOptions& options,
                       int visitor_count, size_t max_chunk) {
  std::vector<Recorder> recorders;
  for (int i = 0; i < visitor_count; ++i) {
    recorders.emplace_back([i](const LayerEntry& e) { return i == 0 || e.size % 2 == 0; });
  }
  std::vector<LayerVisitor*> visitors;
  for (Recorder& recorder : recorders) visitors.push_back(&recorder);
  absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, visitors, options, max_chunk);
  std::string out = result.status().ToString();
  if (result.ok()) {
    absl::StrAppend(&out, " blob=", result->blob_digest.ToString(), "/", result->blob_bytes,
                    " diff_id=", result->diff_id.ToString(), "/", result->uncompressed_bytes,
                    " entries=", result->entries);
    for (const core::v1::Finding& finding : result->findings) {
      absl::StrAppend(&out, "\nfinding ", finding.ShortDebugString());
    }
  }
  for (const Recorder& recorder : recorders) {
    absl::StrAppend(&out, "\nvisitor starts=", recorder.starts, " ends=", recorder.ends);
    absl::StrAppend(&out, "\n", absl::StrJoin(EntryListing(recorder.entries), "\n"));
    for (const auto& [path, content] : recorder.contents) {
      absl::StrAppend(&out, "\ncontent ", path, " ", content.size(), " ",
                      core::DigestBytes(core::DigestAlgorithm::kSha256, content).ToString());
    }
    absl::StrAppend(&out, "\ntruncated ", absl::StrJoin(recorder.truncated, ","));
  }
  return out;
}

// Files of every size around the 512-byte tar blocks and the decoder's 256 KiB chunks, so that
// headers and contents straddle chunk boundaries.
std::string MixedSizeTar() {
  std::vector<Member> members = {{.name = "dir/", .type = AE_IFDIR},
                                 {.name = "dir/link", .type = AE_IFLNK, .link = "../f0"}};
  const size_t sizes[] = {0, 1, 511, 512, 513, 100000, 262143, 262144, 262145, 3, 600001};
  unsigned seed = 1;
  for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); ++i) {
    std::string content(sizes[i], '\0');
    for (char& c : content) c = static_cast<char>((seed = seed * 1103515245 + 12345) >> 16);
    members.push_back({.name = absl::StrCat("f", i), .content = std::move(content)});
  }
  for (int i = 0; i < 500; ++i)
    members.push_back({.name = absl::StrCat("many/", i), .content = "x"});
  return WriteTar(members);
}

TEST(BackgroundDecompressionTest, SameAsSequentialWalk) {
  const std::string tar = MixedSizeTar();
  const std::string tar_path = TempDir() + "/mixed.tar";
  WriteFile(tar_path, tar);
  const std::string diff_id = core::DigestBytes(core::DigestAlgorithm::kSha256, tar).ToString();
  struct Blob {
    std::string name;
    std::string bytes;
    absl::string_view media_type;
  };
  std::vector<Blob> blobs = {
      {"tar", tar, media_type::kOciLayerTar},
      {"gzip", Shell("gzip -c " + tar_path), media_type::kOciLayerGzip},
      {"zstd", Shell("zstd -q -c " + tar_path), media_type::kOciLayerZstd},
  };
  for (size_t i = 1; i < 3; ++i) {
    Blob truncated = blobs[i];
    truncated.name += "-truncated";
    truncated.bytes.resize(truncated.bytes.size() * 2 / 3);
    Blob corrupt = blobs[i];
    corrupt.name += "-corrupt";
    corrupt.bytes[corrupt.bytes.size() / 2] ^= 0x55;
    Blob trailing = blobs[i];
    trailing.name += "-trailing";
    trailing.bytes += std::string(1000, '\0');
    blobs.insert(blobs.end(), {truncated, corrupt, trailing});
  }
  // A zstd skippable frame: 3 MiB of input that yields no output, which the decoder must hash
  // without holding on to it.
  const uint32_t skip_bytes = 3 << 20;
  std::string skippable("\x50\x2a\x4d\x18", 4);
  for (int shift = 0; shift < 32; shift += 8) skippable += static_cast<char>(skip_bytes >> shift);
  skippable += std::string(skip_bytes, 's');
  blobs.push_back({"zstd-skippable", skippable + blobs[2].bytes, media_type::kOciLayerZstd});
  struct Variant {
    std::string name;
    std::function<void(const std::string& blob, LayerInfo&, WalkOptions&)> change;
  };
  const std::vector<Variant> variants = {
      {"plain", [](const std::string&, LayerInfo&, WalkOptions&) {}},
      {"sha512",
       [](const std::string& blob, LayerInfo& l, WalkOptions&) {
         l.descriptor.digest = core::DigestBytes(core::DigestAlgorithm::kSha512, blob);
       }},
      {"report",
       [](const std::string&, LayerInfo& l, WalkOptions& o) {
         o.verify = VerifyMode::kReport;
         l.descriptor.size += 1;
         l.diff_id = core::DigestBytes(core::DigestAlgorithm::kSha512, "x").ToString();
       }},
      {"max_total_bytes",
       [](const std::string&, LayerInfo&, WalkOptions& o) { o.limits.max_total_bytes = 1000000; }},
      {"max_file_bytes",
       [](const std::string&, LayerInfo&, WalkOptions& o) { o.limits.max_file_bytes = 1000; }},
      {"max_entries",
       [](const std::string&, LayerInfo&, WalkOptions& o) { o.limits.max_entries = 100; }},
  };
  for (const Blob& blob : blobs) {
    for (const Variant& variant : variants) {
      for (int visitors : {0, 1, 2}) {
        for (size_t max_chunk : {size_t{SIZE_MAX}, size_t{4093}}) {
          // Short reads from the blob reader only matter for the plain walk.
          if (max_chunk != SIZE_MAX && (variant.name != "plain" || visitors != 2)) continue;
          SCOPED_TRACE(absl::StrCat(blob.name, " ", variant.name, " visitors=", visitors,
                                    " max_chunk=", max_chunk));
          LayerInfo layer = LayerOf(blob.bytes, blob.media_type);
          layer.diff_id = diff_id;
          WalkOptions options;
          variant.change(blob.bytes, layer, options);
          options.background_decompression = false;
          const std::string sequential =
              Transcript(blob.bytes, layer, options, visitors, max_chunk);
          options.background_decompression = true;
          EXPECT_EQ(Transcript(blob.bytes, layer, options, visitors, max_chunk), sequential);
          if (variant.name == "plain" || variant.name == "sha512") {
            // Intact blobs walk; damaged ones fail, however the work is split.
            const bool damaged =
                absl::EndsWith(blob.name, "-truncated") || absl::EndsWith(blob.name, "-corrupt");
            if (!absl::EndsWith(blob.name, "-trailing")) {
              EXPECT_EQ(absl::StartsWith(sequential, "OK"), !damaged) << sequential;
            }
          }
        }
      }
    }
  }
}

TEST(BackgroundDecompressionTest, VisitorStoppingEarlyEndsTheWorker) {
  const std::string tar_path = TempDir() + "/stop.tar";
  WriteFile(tar_path, MixedSizeTar());
  const std::string blob = Shell("zstd -q -c " + tar_path);
  class StopAt : public Recorder {
   public:
    absl::Status OnEntry(const LayerInfo& l, const LayerEntry& e, ContentReader* c) override {
      if (e.path == "f5") return absl::CancelledError("stop at f5");
      return Recorder::OnEntry(l, e, c);
    }
  };
  for (bool background : {false, true}) {
    StopAt visitor;
    WalkOptions options;
    options.background_decompression = background;
    EXPECT_THAT(Walk(blob, LayerOf(blob, media_type::kOciLayerZstd), {&visitor}, options),
                StatusIs(absl::StatusCode::kCancelled, "stop at f5"));
    EXPECT_THAT(visitor.entries, SizeIs(7));
  }
}

// ---- Real layers from ../shared ----

// Extracts every layer.tar of a docker-save archive and walks it with its own sha256 as both
// blob digest and diff_id (docker-save layers are uncompressed).
void WalkDockerSaveLayers(const std::string& archive, int want_layers) {
  std::string dir = TempDir() + "/real_" + std::to_string(std::hash<std::string>()(archive));
  Shell(absl::StrCat("rm -rf ", dir, " && mkdir -p ", dir, " && tar -xf ", archive, " -C ", dir,
                     " --wildcards '*layer.tar' 2>/dev/null"));
  std::vector<std::string> layers =
      absl::StrSplit(Shell(absl::StrCat("find ", dir, " -name layer.tar -type f | sort")), '\n',
                     absl::SkipEmpty());
  ASSERT_THAT(layers, SizeIs(want_layers));
  for (const std::string& path : layers) {
    SCOPED_TRACE(path);
    std::string blob = ReadFile(path);
    LayerInfo layer = LayerOf(blob, media_type::kOciLayerTar);
    layer.diff_id = ToolDigest("sha256sum " + path, "sha256");
    Recorder recorder;
    absl::StatusOr<LayerWalkResult> result = Walk(blob, layer, {&recorder});
    ASSERT_THAT(result, IsOk());
    EXPECT_THAT(result->findings, IsEmpty());
    EXPECT_EQ(EntryListing(recorder.entries), TarListing(path));
  }
}

TEST(RealLayersTest, TrivyAlpine) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/oci/trivy/pkg/fanal/test/testdata");
  WalkDockerSaveLayers(dir + "/alpine-310.tar.gz", 1);
  WalkDockerSaveLayers(dir + "/alpine-311.tar.gz", 1);
}

TEST(RealLayersTest, GoContainerRegistry) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/oci/go-containerregistry/pkg/v1");
  WalkDockerSaveLayers(dir + "/tarball/testdata/test_image_1.tar", 1);
  WalkDockerSaveLayers(dir + "/mutate/testdata/whiteout_image.tar", 3);
  WalkDockerSaveLayers(dir + "/mutate/testdata/overwritten_file.tar", 3);
}

}  // namespace
}  // namespace bulwark::image
