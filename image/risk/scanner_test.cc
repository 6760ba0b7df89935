#include "bulwark/image/risk/scanner.h"

#include <sys/stat.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/image.h"
#include "bulwark/image/risk/analyzer.h"
#include "bulwark/image/vuln/database.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::UnorderedElementsAre;

namespace fs = std::filesystem;

// A root-filesystem directory (opened as a one-layer image) built by each test.
class RootfsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::path(::testing::TempDir()) /
            ::testing::UnitTest::GetInstance()->current_test_info()->name();
    fs::remove_all(root_);
    fs::create_directories(root_);
  }

  void Write(const std::string& path, const std::string& content, mode_t mode = 0644) {
    fs::create_directories((root_ / path).parent_path());
    std::ofstream(root_ / path, std::ios::binary) << content;
    ASSERT_EQ(chmod((root_ / path).c_str(), mode), 0);
  }
  void Directory(const std::string& path, mode_t mode) {
    fs::create_directories(root_ / path);
    ASSERT_EQ(chmod((root_ / path).c_str(), mode), 0);
  }

  // "rule path" of every finding of `scanners`.
  std::vector<std::string> Findings(const std::vector<std::string>& scanners) {
    absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
    EXPECT_THAT(image, IsOk());
    if (!image.ok()) return {};
    ScanOptions options;
    options.scanners = scanners;
    absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
    EXPECT_THAT(report, IsOk());
    std::vector<std::string> out;
    if (!report.ok()) return out;
    for (const core::v1::Finding& finding : report->findings()) {
      out.push_back(absl::StrCat(finding.rule_id(), " ", finding.location().path()));
    }
    return out;
  }

  fs::path root_;
};

TEST_F(RootfsTest, DangerousFiles) {
  Write("usr/bin/tool", "#!/bin/sh\n", 06755);
  Write("etc/world", "x\n", 0666);
  Directory("var/spool/drop", 0777);
  Directory("tmp", 01777);  // Sticky: fine.
  Write("dev/shm/payload",
        "\x7f"
        "ELF",
        0700);
  Write("etc/ssh/ssh_host_ed25519_key", "k", 0600);
  Write("etc/ssh/ssh_host_ed25519_key.pub", "k", 0644);
  Write("home/dev/.ssh/id_rsa", "k", 0600);
  Write("home/dev/.netrc", "machine x login y password z\n", 0600);
  Write("usr/share/doc/sample/.npmrc", "", 0644);  // Packaged sample: not a credential store.
  Directory("srv/app/.git", 0755);
  // ELF core (e_type 4, little-endian) and an ELF executable named like one.
  Write("srv/app/core",
        std::string("\x7f"
                    "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x04\0",
                    18),
        0600);
  Write("srv/app/core.12",
        std::string("\x7f"
                    "ELF\x02\x01\x01\0\0\0\0\0\0\0\0\0\x02\0",
                    18),
        0600);
  EXPECT_THAT(
      Findings({"file"}),
      UnorderedElementsAre("BWK-FILE-001 /usr/bin/tool", "BWK-FILE-002 /etc/world",
                           "BWK-FILE-002 /var/spool/drop", "BWK-FILE-004 /dev/shm/payload",
                           "BWK-FILE-005 /etc/ssh/ssh_host_ed25519_key",
                           "BWK-FILE-005 /home/dev/.ssh/id_rsa", "BWK-FILE-006 /home/dev/.netrc",
                           "BWK-FILE-007 /srv/app/.git", "BWK-FILE-008 /srv/app/core"));
}

TEST_F(RootfsTest, SecretsSkipBinariesAndHonourTheSizeCap) {
  const std::string token = absl::StrCat("ghp_", "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6");
  Write("app/token.txt", token + "\n");
  Write("app/binary.bin", std::string("\0\1\2", 3) + token);
  Write("app/big.txt", std::string(2048, 'a') + token);
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());
  ScanOptions options;
  options.scanners = {"secret"};
  options.max_secret_file_bytes = 1024;
  absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->findings_size(), 1);
  const core::v1::Finding& finding = report->findings(0);
  EXPECT_EQ(finding.rule_id(), "github-token");
  EXPECT_EQ(finding.location().path(), "/app/token.txt");
  EXPECT_EQ(finding.properties().at("match"), absl::StrCat("ghp_", std::string(32, '*')));
  EXPECT_EQ(finding.target(), root_.string());
  EXPECT_FALSE(finding.fingerprint().empty());
}

// A jar (zip, written by Python's zipfile) holding a tar.gz (GNU tar) holding a config with a
// token: found through both levels, masked, pointing at the member; depth 1 stops at the jar.
TEST_F(RootfsTest, SecretsInsideNestedArchives) {
  if (system("command -v python3 >/dev/null && command -v tar >/dev/null") != 0) {
    GTEST_SKIP() << "python3 or tar missing";
  }
  const std::string token = absl::StrCat("ghp_", "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6");
  const fs::path work = root_.parent_path() / "nested_work";
  fs::remove_all(work);
  fs::create_directories(work / "conf");
  std::ofstream(work / "conf" / "app.properties") << "github.token=" << token << "\n";
  fs::create_directories(root_ / "app/lib");
  ASSERT_EQ(system(absl::StrCat("cd ", work.string(), " && tar -czf inner.tar.gz conf",
                                " && python3 -m zipfile -c ", (root_ / "app/lib/conf.jar").string(),
                                " inner.tar.gz")
                       .c_str()),
            0);
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());
  ScanOptions options;
  options.scanners = {"secret"};
  absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->findings_size(), 1);
  const core::v1::Finding& finding = report->findings(0);
  EXPECT_EQ(finding.rule_id(), "github-token");
  EXPECT_EQ(finding.location().path(), "/app/lib/conf.jar!/inner.tar.gz!/conf/app.properties");
  EXPECT_EQ(finding.properties().at("archive"), "/app/lib/conf.jar");
  EXPECT_EQ(finding.properties().at("match"), absl::StrCat("ghp_", std::string(32, '*')));
  EXPECT_EQ(report->metadata().at("secret.archive_members_scanned"), "2");

  options.nested_archives.max_depth = 1;
  report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->findings_size(), 0);
}

TEST_F(RootfsTest, IgnoreListRemovesAcceptedFindings) {
  const std::string token = absl::StrCat("ghp_", "Zq8Lw3Rt6Yp1Mn4Bv7Cx2Kj5Hg9Fd0Sa3Qe6");
  Write("app/tests/token.txt", token + "\n");
  Write("app/token.txt", token + "\n");
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());
  ScanOptions options;
  options.scanners = {"secret"};
  absl::StatusOr<IgnoreList> ignore =
      ParseIgnoreYaml("secrets:\n  - id: github-token\n    paths: [app/tests/*]\n", "i.yaml");
  ASSERT_THAT(ignore, IsOk());
  options.ignore = *std::move(ignore);
  absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->findings_size(), 1);
  EXPECT_EQ(report->findings(0).location().path(), "/app/token.txt");
  EXPECT_EQ(report->metadata().at("ignore.suppressed"), "1");
}

TEST_F(RootfsTest, UnknownScannerAndRegistry) {
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());
  ScanOptions options;
  options.scanners = {"nope"};
  EXPECT_THAT(ScanImage(**image, options),
              StatusIs(absl::StatusCode::kInvalidArgument,
                       HasSubstr("unknown scanner \"nope\"; known: sbom, vuln, secret, misconfig, "
                                 "file, malware")));
  std::vector<std::string> names;
  for (const AnalyzerInfo& info : RegisteredAnalyzers()) names.push_back(info.name);
  EXPECT_THAT(names,
              testing::ElementsAre("sbom", "vuln", "secret", "misconfig", "file", "malware"));
}

// A Python distribution in the image and an OSV advisory for it: the "vuln" analyzer matches the
// SBOM built in the same walk.
TEST_F(RootfsTest, VulnerabilitiesOfTheScansSbom) {
  Write("usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA",
        "Metadata-Version: 2.1\nName: requests\nVersion: 2.28.1\n");
  const fs::path advisories = root_.parent_path() / "VulnerabilitiesAdvisories";
  fs::remove_all(advisories);
  fs::create_directories(advisories);
  std::ofstream(advisories / "GHSA-j8r2-6x86-q33q.json") << R"({
    "id": "GHSA-j8r2-6x86-q33q", "modified": "2023-05-22T00:00:00Z",
    "aliases": ["CVE-2023-32681"], "summary": "Proxy-Authorization leak",
    "affected": [{"package": {"ecosystem": "PyPI", "name": "requests"},
                  "ranges": [{"type": "ECOSYSTEM",
                              "events": [{"introduced": "2.3.0"}, {"fixed": "2.31.0"}]}]}],
    "database_specific": {"severity": "MODERATE"}})";
  absl::StatusOr<std::unique_ptr<const vuln::Database>> db =
      vuln::Database::LoadSources({advisories.string()});
  ASSERT_THAT(db, IsOk());
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());

  ScanOptions options;
  options.scanners = {"vuln"};
  EXPECT_THAT(ScanImage(**image, options),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("vulnerability database")));
  options.vulnerability_db = *std::move(db);
  absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  ASSERT_EQ(report->findings_size(), 1);
  const core::v1::Finding& finding = report->findings(0);
  EXPECT_EQ(finding.rule_id(), "CVE-2023-32681");
  EXPECT_EQ(finding.category(), "vulnerability");
  EXPECT_EQ(finding.severity(), core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(finding.location().path(),
            "/usr/lib/python3/dist-packages/requests-2.28.1.dist-info/METADATA");
  EXPECT_EQ(finding.properties().at("fixed_version"), "2.31.0");
  EXPECT_EQ(finding.target(), report->target());
  EXPECT_FALSE(finding.fingerprint().empty());
  EXPECT_EQ(report->metadata().at("scan.scanners"), "sbom,vuln");

  options.min_severity = core::v1::SEVERITY_HIGH;
  report = ScanImage(**image, options);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->findings_size(), 0);

  ScanOptions without_db;
  without_db.scanners = {"sbom", "secret"};
  report = ScanImage(**image, without_db);
  ASSERT_THAT(report, IsOk());
  EXPECT_EQ(report->metadata().at("scan.scanners"), "sbom,secret");
  EXPECT_EQ(ScanImage(**image).value().metadata().count("vuln.skipped"), 1u);
}

TEST_F(RootfsTest, ProgressAndCancellation) {
  Write("a", "x");
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(root_.string());
  ASSERT_THAT(image, IsOk());
  ScanOptions options;
  std::vector<size_t> seen;
  options.progress = [&](const ScanProgress& progress) {
    seen.push_back(progress.layers_done);
    return absl::CancelledError("stop");
  };
  EXPECT_THAT(ScanImage(**image, options), StatusIs(absl::StatusCode::kCancelled));
  EXPECT_THAT(seen, testing::ElementsAre(1u));
}

}  // namespace
}  // namespace bulwark::image
