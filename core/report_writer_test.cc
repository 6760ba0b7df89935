#include "bulwark/core/report_writer.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::core {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::Not;

v1::Report SampleReport() {
  v1::Report report;
  report.mutable_tool()->set_name("bulwark");
  report.mutable_tool()->set_version("0.1.0");
  report.set_target("registry.example/app:1.0");
  (*report.mutable_metadata())["os"] = "debian 12";

  v1::Finding* low = report.add_findings();
  low->set_rule_id("BLK-FILE-WORLD-WRITABLE");
  low->set_title("World-writable file");
  low->set_severity(v1::SEVERITY_LOW);
  low->set_category("file");
  low->mutable_location()->set_path("/tmp/x y");

  v1::Finding* critical = report.add_findings();
  critical->set_rule_id("BLK-SECRET-AWS-ACCESS-KEY");
  critical->set_title("AWS access key \x1b[31min\x1b[0m file");
  critical->set_severity(v1::SEVERITY_CRITICAL);
  critical->set_category("secret");
  critical->mutable_location()->set_path("/app/.env");
  critical->mutable_location()->set_layer_digest("sha256:" + std::string(64, 'a'));
  critical->mutable_location()->set_start_line(3);
  critical->add_references(
      "https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html");
  (*critical->mutable_properties())["match"] = "AKIA****************";

  v1::Finding* second = report.add_findings();
  *second = *low;
  second->mutable_location()->set_path("/tmp/z");
  return report;
}

TEST(SeverityTest, NamesAndParsing) {
  EXPECT_EQ(SeverityName(v1::SEVERITY_CRITICAL), "CRITICAL");
  EXPECT_EQ(*ParseSeverity("high"), v1::SEVERITY_HIGH);
  EXPECT_EQ(*ParseSeverity("SEVERITY_MEDIUM"), v1::SEVERITY_MEDIUM);
  EXPECT_EQ(*ParseSeverity("Unknown"), v1::SEVERITY_UNKNOWN);
  EXPECT_THAT(ParseSeverity("severe"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("\"severe\"")));
}

TEST(FailOnTest, ComparesAgainstTheWorstFinding) {
  v1::Report report = SampleReport();
  EXPECT_TRUE(HasFindingAtOrAbove(report, v1::SEVERITY_CRITICAL));
  report.mutable_findings()->DeleteSubrange(1, 1);
  EXPECT_FALSE(HasFindingAtOrAbove(report, v1::SEVERITY_MEDIUM));
  EXPECT_TRUE(HasFindingAtOrAbove(report, v1::SEVERITY_LOW));
}

TEST(FingerprintTest, StableAndSensitiveToLocationNotWording) {
  v1::Report report = SampleReport();
  v1::Finding finding = report.findings(1);
  std::string fingerprint = FingerprintFinding(finding);
  EXPECT_EQ(fingerprint.size(), 64u);
  finding.set_title("reworded");
  finding.set_severity(v1::SEVERITY_HIGH);
  EXPECT_EQ(FingerprintFinding(finding), fingerprint);
  finding.mutable_location()->set_start_line(4);
  EXPECT_NE(FingerprintFinding(finding), fingerprint);
}

TEST(JsonWriterTest, RoundTripsThroughReportFromJson) {
  v1::Report report = SampleReport();
  auto json = ReportToJson(report);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(*json, HasSubstr("\"severity\": \"SEVERITY_CRITICAL\""));
  EXPECT_THAT(*json, HasSubstr("\"layerDigest\""));
  auto back = ReportFromJson(*json);
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(back->SerializeAsString(), report.SerializeAsString());
  EXPECT_THAT(ReportFromJson("{\"findings\": 3}"), StatusIs(absl::StatusCode::kInvalidArgument));
  EXPECT_THAT(ReportFromJson("{\"unknownField\": 1}"),
              StatusIs(absl::StatusCode::kInvalidArgument));
}

TEST(JsonWriterTest, MapsPrintInKeyOrderSoEqualReportsGiveEqualBytes) {
  v1::Report report;
  for (int i = 0; i < 50; ++i) (*report.mutable_metadata())[absl::StrCat("key", i)] = "v";
  auto json = ReportToJson(report);
  ASSERT_THAT(json, IsOk());
  EXPECT_LT(json->find("\"key0\""), json->find("\"key1\""));
  EXPECT_LT(json->find("\"key10\""), json->find("\"key2\""));
  v1::Report copy;
  for (int i = 49; i >= 0; --i) (*copy.mutable_metadata())[absl::StrCat("key", i)] = "v";
  EXPECT_EQ(*ReportToJson(copy), *json);
}

TEST(SarifWriterTest, OneRulePerRuleIdAndOneResultPerFinding) {
  auto sarif = ParseJson(ReportToSarif(SampleReport()));
  ASSERT_THAT(sarif, IsOk());
  EXPECT_EQ(sarif->Find("version")->string_value(), "2.1.0");
  const Value& run = sarif->Find("runs")->list_value()[0];
  EXPECT_EQ((*run.Lookup("tool.driver.name"))->string_value(), "bulwark");
  EXPECT_EQ((*run.Lookup("tool.driver.rules"))->list_value().size(), 2u);
  const ValueList& results = run.Find("results")->list_value();
  ASSERT_EQ(results.size(), 3u);
  const Value& secret = results[1];
  EXPECT_EQ(secret.Find("ruleId")->string_value(), "BLK-SECRET-AWS-ACCESS-KEY");
  EXPECT_EQ(secret.Find("ruleIndex")->int_value(), 1);
  EXPECT_EQ(secret.Find("level")->string_value(), "error");
  EXPECT_EQ((*secret.Lookup("locations[0].physicalLocation.artifactLocation.uri"))->string_value(),
            "app/.env");
  EXPECT_EQ((*secret.Lookup("locations[0].physicalLocation.region.startLine"))->int_value(), 3);
  EXPECT_EQ((*secret.Lookup("properties.layerDigest"))->string_value(),
            "sha256:" + std::string(64, 'a'));
  EXPECT_EQ((*secret.Lookup("partialFingerprints[\"bulwarkFingerprint/v1\"]"))->string_value(),
            FingerprintFinding(SampleReport().findings(1)));
  EXPECT_EQ((*run.Lookup("tool.driver.rules[1].properties[\"security-severity\"]"))->string_value(),
            "9.5");
  EXPECT_EQ(
      (*results[0].Lookup("locations[0].physicalLocation.artifactLocation.uri"))->string_value(),
      "tmp/x%20y");
  EXPECT_EQ(results[0].Find("level")->string_value(), "note");
}

TEST(TableWriterTest, SortsBySeverityAndSummarises) {
  std::string table = ReportToTable(SampleReport());
  EXPECT_THAT(table, HasSubstr("registry.example/app:1.0\n\nSEVERITY  RULE"));
  size_t critical = table.find("CRITICAL  BLK-SECRET-AWS-ACCESS-KEY  /app/.env:3");
  size_t low = table.find("LOW       BLK-FILE-WORLD-WRITABLE");
  EXPECT_NE(critical, std::string::npos);
  EXPECT_LT(critical, low);
  EXPECT_THAT(table, HasSubstr("Total: 3 (CRITICAL: 1, HIGH: 0, MEDIUM: 0, LOW: 2, UNKNOWN: 0)"));
  // Escape sequences in untrusted fields never reach the terminal, and colour is off by default.
  EXPECT_THAT(table, Not(HasSubstr("\x1b")));
  WriteOptions colored;
  colored.color = true;
  EXPECT_THAT(ReportToTable(SampleReport(), colored), HasSubstr("\x1b[1;31mCRITICAL\x1b[0m"));
}

TEST(TableWriterTest, TruncatesTitlesToTheWidth) {
  v1::Report report;
  v1::Finding* finding = report.add_findings();
  finding->set_rule_id("R");
  finding->set_title(std::string(200, 'x'));
  WriteOptions options;
  options.max_width = 60;
  std::string table = ReportToTable(report, options);
  size_t line_start = table.find("UNKNOWN");
  size_t line_end = table.find('\n', line_start);
  EXPECT_THAT(table.substr(line_start, line_end - line_start), HasSubstr("\u2026"));
  EXPECT_LE(line_end - line_start, 62u);
}

TEST(WriteReportTest, DispatchesOnFormat) {
  EXPECT_EQ(*ParseReportFormat("sarif"), ReportFormat::kSarif);
  EXPECT_THAT(ParseReportFormat("xml"), StatusIs(absl::StatusCode::kInvalidArgument));
  auto json = WriteReport(SampleReport(), ReportFormat::kJson);
  ASSERT_THAT(json, IsOk());
  EXPECT_THAT(ParseJson(*json), IsOk());
}

}  // namespace
}  // namespace bulwark::core
