#include "bulwark/image/sbom/rpm/rpm_header.h"

#include <string>
#include <vector>

#include "bulwark/core/status_matchers.h"
#include "bulwark/image/sbom/rpm/rpm_package.h"
#include "bulwark/image/sbom/rpm/testing/header_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::bulwark::sbom::testing::RpmHeaderBuilder;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

RpmHeaderBuilder BashHeader() {
  RpmHeaderBuilder builder;
  builder.AddString(rpm_tag::kName, "bash")
      .AddString(rpm_tag::kVersion, "4.4")
      .AddString(rpm_tag::kRelease, "19.6.1")
      .AddInt32(rpm_tag::kEpoch, {2})
      .AddStrings(rpm_tag::kSummary, {"The GNU Bourne-Again Shell", "Die Shell"},
                  RpmTagType::kI18nString)
      .AddInt32(rpm_tag::kSize, {1114706})
      .AddString(rpm_tag::kArch, "x86_64")
      .AddString(rpm_tag::kSourceRpm, "bash-4.4-19.6.1.src.rpm")
      .AddBinary(rpm_tag::kSigMd5, std::string("\x6e\x08\xd5\x27\x9c\xee\xec\x28\x21\x35\x18\x06"
                                               "\x42\x28\x18\x86",
                                               16))
      .AddStrings(rpm_tag::kDirNames, {"/usr/bin/", "/etc/"})
      .AddStrings(rpm_tag::kBaseNames, {"bash", "bashrc", "sh"})
      .AddInt32(rpm_tag::kDirIndexes, {0, 1, 0})
      .AddInt16(rpm_tag::kFileModes, {0100755, 0100644, 0120777})
      .AddInt32(rpm_tag::kFileSizes, {1000, 20, 4})
      .AddStrings(rpm_tag::kFileDigests, {"ab", "cd", ""})
      .AddInt32(rpm_tag::kFileFlags, {0, 1, 0});
  return builder;
}

TEST(RpmHeaderTest, ReadsEveryType) {
  std::string blob = BashHeader().Build();
  auto header = RpmHeader::Parse(blob, "bash");
  ASSERT_THAT(header, IsOk());
  EXPECT_EQ(*header->GetString(rpm_tag::kName), "bash");
  EXPECT_EQ(*header->GetString(rpm_tag::kSummary), "The GNU Bourne-Again Shell");
  EXPECT_THAT(*header->GetStrings(rpm_tag::kBaseNames), ElementsAre("bash", "bashrc", "sh"));
  EXPECT_THAT(*header->GetIntegers(rpm_tag::kFileModes), ElementsAre(0100755, 0100644, 0120777));
  EXPECT_THAT(*header->GetIntegers(rpm_tag::kEpoch), ElementsAre(2));
  EXPECT_THAT(header->GetBinary(rpm_tag::kSigMd5), IsOk());
  EXPECT_THAT(header->GetString(rpm_tag::kLicense), StatusIs(absl::StatusCode::kNotFound));
  EXPECT_THAT(header->GetIntegers(rpm_tag::kName),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not an integer type")));
  EXPECT_THAT(header->GetString(rpm_tag::kBaseNames),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("expected one")));
}

TEST(RpmHeaderTest, PackageFieldsAndFiles) {
  std::string blob = BashHeader().Build();
  std::vector<std::string> warnings;
  auto package = ParseRpmPackage(blob, "bash", {}, &warnings);
  ASSERT_THAT(package, IsOk());
  EXPECT_THAT(warnings, IsEmpty());
  EXPECT_EQ(package->name, "bash");
  EXPECT_EQ(RpmEvr(*package), "2:4.4-19.6.1");
  EXPECT_EQ(package->size, 1114706u);
  EXPECT_EQ(package->sig_md5, "6e08d5279ceeec282135180642281886");
  ASSERT_THAT(package->files, SizeIs(3));
  EXPECT_EQ(package->files[0].path, "/usr/bin/bash");
  EXPECT_EQ(package->files[1].path, "/etc/bashrc");
  EXPECT_EQ(package->files[1].flags, 1u);
  EXPECT_EQ(package->files[2].mode, 0120777u);
  EXPECT_EQ(package->files[0].digest, "ab");
  RpmPackageOptions no_files;
  no_files.include_files = false;
  EXPECT_THAT(ParseRpmPackage(blob, "bash", no_files)->files, IsEmpty());
}

TEST(RpmHeaderTest, SourceRpmNames) {
  auto source = ParseSourceRpm("gcc11-11.2.1+git610-1.3.9.src.rpm");
  ASSERT_TRUE(source.has_value());
  EXPECT_EQ(source->name, "gcc11");
  EXPECT_EQ(source->version, "11.2.1+git610");
  EXPECT_EQ(source->release, "1.3.9");
  EXPECT_FALSE(ParseSourceRpm("bash.rpm").has_value());
  EXPECT_FALSE(ParseSourceRpm("-1.src.rpm").has_value());
  EXPECT_FALSE(ParseSourceRpm("a--.src.rpm").has_value());
}

// Each broken header must be rejected with a message naming what lies.
TEST(RpmHeaderTest, LyingHeadersAreErrors) {
  struct Case {
    const char* name;
    std::string blob;
    const char* message;
  };
  std::vector<Case> cases;
  cases.push_back({"empty", "", "shorter than its 8-byte intro"});
  cases.push_back({"zero entries", std::string(8, '\0'), "index entry count 0"});
  cases.push_back({"65536 entries", std::string("\x00\x01\x00\x00\x00\x00\x00\x00", 8),
                   "index entry count 65536"});
  cases.push_back({"huge data", std::string("\x00\x00\x00\x01\x7f\x00\x00\x00", 8), "data size"});
  {
    std::string blob = BashHeader().Build();
    cases.push_back({"truncated", blob.substr(0, blob.size() - 1), "but the blob has"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(0).offset = 100000;
    cases.push_back({"offset outside", b.Build(), "outside the"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(3).count = 0x40000000;  // EPOCH INT32 x 2^30 overruns (and overflows 32 bits).
    cases.push_back({"count overrun", b.Build(), "overrun"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(3).offset += 1;
    cases.push_back({"misaligned", b.Build(), "misaligned"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(1).type = 42;
    cases.push_back({"unknown type", b.Build(), "unknown type 42"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(10).count = 0xffffffff;  // More strings than bytes.
    cases.push_back({"string count", b.Build(), "cannot fit"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(0).count = 2;
    cases.push_back({"STRING count 2", b.Build(), "STRING with count 2"});
  }
  {
    RpmHeaderBuilder b = BashHeader();
    b.entry(0).count = 0;
    cases.push_back({"count 0", b.Build(), "count 0"});
  }
  for (const Case& c : cases) {
    EXPECT_THAT(RpmHeader::Parse(c.blob, "db#7"),
                StatusIs(absl::StatusCode::kInvalidArgument,
                         ::testing::AllOf(HasSubstr("db#7"), HasSubstr(c.message))))
        << c.name;
  }
}

TEST(RpmHeaderTest, StringWithoutNulIsAnErrorWhenRead) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kVersion, "1").AddString(rpm_tag::kName, "abc");
  b.set_data_length_adjustment(-1);  // The data store ends before the last NUL.
  std::string blob = b.Build();
  blob.pop_back();
  auto header = RpmHeader::Parse(blob, "x");
  ASSERT_THAT(header, IsOk());
  EXPECT_THAT(header->GetString(rpm_tag::kName),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("no NUL")));
  EXPECT_THAT(ParseRpmPackage(blob, "x"), StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(RpmHeaderTest, LaterDuplicateTagWins) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kName, "old").AddString(rpm_tag::kName, "new");
  std::string blob = b.Build();
  EXPECT_EQ(*RpmHeader::Parse(blob, "x")->GetString(rpm_tag::kName), "new");
}

TEST(RpmPackageTest, MissingNameIsAnError) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kVersion, "1");
  std::string blob = b.Build();
  EXPECT_THAT(ParseRpmPackage(blob, "db#3"), StatusIs(absl::StatusCode::kInvalidArgument,
                                                      HasSubstr("db#3: rpm header has no NAME")));
}

TEST(RpmPackageTest, HugeFieldIsAnError) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kName, "x").AddString(rpm_tag::kLicense, std::string(70000, 'L'));
  std::string blob = b.Build();
  EXPECT_THAT(ParseRpmPackage(blob, "db"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("LICENSE is 70000 bytes")));
}

TEST(RpmPackageTest, InvalidUtf8IsReplacedWithAWarning) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kName, "caf\xe9").AddString(rpm_tag::kVendor, "ok");
  std::string blob = b.Build();
  std::vector<std::string> warnings;
  auto package = ParseRpmPackage(blob, "db#1", {}, &warnings);
  ASSERT_THAT(package, IsOk());
  EXPECT_EQ(package->name, "caf\xEF\xBF\xBD");
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("db#1: NAME is not valid UTF-8")));
}

TEST(RpmPackageTest, BrokenFileArraysAreWarnings) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kName, "p")
      .AddStrings(rpm_tag::kDirNames, {"/a/"})
      .AddStrings(rpm_tag::kBaseNames, {"x", "y"})
      .AddInt32(rpm_tag::kDirIndexes, {0, 7})
      .AddInt32(rpm_tag::kFileSizes, {1});
  std::string blob = b.Build();
  std::vector<std::string> warnings;
  auto package = ParseRpmPackage(blob, "db", {}, &warnings);
  ASSERT_THAT(package, IsOk());
  ASSERT_THAT(package->files, SizeIs(1));
  EXPECT_EQ(package->files[0].path, "/a/x");
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("directory index 7 of 1"),
                                    HasSubstr("file sizes has 1 entries for 2 files")));
}

TEST(RpmPackageTest, OverlongPathIsSkipped) {
  RpmHeaderBuilder b;
  b.AddString(rpm_tag::kName, "p")
      .AddStrings(rpm_tag::kOldFilenames, {"/short", "/" + std::string(5000, 'x')});
  std::string blob = b.Build();
  std::vector<std::string> warnings;
  auto package = ParseRpmPackage(blob, "db", {}, &warnings);
  ASSERT_THAT(package, IsOk());
  ASSERT_THAT(package->files, SizeIs(1));
  EXPECT_THAT(warnings, ElementsAre(HasSubstr("above max_path_length 4096")));
}

}  // namespace
}  // namespace bulwark::sbom
