// ScanImage over the images of ../shared/realimages/build.sh against its ground truth
// (groundtruth/secrets.tsv: 15 planted secrets with their layer and whether a later layer
// deleted them; groundtruth/<image>.setuid.tsv). Skipped unless BULWARK_REALIMAGES_DIR names a
// built output dir:
//   R=/tmp/realimages bash ../shared/realimages/build.sh
//   BULWARK_REALIMAGES_DIR=/tmp/realimages bazel test //image/risk:realimages_test
#include <cstdlib>
#include <map>
#include <set>
#include <string>
#include <vector>

#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_replace.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/file.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/image/image.h"
#include "bulwark/image/risk/scanner.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"
#include "re2/re2.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::testing::HasSubstr;
using ::testing::Not;
using ::testing::UnorderedElementsAreArray;

std::string RealImagesDir() {
  const char* dir = std::getenv("BULWARK_REALIMAGES_DIR");
  return dir == nullptr ? "" : dir;
}

#define REALIMAGES_OR_SKIP(var)            \
  const std::string var = RealImagesDir(); \
  if (var.empty()) GTEST_SKIP() << "BULWARK_REALIMAGES_DIR is not set"

std::vector<std::vector<std::string>> ReadTsv(const std::string& path) {
  absl::StatusOr<std::string> text = core::ReadFileToString(path, 1 << 24);
  EXPECT_THAT(text, IsOk());
  std::vector<std::vector<std::string>> rows;
  if (!text.ok()) return rows;
  bool header = true;
  for (absl::string_view line : absl::StrSplit(*text, '\n', absl::SkipEmpty())) {
    if (header) {
      header = false;
      continue;
    }
    rows.push_back(absl::StrSplit(line, '\t'));
  }
  return rows;
}

// Our rule for each kind of planted secret.
std::string RuleForKind(absl::string_view kind) {
  static const auto* const kRules = new std::map<std::string, std::string, std::less<>>{
      {"github-pat", "github-token"},
      {"slack-webhook", "slack-webhook"},
      {"aws-access-key-id", "aws-access-key-id"},
      {"aws-secret-access-key", "aws-secret-access-key"},
      {"password-in-url", "url-credentials"},
      {"password-env", "generic-password"},
      {"password-in-history", "generic-password"},
      {"stripe-style-api-key", "stripe-key"},
      {"gitlab-pat-in-build-arg", "gitlab-token"},
  };
  if (absl::StartsWith(kind, "private-key")) return "private-key";
  if (absl::StartsWith(kind, "symlink-to-secret-file")) return "aws-access-key-id";
  auto it = kRules->find(kind);
  return it == kRules->end() ? std::string(kind) : it->second;
}

// The secret part of a ground-truth value ("" for markers like "-----BEGIN PRIVATE KEY-----").
std::string SecretPart(const std::string& value) {
  if (absl::StartsWith(value, "-----")) return "";
  std::string password;
  if (RE2::PartialMatch(value, R"(://[^:/@]+:([^@]+)@)", &password)) return password;
  if (absl::StartsWith(value, "http")) return value;
  const size_t equals = value.rfind('=');
  return equals == std::string::npos ? value : value.substr(equals + 1);
}

core::v1::Report Scan(const std::string& path, const std::vector<std::string>& scanners) {
  absl::StatusOr<std::unique_ptr<const Image>> image = Image::Open(path);
  EXPECT_THAT(image, IsOk());
  if (!image.ok()) return {};
  ScanOptions options;
  options.scanners = scanners;
  absl::StatusOr<core::v1::Report> report = ScanImage(**image, options);
  EXPECT_THAT(report, IsOk());
  return report.ok() ? *report : core::v1::Report();
}

// "rule|path|layer|deleted" of a finding, with config locations reduced to their field.
std::string Key(const core::v1::Finding& finding) {
  std::string path = finding.location().path();
  if (absl::StartsWith(path, "config.Env[")) path = "config.Env";
  if (absl::StartsWith(path, "config.history[")) path = "config.history";
  const auto& properties = finding.properties();
  const std::string layer = properties.contains("layer") && !absl::StartsWith(path, "config.")
                                ? properties.at("layer")
                                : "config";
  return absl::StrCat(finding.rule_id(), "|", path, "|", layer, "|",
                      properties.contains("deleted") ? properties.at("deleted") : "?");
}

struct Variant {
  std::string name;  // Ground-truth image name.
  std::string path;  // Under BULWARK_REALIMAGES_DIR.
};

class RealImagesSecretsTest : public ::testing::TestWithParam<Variant> {};

TEST_P(RealImagesSecretsTest, FindsEveryPlantedSecretAndNothingElse) {
  REALIMAGES_OR_SKIP(dir);
  const Variant& variant = GetParam();
  std::set<std::string> expected;
  std::vector<std::string> secret_values;
  std::vector<std::string> symlinks;
  for (const std::vector<std::string>& row : ReadTsv(dir + "/groundtruth/secrets.tsv")) {
    ASSERT_GE(row.size(), 6u);
    if (row[0] != variant.name) continue;
    size_t layer;
    ASSERT_TRUE(absl::SimpleAtoi(row[1], &layer));
    const bool config = layer == 0;
    std::string location = row[2];
    if (absl::StartsWith(location, "config.history")) location = "config.history";
    if (absl::StartsWith(row[3], "symlink-to-secret-file")) {
      // Reported on the file the link resolves to, which names the link.
      symlinks.push_back(location);
      continue;
    }
    const bool deleted = absl::StartsWith(row[5], "no");
    expected.insert(absl::StrCat(RuleForKind(row[3]), "|", location, "|",
                                 config ? "config" : absl::StrCat(layer - 1), "|",
                                 deleted ? "true" : "false"));
    if (std::string secret = SecretPart(row[4]); !secret.empty()) secret_values.push_back(secret);
  }
  ASSERT_FALSE(expected.empty());

  const core::v1::Report report = Scan(dir + "/" + variant.path, {"secret"});
  std::set<std::string> found;
  std::set<std::string> linked;
  for (const core::v1::Finding& finding : report.findings()) {
    found.insert(Key(finding));
    if (finding.properties().contains("linked_from")) {
      for (absl::string_view link : absl::StrSplit(finding.properties().at("linked_from"), ',')) {
        linked.insert(std::string(link));
      }
    }
    if (finding.properties().at("deleted") == "true") {
      EXPECT_EQ(finding.properties().at("hidden_by"), "whiteout") << Key(finding);
      EXPECT_EQ(finding.severity(), core::v1::SEVERITY_CRITICAL) << Key(finding);
    }
  }
  // An ENV instruction puts its value both in config.Env and in the history's created_by; the
  // ground truth lists the history copy for the app image only, but both copies ship.
  for (const std::string& key : expected) {
    if (!absl::StrContains(key, "|config.Env|")) continue;
    const std::string history = absl::StrReplaceAll(key, {{"|config.Env|", "|config.history|"}});
    if (!expected.contains(history)) found.erase(history);
  }
  EXPECT_THAT(found, UnorderedElementsAreArray(expected));
  for (const std::string& link : symlinks) EXPECT_TRUE(linked.contains(link)) << link;

  for (core::ReportFormat format :
       {core::ReportFormat::kJson, core::ReportFormat::kSarif, core::ReportFormat::kTable}) {
    absl::StatusOr<std::string> text = core::WriteReport(report, format);
    ASSERT_THAT(text, IsOk());
    for (const std::string& secret : secret_values) EXPECT_THAT(*text, Not(HasSubstr(secret)));
  }
}

INSTANTIATE_TEST_SUITE_P(Images, RealImagesSecretsTest,
                         ::testing::Values(Variant{"app", "app/app-oci"},
                                           Variant{"app", "app/app-docker-archive.tar"},
                                           Variant{"app", "app/app-oci-zstd"},
                                           Variant{"buildah", "buildah/buildah-app-oci"}),
                         [](const ::testing::TestParamInfo<Variant>& info) {
                           std::string name = info.param.path;
                           for (char& c : name) {
                             if (!absl::ascii_isalnum(static_cast<unsigned char>(c))) c = '_';
                           }
                           return name;
                         });

TEST(RealImagesFilesTest, SetuidFilesMatchGroundTruth) {
  REALIMAGES_OR_SKIP(dir);
  for (const auto& [name, path] : std::vector<std::pair<std::string, std::string>>{
           {"app", "app/app-oci"}, {"buildah", "buildah/buildah-app-oci"}}) {
    std::set<std::string> expected;
    for (const std::vector<std::string>& row :
         ReadTsv(dir + "/groundtruth/" + name + ".setuid.tsv")) {
      ASSERT_GE(row.size(), 6u);
      size_t layer;
      ASSERT_TRUE(absl::SimpleAtoi(row[5], &layer));
      expected.insert(absl::StrCat(row[0], " ", row[1], " ", row[2], ":", row[3], " ",
                                   absl::StripAsciiWhitespace(row[4]), " ", layer - 1));
    }
    std::set<std::string> found;
    const core::v1::Report report = Scan(dir + "/" + path, {"file"});
    for (const core::v1::Finding& finding : report.findings()) {
      if (finding.rule_id() != "BWK-FILE-001") continue;
      const auto& p = finding.properties();
      found.insert(absl::StrCat(finding.location().path(), " ", p.at("mode"), " ", p.at("owner"),
                                " ", p.at("bits"), " ", p.at("layer")));
    }
    EXPECT_THAT(found, UnorderedElementsAreArray(expected)) << name;
  }
}

// The Debian minbase layer alone (layer 0 of every image) must give no secret finding.
TEST(RealImagesFalsePositivesTest, NoSecretsInTheDebianBaseLayer) {
  REALIMAGES_OR_SKIP(dir);
  const core::v1::Report report = Scan(dir + "/app/app-oci", {"secret"});
  for (const core::v1::Finding& finding : report.findings()) {
    if (absl::StartsWith(finding.location().path(), "config.")) continue;
    EXPECT_NE(finding.properties().at("layer"), "0") << Key(finding);
  }
}

// The built-in malware rules give nothing on real images: the app image (Debian 12 minbase,
// python3, nodejs, curl and the app) and the big image (Debian with more packages).
TEST(RealImagesFalsePositivesTest, NoMalwareInRealImages) {
  REALIMAGES_OR_SKIP(dir);
  for (const char* image : {"/app/app-oci", "/big/big-oci-zstd"}) {
    const core::v1::Report report = Scan(dir + image, {"malware"});
    for (const core::v1::Finding& finding : report.findings()) ADD_FAILURE() << Key(finding);
    EXPECT_NE(report.metadata().at("malware.files_scanned"), "0") << image;
  }
}

}  // namespace
}  // namespace bulwark::image
