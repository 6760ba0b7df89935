#include "bulwark/image/sbom/rpm/rpmdb.h"

#include <cstdlib>
#include <fstream>
#include <string>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/run_command.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/sbom/rpm/testing/header_builder.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::sbom {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAreArray;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kRpmDir[] = "conformance/pkgdb/rpm/go-rpmdb";

std::string ReadShared(const std::string& path) {
  auto bytes = core::ReadFileToString(path, uint64_t{1} << 30);
  EXPECT_THAT(bytes, IsOk());
  return bytes.ok() ? *bytes : "";
}

// The fields of the expected-list TSV, in its column order.
std::string Row(const RpmPackage& p) {
  return absl::StrJoin(
      {p.epoch ? absl::StrCat(*p.epoch) : "", p.name, p.version, p.release, p.arch, p.source_rpm,
       absl::StrCat(p.size), p.license, p.vendor, p.modularity_label, p.summary, p.sig_md5},
      "\t");
}

// rpm's query format for the same columns; "(none)" is rpm's word for an absent tag.
constexpr char kRpmRowFormat[] =
    "%{EPOCH}\\t%{NAME}\\t%{VERSION}\\t%{RELEASE}\\t%{ARCH}\\t%{SOURCERPM}\\t%{SIZE}\\t"
    "%{LICENSE}\\t%{VENDOR}\\t%{MODULARITYLABEL}\\t%{SUMMARY}\\t%{SIGMD5}\\n";
constexpr char kRpmFileFormat[] =
    "[%{=NAME}\\t%{FILENAMES}\\t%{FILESIZES}\\t%{FILEMODES}\\t%{FILEDIGESTS}\\t%{FILEFLAGS}\\t"
    "%{FILEUSERNAME}\\t%{FILEGROUPNAME}\\n]";

std::vector<std::string> FileRows(const RpmdbContents& db) {
  std::vector<std::string> rows;
  for (const RpmPackage& p : db.packages) {
    for (const RpmFile& f : p.files) {
      rows.push_back(absl::StrJoin({p.name, f.path, absl::StrCat(f.size), absl::StrCat(f.mode),
                                    f.digest, absl::StrCat(f.flags), f.user, f.group},
                                   "\t"));
    }
  }
  return rows;
}

std::vector<std::string> Lines(absl::string_view text) {
  std::vector<std::string> lines = absl::StrSplit(text, '\n', absl::SkipEmpty());
  for (std::string& line : lines) {
    std::vector<std::string> fields = absl::StrSplit(line, '\t');
    for (std::string& field : fields) {
      if (field == "(none)") field.clear();
    }
    line = absl::StrJoin(fields, "\t");
  }
  return lines;
}

// Runs Debian's rpm (4.18: sqlite and read-only bdb backends, no ndb) on a copy of `db_path`
// named `file_name` in a scratch directory, or skips (fails in CI) when rpm is missing.
class RpmTool {
 public:
  static bool Available() { return core::testing::HaveProgram("rpm"); }

  static absl::StatusOr<std::vector<std::string>> Query(const std::string& db_path,
                                                        const std::string& file_name,
                                                        const std::string& backend,
                                                        const std::string& format) {
    std::string dir = absl::StrCat(std::getenv("TEST_TMPDIR"), "/rpmdb-", backend);
    auto bytes = core::ReadFileToString(db_path, uint64_t{1} << 30);
    if (!bytes.ok()) return bytes.status();
    std::string command = absl::StrCat("mkdir -p ", dir, " && cat > ", dir, "/", file_name);
    FILE* pipe = popen(command.c_str(), "w");
    fwrite(bytes->data(), 1, bytes->size(), pipe);
    pclose(pipe);
    auto output =
        core::testing::RunCommand(absl::StrCat("rpm --dbpath ", dir, " --define '_db_backend ",
                                               backend, "' -qa --qf '", format, "' 2>/dev/null"));
    if (!output.ok()) return output.status();
    return Lines(*output);
  }
};

#define REQUIRE_RPM_TOOL()                                                 \
  do {                                                                     \
    if (!RpmTool::Available()) {                                           \
      if (core::testing::RunningInCi()) FAIL() << "rpm is not installed";  \
      GTEST_SKIP() << "rpm is not installed (bazel/setup.sh installs it)"; \
    }                                                                      \
  } while (false)

TEST(RpmdbTest, NdbMatchesTheExpectedList) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kRpmDir);
  std::string bytes = ReadShared(dir + "/sle15-bci.Packages.db");
  std::string expected_text = ReadShared(dir + "/sle15-bci.Packages.db.expected.tsv");
  std::vector<std::string> expected;
  for (absl::string_view line : absl::StrSplit(expected_text, '\n', absl::SkipEmpty())) {
    if (line[0] != '#') expected.emplace_back(line);
  }
  ASSERT_THAT(expected, SizeIs(35));
  auto db = ReadRpmdb(bytes, "sle15-bci.Packages.db");
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(db->format, RpmdbFormat::kNdb);
  EXPECT_THAT(db->warnings, IsEmpty());
  std::vector<std::string> got;
  for (const RpmPackage& p : db->packages) got.push_back(Row(p));
  EXPECT_THAT(got, ElementsAreArray(expected));
}

TEST(RpmdbTest, SqliteMatchesRpm) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kRpmDir);
  REQUIRE_RPM_TOOL();
  const std::string path = dir + "/cbl-mariner-2.0.rpmdb.sqlite";
  auto db = ReadRpmdbFile(path);
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ(db->format, RpmdbFormat::kSqlite);
  EXPECT_THAT(db->warnings, IsEmpty());
  ASSERT_THAT(db->packages, SizeIs(129));
  std::vector<std::string> rows;
  for (const RpmPackage& p : db->packages) rows.push_back(Row(p));
  // The upstream test's expectation, independently of rpm.
  EXPECT_THAT(rows, Contains(HasSubstr("\tcurl\t7.76.0\t6.cm2\tx86_64\t")));
  auto expected = RpmTool::Query(path, "rpmdb.sqlite", "sqlite", kRpmRowFormat);
  ASSERT_THAT(expected, IsOk());
  EXPECT_THAT(rows, ElementsAreArray(*expected));
  auto expected_files = RpmTool::Query(path, "rpmdb.sqlite", "sqlite", kRpmFileFormat);
  ASSERT_THAT(expected_files, IsOk());
  EXPECT_THAT(*expected_files, SizeIs(7269));
  EXPECT_THAT(FileRows(*db), ElementsAreArray(*expected_files));
}

TEST(RpmdbTest, BerkeleyDbMatchesRpm) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kRpmDir);
  BULWARK_SHARED_PATH_OR_SKIP(syft, "conformance/pkgdb/syft/syft/pkg/cataloger/redhat/testdata");
  REQUIRE_RPM_TOOL();
  for (const std::string& path : {dir + "/libuuid.Packages.bdb", syft + "/Packages"}) {
    auto db = ReadRpmdbFile(path);
    ASSERT_THAT(db, IsOk()) << path;
    EXPECT_EQ(db->format, RpmdbFormat::kBerkeleyDb);
    EXPECT_THAT(db->warnings, IsEmpty());
    std::vector<std::string> rows;
    for (const RpmPackage& p : db->packages) rows.push_back(Row(p));
    auto expected = RpmTool::Query(path, "Packages", "bdb_ro", kRpmRowFormat);
    ASSERT_THAT(expected, IsOk());
    EXPECT_THAT(rows, ElementsAreArray(*expected)) << path;
    auto expected_files = RpmTool::Query(path, "Packages", "bdb_ro", kRpmFileFormat);
    ASSERT_THAT(expected_files, IsOk());
    EXPECT_THAT(FileRows(*db), ElementsAreArray(*expected_files)) << path;
  }
  // The upstream go-rpmdb expectation for the libuuid database.
  auto db = ReadRpmdbFile(dir + "/libuuid.Packages.bdb");
  ASSERT_THAT(db->packages, SizeIs(1));
  EXPECT_EQ(db->packages[0].name, "libuuid");
  EXPECT_EQ(RpmEvr(db->packages[0]), "2.32.1-42.el8_8");
  EXPECT_EQ(db->packages[0].arch, "x86_64");
}

TEST(RpmdbTest, FormatByPathAndMagic) {
  EXPECT_EQ(RpmdbFormatForPath("var/lib/rpm/Packages"), RpmdbFormat::kBerkeleyDb);
  EXPECT_EQ(RpmdbFormatForPath("usr/lib/sysimage/rpm/Packages.db"), RpmdbFormat::kNdb);
  EXPECT_EQ(RpmdbFormatForPath("var/lib/rpm/rpmdb.sqlite"), RpmdbFormat::kSqlite);
  EXPECT_EQ(RpmdbFormatForPath("chroot/var/lib/rpm/rpmdb.sqlite"), RpmdbFormat::kSqlite);
  EXPECT_FALSE(RpmdbFormatForPath("xvar/lib/rpm/Packages").has_value());
  EXPECT_FALSE(RpmdbFormatForPath("var/lib/rpm/Name").has_value());
  EXPECT_EQ(DetectRpmdbFormat(std::string("SQLite format 3\0", 16)), RpmdbFormat::kSqlite);
  EXPECT_FALSE(DetectRpmdbFormat("hello world, not a db").has_value());
  EXPECT_THAT(ReadRpmdb("hello world, not a db", "x"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("x: not an rpm database")));
}

// --- Hostile copies of the real databases -------------------------------------------------

void PutU32(std::string* bytes, size_t offset, uint32_t value, bool little_endian = true) {
  for (int i = 0; i < 4; ++i) {
    int shift = little_endian ? 8 * i : 8 * (3 - i);
    (*bytes)[offset + i] = static_cast<char>((value >> shift) & 0xff);
  }
}

class HostileBdbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = core::testing::SharedDataPath(kRpmDir);
    if (!dir.ok()) {
      if (core::testing::RunningInCi()) FAIL() << dir.status();
      GTEST_SKIP() << dir.status();
    }
    bytes_ = ReadShared(*dir + "/libuuid.Packages.bdb");
  }
  // Page 2 of libuuid.Packages.bdb holds key 1 with an overflow reference at item offset 4079:
  // type byte, 3 unused, first page (LE u32 at +4), total length (at +8).
  static constexpr size_t kOverflowRef = 2 * 4096 + 4079;
  std::string bytes_;
};

// The same database as a big-endian machine (s390x, ppc64) writes it: every Berkeley DB integer
// byte-swapped, the rpm header blobs (always big endian) unchanged.
TEST_F(HostileBdbTest, BigEndianCopyReadsTheSame) {
  auto swap32 = [](std::string* b, size_t at) {
    std::swap((*b)[at], (*b)[at + 3]);
    std::swap((*b)[at + 1], (*b)[at + 2]);
  };
  auto swap16 = [](std::string* b, size_t at) { std::swap((*b)[at], (*b)[at + 1]); };
  auto u16 = [](const std::string& b, size_t at) {  // little endian, before swapping
    return static_cast<uint16_t>(static_cast<unsigned char>(b[at]) |
                                 (static_cast<unsigned char>(b[at + 1]) << 8));
  };
  std::string big = bytes_;
  for (size_t at : {8, 12, 16, 20, 28, 32, 36, 40, 44, 48, 72, 76, 80, 84, 88, 92})
    swap32(&big, at);
  const size_t pages = bytes_.size() / 4096;
  for (size_t page = 1; page < pages; ++page) {
    const size_t base = page * 4096;
    const uint8_t type = static_cast<uint8_t>(bytes_[base + 25]);
    const uint16_t entries = u16(bytes_, base + 20);
    for (size_t at : {8, 12, 16}) swap32(&big, base + at);
    swap16(&big, base + 20);
    swap16(&big, base + 22);
    if (type != 13) continue;
    for (uint16_t i = 0; i < entries; ++i) {
      const uint16_t item = u16(bytes_, base + 26 + 2 * i);
      swap16(&big, base + 26 + 2 * i);
      if (bytes_[base + item] == 1 && i % 2 == 0) swap32(&big, base + item + 1);  // key
      if (bytes_[base + item] == 3) {                                             // overflow ref
        swap32(&big, base + item + 4);
        swap32(&big, base + item + 8);
      }
    }
  }
  auto little_db = ReadRpmdb(bytes_, "le");
  auto big_db = ReadRpmdb(big, "be");
  ASSERT_THAT(little_db, IsOk());
  ASSERT_THAT(big_db, IsOk());
  EXPECT_THAT(big_db->warnings, IsEmpty());
  ASSERT_THAT(big_db->packages, SizeIs(1));
  EXPECT_EQ(Row(big_db->packages[0]), Row(little_db->packages[0]));
  EXPECT_THAT(FileRows(*big_db), ElementsAreArray(FileRows(*little_db)));
}

TEST_F(HostileBdbTest, OverflowPointerOutsideTheFileSkipsTheRecord) {
  PutU32(&bytes_, kOverflowRef + 4, 0x7fffffff);
  auto db = ReadRpmdb(bytes_, "Packages");
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(db->packages, IsEmpty());
  EXPECT_THAT(db->warnings, ElementsAreArray({HasSubstr("points outside the file")}));
}

TEST_F(HostileBdbTest, OverflowCycleEnds) {
  PutU32(&bytes_, 4 * 4096 + 16, 3);  // Page 4's next page is page 3 again.
  auto db = ReadRpmdb(bytes_, "Packages");
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(db->packages, IsEmpty());
  EXPECT_THAT(db->warnings, ElementsAreArray({HasSubstr("loops")}));
}

TEST_F(HostileBdbTest, HugeRecordIsCapped) {
  PutU32(&bytes_, kOverflowRef + 8, 0xffffffff);
  RpmdbOptions options;
  options.limits.max_file_bytes = 1 << 20;
  auto db = ReadRpmdb(bytes_, "Packages", options);
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(db->warnings, ElementsAreArray({HasSubstr("above the 1048576-byte cap")}));
}

TEST_F(HostileBdbTest, ItemOffsetsOutsideThePageAndTruncation) {
  std::string items = bytes_;
  PutU32(&items, 2 * 4096 + 20, 0xfff0fff0 & 0xffff);  // 65520 items on page 2.
  auto db = ReadRpmdb(items, "Packages");
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(db->warnings, Contains(HasSubstr("cannot fit in the page")));

  auto truncated = ReadRpmdb(absl::string_view(bytes_).substr(0, 3 * 4096 + 100), "Packages");
  ASSERT_THAT(truncated, IsOk());
  EXPECT_THAT(truncated->warnings, Contains(HasSubstr("points outside the file")));

  std::string bad_page_size = bytes_;
  PutU32(&bad_page_size, 20, 1000);
  EXPECT_THAT(ReadRpmdb(bad_page_size, "Packages"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("page size 1000")));
  std::string btree = bytes_;
  PutU32(&btree, 12, 0x053162);
  EXPECT_THAT(ReadRpmdb(btree, "Packages"), StatusIs(absl::StatusCode::kInvalidArgument));
}

class HostileNdbTest : public ::testing::Test {
 protected:
  void SetUp() override {
    auto dir = core::testing::SharedDataPath(kRpmDir);
    if (!dir.ok()) {
      if (core::testing::RunningInCi()) FAIL() << dir.status();
      GTEST_SKIP() << dir.status();
    }
    bytes_ = ReadShared(*dir + "/sle15-bci.Packages.db");
  }
  std::string bytes_;
};

TEST_F(HostileNdbTest, DamagedSlotsAndBlobsSkipOnePackageEach) {
  PutU32(&bytes_, 32 + 8, 0x10000000);       // Slot 0: blocks far outside the file.
  PutU32(&bytes_, 48 + 12, 0xffffffff);      // Slot 1: block count overruns.
  bytes_[4074 * 16 + 100] ^= 1;              // Slot 2's blob: one flipped byte.
  PutU32(&bytes_, 8436 * 16 + 12, 0xfffff);  // Slot 3's blob: length beyond its blocks.
  auto db = ReadRpmdb(bytes_, "Packages.db");
  ASSERT_THAT(db, IsOk());
  EXPECT_THAT(db->packages, SizeIs(31));
  EXPECT_THAT(db->warnings,
              ElementsAreArray({HasSubstr("package 1 (slot 0): blocks"),
                                HasSubstr("package 2 (slot 1): blocks"),
                                HasSubstr("package 3 (slot 2): blob checksum mismatch"),
                                HasSubstr("package 4 (slot 3): blob length")}));
}

TEST_F(HostileNdbTest, BrokenHeaderIsAnError) {
  std::string pages = bytes_;
  PutU32(&pages, 12, 0xffffff);
  EXPECT_THAT(ReadRpmdb(pages, "Packages.db"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("slot pages do not fit")));
  EXPECT_THAT(ReadRpmdb(absl::string_view(bytes_).substr(0, 10), "Packages.db"),
              StatusIs(absl::StatusCode::kInvalidArgument));
  RpmdbOptions options;
  options.limits.max_entries = 10;
  EXPECT_THAT(ReadRpmdb(bytes_, "Packages.db", options),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_entries (10)")));
}

TEST(HostileSqliteTest, CorruptAndForeignDatabases) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kRpmDir);
  std::string bytes = ReadShared(dir + "/cbl-mariner-2.0.rpmdb.sqlite");
  EXPECT_THAT(ReadRpmdb(absl::string_view(bytes).substr(0, 4096), "rpmdb.sqlite"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("rpmdb.sqlite")));
  std::string garbage = bytes;
  for (size_t i = 100; i < garbage.size(); i += 997) garbage[i] = static_cast<char>(i * 31);
  auto result = ReadRpmdb(garbage, "rpmdb.sqlite");  // Either error or warnings; never a crash.
  if (result.ok()) {
    EXPECT_THAT(result->packages, SizeIs(::testing::Le(129)));
  }
  RpmdbOptions options;
  options.limits.max_file_bytes = 1000;
  EXPECT_THAT(ReadRpmdb(bytes, "rpmdb.sqlite", options),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("1000-byte cap")));
}

TEST(HostileSqliteTest, HeaderWithLyingOffsetsInARealDatabaseIsSkipped) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, kRpmDir);
  // A SQLite database holding one good and one lying header, written by the sqlite3 tool.
  if (!core::testing::HaveProgram("sqlite3")) GTEST_SKIP() << "sqlite3 tool not installed";
  testing::RpmHeaderBuilder good;
  good.AddString(rpm_tag::kName, "good").AddString(rpm_tag::kVersion, "1");
  testing::RpmHeaderBuilder bad = good;
  bad.entry(0).offset = 0xfffff;
  std::string path = absl::StrCat(std::getenv("TEST_TMPDIR"), "/crafted.sqlite");
  std::string sql = absl::StrCat(
      "CREATE TABLE Packages (hnum INTEGER PRIMARY KEY AUTOINCREMENT, blob BLOB NOT NULL);",
      "INSERT INTO Packages (blob) VALUES (x'", absl::BytesToHexString(good.Build()), "');",
      "INSERT INTO Packages (blob) VALUES (x'", absl::BytesToHexString(bad.Build()), "');");
  ASSERT_THAT(core::testing::RunCommand(
                  absl::StrCat("rm -f ", path, " && sqlite3 ", path, " \"", sql, "\"")),
              IsOk());
  auto db = ReadRpmdbFile(path);
  ASSERT_THAT(db, IsOk());
  ASSERT_THAT(db->packages, SizeIs(1));
  EXPECT_EQ(db->packages[0].name, "good");
  EXPECT_THAT(db->warnings, ElementsAreArray({::testing::AllOf(HasSubstr("crafted.sqlite#2"),
                                                               HasSubstr("outside the"),
                                                               HasSubstr("package skipped"))}));
}

}  // namespace
}  // namespace bulwark::sbom
