#include "bulwark/image/sbom/gobinary/go_buildinfo.h"

#include <sys/stat.h>

#include <cstdlib>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sbom/binfmt/macho.h"
#include "bulwark/image/sbom/binfmt/pe.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::Pair;
using ::testing::SizeIs;

// Where bazel/setup.sh unpacks npm packages used as test fixtures (not committed).
constexpr char kFixturesDir[] = "/var/cache/bulwark/testdata";
constexpr char kBufPackage[] = "npm/bufbuild-buf-linux-x64-1.75.0/package/bin";

// Go's strconv.Quote for the ASCII text build settings hold.
std::string GoQuote(absl::string_view text) {
  std::string out = "\"";
  for (char c : text) {
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      default:
        out.push_back(c);
    }
  }
  return out + "\"";
}

// The lines `go version -m` prints after its first one, from our result (runtime/debug's
// BuildInfo.String, minus the "go" line that the first output line replaces).
std::vector<std::string> GoVersionLines(const GoBuildInfo& info) {
  std::vector<std::string> lines;
  if (!info.path.empty()) lines.push_back("path\t" + info.path);
  auto module = [&](absl::string_view word, const GoModule& m) {
    if (m.replace.has_value()) {
      lines.push_back(absl::StrCat(word, "\t", m.path, "\t", m.version));
      lines.push_back(
          absl::StrCat("=>\t", m.replace->path, "\t", m.replace->version, "\t", m.replace->sum));
    } else {
      lines.push_back(absl::StrCat(word, "\t", m.path, "\t", m.version, "\t", m.sum));
    }
  };
  if (info.main.has_value()) module("mod", *info.main);
  for (const GoModule& dep : info.deps) module("dep", dep);
  for (const auto& [key, value] : info.settings) {
    std::string k = key.find_first_of("= \t\r\n\"`") != std::string::npos ? GoQuote(key) : key;
    std::string v = value.find_first_of(" \t\r\n\"`") != std::string::npos ? GoQuote(value) : value;
    lines.push_back(absl::StrCat("build\t", k, "=", v));
  }
  return lines;
}

struct GoVersionOutput {
  std::string go_version;
  std::vector<std::string> lines;
};

// Runs Debian's `go version -m` on `path`.
absl::StatusOr<GoVersionOutput> GoVersionM(const std::string& path) {
  auto output = core::testing::RunCommand(
      absl::StrCat("HOME=", std::getenv("TEST_TMPDIR"), " GOCACHE=off go version -m ", path));
  if (!output.ok()) return output.status();
  GoVersionOutput result;
  std::vector<std::string> lines = absl::StrSplit(*output, '\n');
  result.go_version = lines[0].substr(lines[0].rfind(' ') + 1);
  for (size_t i = 1; i < lines.size(); ++i) {
    // go 1.19 prints an empty line after each "=>" line; skip it.
    if (lines[i].empty() || lines[i] == "\t") continue;
    result.lines.push_back(lines[i].substr(1));
  }
  return result;
}

bool HaveGo() { return core::testing::HaveProgram("go"); }

#define REQUIRE_OR_SKIP(condition, why)                \
  do {                                                 \
    if (!(condition)) {                                \
      if (core::testing::RunningInCi()) FAIL() << why; \
      GTEST_SKIP() << why;                             \
    }                                                  \
  } while (false)

// Reads `path`, decodes it and compares with `go version -m`. Returns the decoded info.
// Unless `crafted`, the file also carries the Go build ID note in its first 32 KiB.
GoBuildInfo ExpectSameAsGo(const std::string& path, bool crafted = false) {
  auto bytes = core::ReadFileToString(path, uint64_t{1} << 30);
  EXPECT_THAT(bytes, IsOk()) << path;
  if (!bytes.ok()) return {};
  // Every Go executable is told apart by its first 32 KiB (ELF: by the note).
  const absl::string_view head = absl::string_view(*bytes).substr(0, 32 << 10);
  EXPECT_EQ(HasGoBuildId(head), !crafted) << path;
  if (absl::StartsWith(head,
                       "\x7f"
                       "ELF")) {
    EXPECT_EQ(HasGoBuildIdNote(head), !crafted) << path;
  }
  auto info = ReadGoBuildInfo(*bytes, path);
  EXPECT_THAT(info, IsOk()) << path;
  if (!info.ok()) return {};
  auto expected = GoVersionM(path);
  EXPECT_THAT(expected, IsOk()) << path;
  if (!expected.ok()) return *info;
  EXPECT_EQ(info->go_version, expected->go_version) << path;
  EXPECT_THAT(GoVersionLines(*info), ElementsAreArray(expected->lines)) << path;
  return *info;
}

std::string Fixture(absl::string_view name) {
  return absl::StrCat(std::getenv("TEST_SRCDIR"), "/", std::getenv("TEST_WORKSPACE"),
                      "/image/sbom/gobinary/fixtures/", name);
}

TEST(GoBuildInfoTest, ModuleModeBinaryWithManyDependenciesMatchesGo) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  const std::string dir = absl::StrCat(kFixturesDir, "/", kBufPackage);
  REQUIRE_OR_SKIP(
      core::ReadFileToString(dir + "/buf", 1).status().code() != absl::StatusCode::kNotFound,
      dir + "/buf is missing (bazel/setup.sh fetches it with npm pack)");
  GoBuildInfo buf = ExpectSameAsGo(dir + "/buf");
  EXPECT_EQ(buf.path, "github.com/bufbuild/buf/cmd/buf");
  EXPECT_THAT(buf.deps, SizeIs(::testing::Gt(50)));
  for (const GoModule& dep : buf.deps) {
    if (!dep.replace.has_value()) {
      EXPECT_TRUE(absl::StartsWith(dep.sum, "h1:")) << dep.path;
    }
  }
  ExpectSameAsGo(dir + "/protoc-gen-buf-breaking");
  ExpectSameAsGo(dir + "/protoc-gen-buf-lint");
}

TEST(GoBuildInfoTest, DebianGopathBuildsCarryOnlyPathAndVersion) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  for (const char* path : {"/usr/bin/umoci", "/usr/bin/skopeo"}) {
    GoBuildInfo info = ExpectSameAsGo(path);
    EXPECT_FALSE(info.main.has_value()) << path;
    EXPECT_THAT(info.deps, SizeIs(0)) << path;
    EXPECT_TRUE(absl::StartsWith(info.go_version, "go1.")) << path;
  }
  GoBuildInfo go = ExpectSameAsGo("/usr/lib/go/bin/go");
  EXPECT_EQ(go.path, "cmd/go");
}

TEST(GoBuildInfoTest, BuiltFixturesMatchGo) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  GoBuildInfo app = ExpectSameAsGo(Fixture("app-amd64"));
  ASSERT_TRUE(app.main.has_value());
  EXPECT_EQ(app.main->path, "example.com/app");
  ASSERT_THAT(app.deps, SizeIs(1));
  ASSERT_TRUE(app.deps[0].replace.has_value());
  EXPECT_EQ(app.deps[0].replace->path, "../lib");
  EXPECT_THAT(app.settings, ::testing::Contains(Pair("-ldflags", "-X 'main.note=a b'")));
  for (const char* name : {"app-amd64-stripped", "app-386", "app-ppc64"}) {
    ExpectSameAsGo(Fixture(name));
  }
}

TEST(GoBuildInfoTest, WindowsAndMacOsExecutablesMatchGo) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  for (const char* name : {"app-windows-amd64.exe", "app-windows-386.exe", "app-darwin-arm64",
                           "app-darwin-amd64-stripped"}) {
    GoBuildInfo app = ExpectSameAsGo(Fixture(name));
    ASSERT_TRUE(app.main.has_value()) << name;
    EXPECT_EQ(app.main->path, "example.com/app");
    ASSERT_THAT(app.deps, SizeIs(1));
    EXPECT_EQ(app.deps[0].replace->path, "../lib");
  }
}

// Rewrites the Go >= 1.18 inline header at `header` (file offset; virtual address `address`)
// into the older pointer layout: two 8-byte little-endian pointers to Go string headers, the
// headers, then the strings, all in the same section. Go's own reader follows the pointers
// through the format's section or segment table, so it checks that ours map addresses alike.
std::string ToPointerFormat(std::string bytes, size_t header, uint64_t address) {
  auto put = [&](size_t at, uint64_t value) {
    for (int i = 0; i < 8; ++i) bytes[at + i] = static_cast<char>((value >> (8 * i)) & 0xff);
  };
  absl::string_view rest = absl::string_view(bytes).substr(header + 32);
  auto varint_string = [&](absl::string_view& in) {
    uint64_t length = 0;
    int shift = 0;
    while (static_cast<unsigned char>(in[0]) & 0x80) {
      length |= uint64_t{static_cast<unsigned char>(in[0]) & 0x7fu} << shift;
      shift += 7;
      in.remove_prefix(1);
    }
    length |= uint64_t{static_cast<unsigned char>(in[0])} << shift;
    in.remove_prefix(1);
    std::string out(in.substr(0, length));
    in.remove_prefix(length);
    return out;
  };
  const std::string version = varint_string(rest);
  const std::string modinfo = varint_string(rest);
  bytes[header + 14] = 8;
  bytes[header + 15] = 0;
  put(header + 16, address + 32);
  put(header + 24, address + 48);
  put(header + 32, address + 64);
  put(header + 40, version.size());
  put(header + 48, address + 64 + version.size());
  put(header + 56, modinfo.size());
  bytes.replace(header + 64, version.size() + modinfo.size(), version + modinfo);
  return bytes;
}

void ExpectPointerFormatMatchesGo(const std::string& name, const std::string& bytes, size_t header,
                                  uint64_t address) {
  const std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/old-", name);
  const std::string crafted = ToPointerFormat(bytes, header, address);
  FILE* f = fopen(path.c_str(), "wb");
  fwrite(crafted.data(), 1, crafted.size(), f);
  fclose(f);
  chmod(path.c_str(), 0755);
  GoBuildInfo info = ExpectSameAsGo(path);
  EXPECT_EQ(info.main->path, "example.com/app") << name;
}

TEST(GoBuildInfoTest, PointerFormatInPeAndMachOMatchesGo) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  const std::string magic("\xff Go buildinf:", 14);
  {
    auto bytes = core::ReadFileToString(Fixture("app-windows-amd64.exe"), uint64_t{1} << 30);
    ASSERT_THAT(bytes, IsOk());
    auto pe = binfmt::PeFile::Parse(*bytes, "exe");
    ASSERT_THAT(pe, IsOk());
    const size_t header = bytes->find(magic);
    for (const binfmt::PeSection& section : pe->sections()) {
      if (header >= section.raw_offset && header < section.raw_offset + section.raw_size) {
        ExpectPointerFormatMatchesGo(
            "exe", *bytes, header,
            pe->image_base() + section.virtual_address + (header - section.raw_offset));
      }
    }
  }
  {
    auto bytes = core::ReadFileToString(Fixture("app-darwin-arm64"), uint64_t{1} << 30);
    ASSERT_THAT(bytes, IsOk());
    auto macho = binfmt::MachOFile::Parse(*bytes, "macho");
    ASSERT_THAT(macho, IsOk());
    const binfmt::MachOSection* section = macho->FindSection("__go_buildinfo");
    ASSERT_NE(section, nullptr);
    ASSERT_EQ(bytes->find(magic), section->offset);
    ExpectPointerFormatMatchesGo("macho", *bytes, section->offset, section->address);
  }
}

// Cut, or with a header field set to a huge value, a PE or Mach-O file gives an error or no
// build info, never a crash (this runs under ASan too).
TEST(GoBuildInfoTest, DamagedPeAndMachOFiles) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  for (const char* name : {"app-windows-386.exe", "app-darwin-amd64-stripped"}) {
    auto bytes = core::ReadFileToString(Fixture(name), uint64_t{1} << 30);
    ASSERT_THAT(bytes, IsOk());
    for (size_t size :
         {size_t{2}, size_t{0x3c}, size_t{0x40}, size_t{0x90}, size_t{0x200}, size_t{0x1000}}) {
      auto info = ReadGoBuildInfo(absl::string_view(*bytes).substr(0, size), name);
      EXPECT_FALSE(info.ok()) << name << " cut at " << size;
    }
    for (size_t size : {bytes->size() / 3, bytes->size() / 2, bytes->size() - 1}) {
      (void)ReadGoBuildInfo(absl::string_view(*bytes).substr(0, size), name);
    }
    for (size_t at = 0; at < 0x400; at += 4) {
      std::string lying = *bytes;
      for (size_t i = at; i < at + 4; ++i) lying[i] = '\xff';
      (void)ReadGoBuildInfo(lying, name);
    }
  }
}

// With no section headers, the build info is found through the data segment.
TEST(GoBuildInfoTest, FindsBuildInfoWithoutSectionHeaders) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  auto bytes = core::ReadFileToString(Fixture("app-amd64"), uint64_t{1} << 30);
  ASSERT_THAT(bytes, IsOk());
  auto with_sections = ReadGoBuildInfo(*bytes, "app");
  std::string no_sections = *bytes;
  no_sections[60] = no_sections[61] = '\0';  // e_shnum = 0
  auto without_sections = ReadGoBuildInfo(no_sections, "app");
  ASSERT_THAT(without_sections, IsOk());
  EXPECT_EQ(GoVersionLines(*without_sections), GoVersionLines(*with_sections));
}

// A minimal ELF64 executable holding build info in the pre-1.18 layout (pointers to Go string
// headers), which no toolchain here produces any more; Go's own reader is the oracle.
std::string OldFormatElf(bool big_endian, absl::string_view version, absl::string_view modinfo) {
  const uint64_t base = 0x400000;
  std::string data;  // The loaded segment, at file offset 0x1000.
  auto put = [&](std::string* out, uint64_t value, int bytes) {
    for (int i = 0; i < bytes; ++i) {
      int shift = big_endian ? 8 * (bytes - 1 - i) : 8 * i;
      out->push_back(static_cast<char>((value >> shift) & 0xff));
    }
  };
  const uint64_t segment = base + 0x1000;
  data = std::string("\xff Go buildinf:", 14);
  data.push_back(8);
  data.push_back(big_endian ? 1 : 0);
  put(&data, segment + 32, 8);  // -> version string header
  put(&data, segment + 48, 8);  // -> modinfo string header
  put(&data, segment + 64, 8);
  put(&data, version.size(), 8);
  put(&data, segment + 64 + version.size(), 8);
  put(&data, modinfo.size(), 8);
  data += std::string(version) + std::string(modinfo);

  std::string elf =
      "\x7f"
      "ELF";
  elf += std::string{2, static_cast<char>(big_endian ? 2 : 1), 1, 0};
  elf.resize(16, '\0');
  put(&elf, 2, 2);                     // e_type EXEC
  put(&elf, big_endian ? 21 : 62, 2);  // e_machine PPC64 / X86_64
  put(&elf, 1, 4);
  put(&elf, base, 8);  // e_entry
  put(&elf, 64, 8);    // e_phoff
  put(&elf, 0, 8);     // e_shoff
  put(&elf, 0, 4);
  put(&elf, 64, 2);  // e_ehsize
  put(&elf, 56, 2);  // e_phentsize
  put(&elf, 1, 2);   // e_phnum
  put(&elf, 64, 2);  // e_shentsize
  put(&elf, 0, 2);
  put(&elf, 0, 2);
  put(&elf, 1, 4);  // PT_LOAD
  put(&elf, 6, 4);  // PF_R | PF_W
  put(&elf, 0x1000, 8);
  put(&elf, segment, 8);
  put(&elf, segment, 8);
  put(&elf, data.size(), 8);
  put(&elf, data.size(), 8);
  put(&elf, 0x1000, 8);
  elf.resize(0x1000, '\0');
  return elf + data;
}

TEST(GoBuildInfoTest, PointerFormatMatchesGo) {
  REQUIRE_OR_SKIP(HaveGo(), "go is not installed (bazel/setup.sh installs golang-go)");
  const std::string sentinel(16, 'S');
  const std::string modinfo =
      sentinel.substr(0, 15) + "\n" +
      "path\texample.com/old\nmod\texample.com/old\tv1.2.3\th1:abc=\n"
      "dep\tgolang.org/x/text\tv0.3.7\th1:def=\n" +
      "dep\texample.com/r\tv1.0.0\n=>\texample.com/fork\tv1.0.1\th1:ghi=\n" + sentinel;
  for (bool big_endian : {false, true}) {
    std::string elf = OldFormatElf(big_endian, "go1.16.15", modinfo);
    std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/old-", big_endian);
    FILE* f = fopen(path.c_str(), "wb");
    fwrite(elf.data(), 1, elf.size(), f);
    fclose(f);
    chmod(path.c_str(), 0755);  // go version -m reads executables only.
    GoBuildInfo info = ExpectSameAsGo(path, /*crafted=*/true);
    EXPECT_EQ(info.go_version, "go1.16.15");
    EXPECT_THAT(info.deps, SizeIs(2));
  }
}

TEST(GoBuildInfoTest, BuildIdNoteOnlyInGoExecutables) {
  for (const char* path : {"/bin/true", "/bin/sh", "/usr/bin/objcopy"}) {
    auto bytes = core::ReadFileToString(path, uint64_t{1} << 30);
    ASSERT_THAT(bytes, IsOk()) << path;
    EXPECT_FALSE(HasGoBuildIdNote(*bytes)) << path;
  }
  auto go = core::ReadFileToString("/usr/bin/umoci", uint64_t{1} << 30);
  if (!go.ok()) GTEST_SKIP() << "no umoci";
  // Cut inside the program headers or the note: not enough to say.
  for (size_t size : {0, 4, 63, 100, 0x3d4 + 8}) {
    EXPECT_FALSE(HasGoBuildIdNote(absl::string_view(*go).substr(0, size))) << size;
  }
  std::string lying = go->substr(0, 32 << 10);
  for (size_t i = 0x20; i < 0x28; ++i) lying[i] = '\xff';  // e_phoff far outside the file.
  EXPECT_FALSE(HasGoBuildIdNote(lying));
}

TEST(GoModInfoTest, QuotedSettingsAndErrors) {
  auto info = ParseGoModInfo(
      "build\t-ldflags=\"-s -w \\\"x\\\"\"\nbuild\t\"we=ird\"=`raw\\n`\nbuild\tplain=a=b\n"
      "unknown line is ignored\nbuild\tlast=ignored-without-newline",
      "x");
  ASSERT_THAT(info, IsOk());
  EXPECT_THAT(info->settings, ElementsAre(Pair("-ldflags", "-s -w \"x\""), Pair("we=ird", "raw\\n"),
                                          Pair("plain", "a=b")));
  EXPECT_THAT(ParseGoModInfo("=>\ta\tv1\n", "bin"),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("bin: module info line 1: replacement with no module")));
  EXPECT_THAT(ParseGoModInfo("dep\ta\n", "bin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("got 1")));
  EXPECT_THAT(ParseGoModInfo("build\tnokey\n", "bin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("has no '='")));
  EXPECT_THAT(ParseGoModInfo("build\t\"open=x\n", "bin"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unterminated")));
}

TEST(GoModInfoTest, UnquoteLikeStrconv) {
  EXPECT_EQ(*UnquoteGoString("\"a\\tb\\x41\\u00e9\\U0001F600\\101\""),
            "a\tbA\xc3\xa9\xf0\x9f\x98\x80"
            "A");
  EXPECT_EQ(*UnquoteGoString("`a\\n`"), "a\\n");
  for (const char* bad : {"\"", "\"a", "\"\\q\"", "\"\\x4\"", "\"\\ud800\"", "\"\\400\"", "'a'"}) {
    EXPECT_THAT(UnquoteGoString(bad), StatusIs(absl::StatusCode::kInvalidArgument)) << bad;
  }
}

TEST(GoBuildInfoTest, NotGoAndDamagedInputs) {
  EXPECT_THAT(ReadGoBuildInfo("#!/bin/sh\n", "script"), StatusIs(absl::StatusCode::kNotFound));
  auto ls = core::ReadFileToString("/bin/ls", uint64_t{1} << 30);
  ASSERT_THAT(ls, IsOk());
  EXPECT_THAT(ReadGoBuildInfo(*ls, "ls"),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("ls: no Go build info")));
  // Inline strings whose varint lengths run past the data.
  std::string elf = OldFormatElf(false, "go1.16", "");
  const size_t header = elf.find("\xff Go buildinf:");
  elf[header + 15] = 2;
  elf[header + 32] = '\xff';
  EXPECT_THAT(ReadGoBuildInfo(elf, "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated inline strings")));
  // Pointers that lead nowhere: not a Go binary, as Go's reader says.
  std::string lost = OldFormatElf(false, "go1.16", "");
  lost[header + 16] = '\x7f';
  EXPECT_THAT(ReadGoBuildInfo(lost, "x"), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace bulwark::sbom
