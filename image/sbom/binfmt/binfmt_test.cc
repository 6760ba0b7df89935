#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "bulwark/image/sbom/binfmt/bytes.h"
#include "bulwark/image/sbom/binfmt/elf.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom::binfmt {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;

TEST(BytesTest, BoundsAndByteOrder) {
  const std::string data("\x01\x02\x03\x04\x05", 5);
  uint32_t value = 7;
  EXPECT_TRUE(ReadU32(data, 0, ByteOrder::kBig, &value));
  EXPECT_EQ(value, 0x01020304u);
  EXPECT_TRUE(ReadU32(data, 1, ByteOrder::kLittle, &value));
  EXPECT_EQ(value, 0x05040302u);
  EXPECT_FALSE(ReadU32(data, 2, ByteOrder::kBig, &value));
  EXPECT_FALSE(ReadU32(data, UINT64_MAX, ByteOrder::kBig, &value));
  EXPECT_EQ(value, 0x05040302u);  // Untouched by failed reads.
  EXPECT_FALSE(InBounds(data, 3, UINT64_MAX));
  EXPECT_TRUE(InBounds(data, 5, 0));
}

struct ReadelfSection {
  std::string name;
  uint64_t address, offset, size;
};

// Sections as binutils' readelf lists them.
std::vector<ReadelfSection> ReadelfSections(const std::string& path) {
  std::vector<ReadelfSection> sections;
  auto output = core::testing::RunCommand("readelf -S --wide " + path);
  if (!output.ok()) return sections;
  for (absl::string_view line : absl::StrSplit(*output, '\n')) {
    size_t bracket = line.find("] ");
    if (line.find("  [") != 0 || bracket == absl::string_view::npos) continue;
    std::vector<absl::string_view> fields =
        absl::StrSplit(line.substr(bracket + 2), ' ', absl::SkipEmpty());
    if (fields.size() < 5 || fields[0] == "Name") continue;
    ReadelfSection section;
    // Index 0 has an empty name, so its fields start one earlier.
    size_t first = fields[0] == "NULL" ? 0 : 1;
    section.name = first == 0 ? "" : std::string(fields[0]);
    absl::SimpleHexAtoi(fields[first + 1], &section.address);
    absl::SimpleHexAtoi(fields[first + 2], &section.offset);
    absl::SimpleHexAtoi(fields[first + 3], &section.size);
    sections.push_back(section);
  }
  return sections;
}

TEST(ElfTest, SectionsAgreeWithReadelf) {
  if (!core::testing::HaveProgram("readelf")) GTEST_SKIP() << "readelf not installed";
  for (const std::string path : {"/bin/ls", "/usr/bin/umoci"}) {
    auto bytes = core::ReadFileToString(path, uint64_t{1} << 30);
    if (!bytes.ok()) continue;
    auto elf = ElfFile::Parse(*bytes, path);
    ASSERT_THAT(elf, IsOk());
    EXPECT_TRUE(elf->is_64bit());
    std::vector<ReadelfSection> expected = ReadelfSections(path);
    ASSERT_EQ(elf->sections().size(), expected.size()) << path;
    for (size_t i = 0; i < expected.size(); ++i) {
      EXPECT_EQ(elf->sections()[i].name, expected[i].name) << path << " " << i;
      EXPECT_EQ(elf->sections()[i].address, expected[i].address) << expected[i].name;
      EXPECT_EQ(elf->sections()[i].offset, expected[i].offset) << expected[i].name;
      EXPECT_EQ(elf->sections()[i].size, expected[i].size) << expected[i].name;
    }
    // The bytes at a section's address are the section's bytes.
    const ElfSection* rodata = elf->FindSection(".rodata");
    ASSERT_NE(rodata, nullptr);
    auto by_address = elf->ReadAtAddress(rodata->address, 64);
    ASSERT_THAT(by_address, IsOk());
    EXPECT_EQ(*by_address, elf->SectionData(*rodata)->substr(0, 64));
  }
}

TEST(ElfTest, HostileHeaders) {
  auto bytes = core::ReadFileToString("/bin/ls", uint64_t{1} << 30);
  ASSERT_THAT(bytes, IsOk());
  EXPECT_THAT(ElfFile::Parse("MZ", "a.exe"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("a.exe: invalid ELF file")));
  EXPECT_THAT(ElfFile::Parse(bytes->substr(0, 40), "ls"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("truncated")));
  EXPECT_THAT(ElfFile::Parse(bytes->substr(0, 4096), "ls"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("section header table")));
  std::string bad_class = *bytes;
  bad_class[4] = 9;
  EXPECT_THAT(ElfFile::Parse(bad_class, "ls"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown class 9")));
  std::string huge_offset = *bytes;
  for (int i = 0; i < 8; ++i) huge_offset[40 + i] = '\xff';  // e_shoff
  EXPECT_THAT(ElfFile::Parse(huge_offset, "ls"), StatusIs(absl::StatusCode::kInvalidArgument));
  // A section whose data lies outside the file is an error only when read.
  auto elf = ElfFile::Parse(*bytes, "ls");
  ASSERT_THAT(elf, IsOk());
  ElfSection fake = elf->sections()[1];
  fake.offset = UINT64_MAX - 2;
  EXPECT_THAT(elf->SectionData(fake), StatusIs(absl::StatusCode::kOutOfRange));
  EXPECT_THAT(elf->ReadAtAddress(UINT64_MAX - 1, 8), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace bulwark::sbom::binfmt
