// Database against the real advisories in ../shared/conformance/osv: load counts per source
// (checked against osv/STATS.txt, written by whoever fetched the data), advisories matched and
// not matched at versions read from the advisories themselves, malformed records reported with
// file and field, JSON Lines and zip sources, and the compiled file's error contract.
#include "bulwark/image/vuln/database.h"

#include <archive.h>
#include <archive_entry.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/clock.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::AllOf;
using ::testing::HasSubstr;

std::vector<std::string> MatchedIds(const Database& db, absl::string_view ecosystem,
                                    absl::string_view name, absl::string_view version) {
  absl::StatusOr<std::vector<Database::Match>> matches = db.Affected(ecosystem, name, version);
  EXPECT_THAT(matches, IsOk());
  std::vector<std::string> ids;
  if (matches.ok()) {
    for (const Database::Match& m : *matches) ids.push_back(m.record->id());
  }
  return ids;
}

std::string Serialized(const Database& db) {
  absl::StatusOr<std::string> bytes = db.SerializeCompiled();
  EXPECT_THAT(bytes, IsOk());
  return bytes.ok() ? *std::move(bytes) : "";
}

void PrintStats(absl::string_view name, const v1::LoadStats& stats) {
  std::cout << name << ": files=" << stats.files() << " records=" << stats.records()
            << " malformed=" << stats.malformed_records()
            << " git_ranges_skipped=" << stats.git_ranges_skipped()
            << " withdrawn=" << stats.withdrawn_records() << "\n";
  for (int i = 0; i < stats.warnings_size() && i < 5; ++i) {
    std::cout << "  warning: " << stats.warnings(i) << "\n";
  }
}

std::unique_ptr<const Database> LoadOrDie(const std::string& path) {
  absl::Time start = absl::Now();
  absl::StatusOr<std::unique_ptr<const Database>> db = Database::LoadSources({path});
  std::cout << path << " loaded in " << absl::Now() - start << "\n";
  EXPECT_THAT(db, IsOk());
  return db.ok() ? *std::move(db) : nullptr;
}

TEST(DatabaseSharedData, LoadCountsPerSource) {
  BULWARK_SHARED_PATH_OR_SKIP(osv, "conformance/osv");
  struct Source {
    const char* dir;
    uint64_t records;
    uint64_t git_ranges;
  };
  // Record counts and GIT ranges as osv/STATS.txt gives them.
  for (const Source& source :
       {Source{"go/osv", 4291, 0}, Source{"pypi/vulns", 7080, 1554},
        Source{"crates/crates", 1206, 0}, Source{"almalinux/advisories", 5680, 0},
        Source{"cran/vulns", 14, 0}}) {
    std::unique_ptr<const Database> db = LoadOrDie(absl::StrCat(osv, "/", source.dir));
    ASSERT_NE(db, nullptr);
    PrintStats(source.dir, db->stats());
    EXPECT_EQ(db->stats().records() + db->stats().malformed_records(), source.records)
        << source.dir;
    EXPECT_EQ(db->stats().git_ranges_skipped(), source.git_ranges) << source.dir;
  }
  for (const char* dir :
       {"alpine-secdb", "debian-bookworm-sample", "debian-ubuntu-samples", "npm-ghsa-sample"}) {
    std::unique_ptr<const Database> db = LoadOrDie(absl::StrCat(osv, "/", dir));
    ASSERT_NE(db, nullptr);
    PrintStats(dir, db->stats());
  }
}

// Expected results read from each advisory (ranges quoted in the comments).
TEST(DatabaseSharedData, KnownAdvisoriesMatchAtKnownVersions) {
  BULWARK_SHARED_PATH_OR_SKIP(osv, "conformance/osv");
  absl::StatusOr<std::unique_ptr<const Database>> loaded = Database::LoadSources({
      osv + "/go/osv/GO-2022-0190.json",
      osv + "/crates/crates/RUSTSEC-2017-0005.json",
      osv + "/almalinux/advisories/almalinux9/ALSA-2022:4587.json",
      osv + "/debian-bookworm-sample/DEBIAN-CVE-2011-3374.json",
      osv + "/pypi/vulns/django",
      osv + "/pypi/vulns/aamiles",
      osv + "/alpine-secdb/v3.3/main.yaml",
  });
  ASSERT_THAT(loaded, IsOk());
  const Database& db = **loaded;
  using ::testing::Contains;
  using ::testing::Not;

  // GO-2022-0190, Go "toolchain": SEMVER introduced 0, fixed 1.10.6, introduced 1.11.0-0,
  // fixed 1.11.3.
  EXPECT_THAT(MatchedIds(db, "Go", "toolchain", "1.10.5"), Contains("GO-2022-0190"));
  EXPECT_THAT(MatchedIds(db, "Go", "toolchain", "v1.11.0-rc1"), Contains("GO-2022-0190"));
  EXPECT_THAT(MatchedIds(db, "Go", "toolchain", "1.10.6"), Not(Contains("GO-2022-0190")));
  EXPECT_THAT(MatchedIds(db, "Go", "toolchain", "1.11.3"), Not(Contains("GO-2022-0190")));

  // RUSTSEC-2017-0005, crates.io cookie: introduced 0.6.0, fixed 0.6.2, introduced 0.7.0-0,
  // fixed 0.7.6.
  EXPECT_THAT(MatchedIds(db, "crates.io", "cookie", "0.6.1"), Contains("RUSTSEC-2017-0005"));
  EXPECT_THAT(MatchedIds(db, "crates.io", "cookie", "0.6.5"), Not(Contains("RUSTSEC-2017-0005")));
  EXPECT_THAT(MatchedIds(db, "crates.io", "cookie", "0.7.5"), Contains("RUSTSEC-2017-0005"));
  EXPECT_THAT(MatchedIds(db, "crates.io", "cookie", "0.5.9"), Not(Contains("RUSTSEC-2017-0005")));

  // ALSA-2022:4587, AlmaLinux:9 pcs: introduced 0, fixed 0.11.1-10.el9 (rpm order).
  EXPECT_THAT(MatchedIds(db, "AlmaLinux:9", "pcs", "0.11.1-9.el9"), Contains("ALSA-2022:4587"));
  EXPECT_THAT(MatchedIds(db, "AlmaLinux:9", "pcs", "0.11.1-10.el9"),
              Not(Contains("ALSA-2022:4587")));
  EXPECT_THAT(MatchedIds(db, "AlmaLinux:8", "pcs", "0.11.1-9.el9"),
              Not(Contains("ALSA-2022:4587")));

  // DEBIAN-CVE-2011-3374, Debian:12 apt: introduced 0 and no fix (every version).
  absl::StatusOr<std::vector<Database::Match>> apt = db.Affected("Debian:12", "apt", "2.6.1");
  ASSERT_THAT(apt, IsOk());
  ASSERT_EQ(apt->size(), 1u);
  EXPECT_EQ((*apt)[0].record->id(), "DEBIAN-CVE-2011-3374");
  EXPECT_TRUE((*apt)[0].fixed.empty());
  EXPECT_THAT(MatchedIds(db, "Debian:11", "apt", "2.2.4"), Not(Contains("DEBIAN-CVE-2011-3374")));

  // PYSEC-2007-1, PyPI django: introduced 0, fixed 1.1; PEP 503 names ("Django").
  EXPECT_THAT(MatchedIds(db, "PyPI", "Django", "1.0.2"), Contains("PYSEC-2007-1"));
  EXPECT_THAT(MatchedIds(db, "PyPI", "django", "1.1"), Not(Contains("PYSEC-2007-1")));

  // PYSEC-2022-43066 (aamiles 0.1.0 listed in versions) is withdrawn: never reported.
  EXPECT_THAT(MatchedIds(db, "PyPI", "aamiles", "0.1.0"), Not(Contains("PYSEC-2022-43066")));

  // alpine-secdb v3.3 main: apache2 secfixes 2.4.26-r0: CVE-2017-3167.
  absl::StatusOr<std::vector<Database::Match>> apache =
      db.Affected("Alpine:v3.3", "apache2", "2.4.25-r1");
  ASSERT_THAT(apache, IsOk());
  std::vector<std::string> aliases;
  for (const Database::Match& m : *apache) aliases.push_back(m.record->aliases(0));
  EXPECT_THAT(aliases, Contains("CVE-2017-3167"));
  EXPECT_THAT(MatchedIds(db, "Alpine:v3.3", "apache2", "2.4.26-r0"),
              Not(Contains("ALPINE-CVE-2017-3167-apache2-v3.3")));

  EXPECT_THAT(db.Affected("PyPI", "django", "not a version"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("PyPI version")));
}

// The OSV schema's linter test records (several deliberately broken): loading never fails, and
// every warning names its file.
TEST(DatabaseSharedData, LinterTestRecordsLoadWithWarningsNamingFiles) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/osv/osv-schema/linter-testdata");
  std::unique_ptr<const Database> db = LoadOrDie(dir);
  ASSERT_NE(db, nullptr);
  PrintStats("linter-testdata", db->stats());
  for (const std::string& warning : db->stats().warnings()) {
    EXPECT_THAT(warning, HasSubstr("linter-testdata/")) << warning;
  }
}

class TempDir {
 public:
  TempDir() : path_(absl::StrCat(std::getenv("TEST_TMPDIR"), "/db", counter_++)) {
    std::filesystem::create_directories(path_);
  }
  std::string Write(const std::string& name, const std::string& text) const {
    std::string path = absl::StrCat(path_, "/", name);
    std::ofstream(path, std::ios::binary) << text;
    return path;
  }
  const std::string& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  std::string path_;
};

constexpr char kRecord[] =
    R"({"id": "TEST-1", "aliases": ["CVE-2099-1"], "affected": [{"package": {"ecosystem": "npm",
    "name": "Left-Pad"}, "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"},
    {"fixed": "1.3.0"}]}, {"type": "GIT", "repo": "https://example.com/x.git",
    "events": [{"introduced": "abc"}]}]}]})";

TEST(Database, MalformedRecordsAreSkippedWithFileAndField) {
  TempDir dir;
  dir.Write("good.json", kRecord);
  dir.Write("no-id.json", R"({"affected": []})");
  dir.Write("bad-event.json",
            R"({"id": "TEST-2", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"fixed": 1}]}]}]})");
  dir.Write("bad-version.json",
            R"({"id": "TEST-3", "affected": [{"package": {"ecosystem": "PyPI", "name": "x"},
                "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"},
                {"fixed": "french toast"}]}], "versions": ["0.1"]}]})");
  dir.Write("truncated.json", R"({"id": "TEST-4", "affec)");
  dir.Write("notes.txt", "not a source");
  absl::StatusOr<std::unique_ptr<const Database>> db = Database::LoadSources({dir.path()});
  ASSERT_THAT(db, IsOk());
  const v1::LoadStats& stats = (*db)->stats();
  EXPECT_EQ(stats.files(), 5u);
  EXPECT_EQ(stats.records(), 2u);  // good.json, and bad-version.json without its range.
  EXPECT_EQ(stats.malformed_records(), 3u);
  EXPECT_EQ(stats.git_ranges_skipped(), 1u);
  EXPECT_EQ(stats.invalid_ranges_skipped(), 1u);
  std::string warnings = absl::StrJoin(stats.warnings(), "\n");
  EXPECT_THAT(warnings, HasSubstr("no-id.json:1:1: id: is missing"));
  EXPECT_THAT(warnings, HasSubstr("bad-event.json:2:71: affected[0].ranges[0].events[0].fixed: "
                                  "is not a non-empty string"));
  EXPECT_THAT(warnings, HasSubstr("bad-version.json: affected[0].ranges[0].events[1].fixed: "
                                  "PyPI version \"french toast\""));
  EXPECT_THAT(warnings, HasSubstr("truncated.json"));
  // The explicit versions of the record whose range was dropped still match.
  EXPECT_THAT(MatchedIds(**db, "PyPI", "x", "0.1"), ::testing::ElementsAre("TEST-3"));
  EXPECT_THAT(MatchedIds(**db, "npm", "left-pad", "1.2.9"), ::testing::ElementsAre("TEST-1"));
}

TEST(Database, ReadsJsonLinesAndZipExports) {
  TempDir dir;
  auto one_line = [](std::string text) {
    for (char& c : text) c = c == '\n' ? ' ' : c;
    return text;
  };
  // One record per line, and a blank line, as JSON Lines allows.
  std::string lines = absl::StrCat(one_line(kRecord), "\n\n", one_line(R"({"id": "TEST-5",
      "affected": [{"package": {"ecosystem": "Go", "name": "example.com/m"}, "ranges": [{"type":
      "SEMVER", "events": [{"introduced": "0"}, {"fixed": "1.2.3"}]}]}]})"),
                                   "\n");
  std::string jsonl = dir.Write("all.jsonl", lines);

  std::string zip = absl::StrCat(dir.path(), "/export.zip");
  {
    archive* a = archive_write_new();
    archive_write_set_format_zip(a);
    ASSERT_EQ(archive_write_open_filename(a, zip.c_str()), ARCHIVE_OK);
    for (const auto& [name, text] : std::vector<std::pair<std::string, std::string>>{
             {"GO-1.json", R"({"id": "GO-1", "affected": [{"package": {"ecosystem": "Go",
              "name": "example.com/z"}, "ranges": [{"type": "SEMVER", "events":
              [{"introduced": "0"}, {"fixed": "0.2.0"}]}]}]})"},
             {"README.md", "ignored"}}) {
      archive_entry* entry = archive_entry_new();
      archive_entry_set_pathname(entry, name.c_str());
      archive_entry_set_filetype(entry, AE_IFREG);
      archive_entry_set_perm(entry, 0644);
      archive_entry_set_size(entry, static_cast<la_int64_t>(text.size()));
      archive_write_header(a, entry);
      archive_write_data(a, text.data(), text.size());
      archive_entry_free(entry);
    }
    archive_write_close(a);
    archive_write_free(a);
  }
  absl::StatusOr<std::unique_ptr<const Database>> db = Database::LoadSources({jsonl, zip});
  ASSERT_THAT(db, IsOk());
  EXPECT_EQ((*db)->stats().records(), 3u) << absl::StrJoin((*db)->stats().warnings(), "\n");
  EXPECT_THAT(MatchedIds(**db, "Go", "example.com/m", "v1.2.2"), ::testing::ElementsAre("TEST-5"));
  EXPECT_THAT(MatchedIds(**db, "Go", "example.com/z", "0.1.0"), ::testing::ElementsAre("GO-1"));
  absl::StatusOr<const v1::Record*> third = (*db)->record(2);
  ASSERT_THAT(third, IsOk());
  EXPECT_THAT((*third)->source(), HasSubstr("export.zip!GO-1.json"));

  EXPECT_THAT(Database::LoadSources({dir.Write("broken.zip", "PK\x03\x04 not really")}),
              StatusIs(absl::StatusCode::kDataLoss));
  EXPECT_THAT(Database::LoadSources({dir.path() + "/missing"}),
              StatusIs(absl::StatusCode::kNotFound, HasSubstr("missing")));
}

TEST(Database, CompiledFileRoundTripsAndRejectsDamage) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<const Database>> db =
      Database::LoadSources({dir.Write("r.json", kRecord)});
  ASSERT_THAT(db, IsOk());
  std::string path = dir.path() + "/osv.bulwarkdb";
  ASSERT_THAT((*db)->SaveCompiled(path), IsOk());
  absl::StatusOr<std::unique_ptr<const Database>> loaded = Database::LoadCompiled(path);
  ASSERT_THAT(loaded, IsOk());
  EXPECT_EQ((*loaded)->stats().SerializeAsString(), (*db)->stats().SerializeAsString());
  EXPECT_THAT(MatchedIds(**loaded, "npm", "left-pad", "1.0.0"), ::testing::ElementsAre("TEST-1"));

  absl::StatusOr<std::string> serialized = (*db)->SerializeCompiled();
  ASSERT_THAT(serialized, IsOk());
  const std::string& bytes = *serialized;
  std::string flipped = bytes;
  flipped.back() ^= 1;
  // The last byte belongs to the last record's block: the index loads, and the damage is found
  // (DataLoss) when a query first reads that block.
  absl::StatusOr<std::unique_ptr<const Database>> damaged = Database::ParseCompiled(flipped);
  ASSERT_THAT(damaged, IsOk());
  EXPECT_THAT((*damaged)->Affected("npm", "left-pad", "1.0.0"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("SHA-256")));
  EXPECT_THAT((*damaged)->record(0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("SHA-256")));
  std::string index_flipped = bytes;
  index_flipped[60] ^= 1;
  EXPECT_THAT(Database::ParseCompiled(index_flipped),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("SHA-256")));
  EXPECT_THAT(Database::ParseCompiled(bytes.substr(0, bytes.size() - 1)),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("truncated")));
  std::string other_version = bytes;
  other_version[10] = 1;
  EXPECT_THAT(Database::ParseCompiled(other_version),
              StatusIs(absl::StatusCode::kFailedPrecondition, HasSubstr("format version 1")));
  EXPECT_THAT(Database::ParseCompiled("{\"id\": \"x\"}"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a Bulwark compiled")));
  EXPECT_THAT(Database::LoadCompiled(dir.Write("empty.db", "")),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("empty.db")));
}

// LoadCompiled keeps the file open and reads a block only when a query first needs it: damage
// done to the file after loading is found by that query, and a file cut short after loading
// gives DataLoss naming it, not a crash.
TEST(Database, CompiledFileIsReadWhenBlocksAreFirstNeeded) {
  TempDir dir;
  absl::StatusOr<std::unique_ptr<const Database>> db =
      Database::LoadSources({dir.Write("r.json", kRecord)});
  ASSERT_THAT(db, IsOk());
  absl::StatusOr<std::string> bytes = (*db)->SerializeCompiled();
  ASSERT_THAT(bytes, IsOk());
  const std::string path = dir.Write("osv.bulwarkdb", *bytes);

  absl::StatusOr<std::unique_ptr<const Database>> loaded = Database::LoadCompiled(path);
  ASSERT_THAT(loaded, IsOk());
  // A file-backed database saves (and serializes) the file's bytes.
  const std::string copy = dir.path() + "/copy.bulwarkdb";
  ASSERT_THAT((*loaded)->SaveCompiled(copy), IsOk());
  absl::StatusOr<std::unique_ptr<const Database>> reloaded = Database::LoadCompiled(copy);
  ASSERT_THAT(reloaded, IsOk());
  EXPECT_EQ(Serialized(**reloaded), *bytes);

  std::string damaged = *bytes;
  damaged.back() ^= 1;  // The last record's block.
  std::ofstream(path, std::ios::binary | std::ios::trunc) << damaged;
  EXPECT_THAT((*loaded)->record(0), StatusIs(absl::StatusCode::kDataLoss, HasSubstr("SHA-256")));

  std::filesystem::resize_file(copy, bytes->size() - 10);
  EXPECT_THAT((*reloaded)->Affected("npm", "left-pad", "1.0.0"),
              StatusIs(absl::StatusCode::kDataLoss, HasSubstr("became shorter")));

  std::string other_version = *bytes;
  other_version[10] = 1;
  EXPECT_THAT(Database::LoadCompiled(dir.Write("v1.bulwarkdb", other_version)),
              StatusIs(absl::StatusCode::kFailedPrecondition,
                       AllOf(HasSubstr("v1.bulwarkdb"), HasSubstr("format version 1"))));
  EXPECT_THAT(Database::LoadCompiled(dir.path()),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a regular file")));
  core::Limits small_index;
  small_index.max_file_bytes = 8;
  EXPECT_THAT(Database::LoadCompiled(path, small_index),
              StatusIs(absl::StatusCode::kResourceExhausted, HasSubstr("max_file_bytes")));
}

// The builder compiles the same database whether records come one by one or all at once.
TEST(Database, BuilderMatchesFromRecords) {
  absl::StatusOr<std::unique_ptr<const Database>> db =
      Database::LoadSources({TempDir().Write("r.json", kRecord)});
  ASSERT_THAT(db, IsOk());
  std::vector<v1::Record> records;
  for (size_t i = 0; i < (*db)->record_count(); ++i) {
    absl::StatusOr<const v1::Record*> record = (*db)->record(i);
    ASSERT_THAT(record, IsOk());
    records.push_back(**record);
  }
  Database::Builder builder;
  builder.stats() = (*db)->stats();
  for (const v1::Record& record : records) builder.Add(record);
  std::unique_ptr<const Database> built = std::move(builder).Finish();
  std::unique_ptr<const Database> from_records =
      Database::FromRecords(records, (*db)->stats(), 1000);
  EXPECT_EQ(Serialized(*built), Serialized(**db));
  EXPECT_EQ(Serialized(*from_records), Serialized(**db));
}

}  // namespace
}  // namespace bulwark::vuln
