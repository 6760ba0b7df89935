#include "bulwark/image/vuln/severity.h"

#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "bulwark/image/vuln/osv_record.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::bulwark::core::testing::IsOk;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

void AddSeverity(google::protobuf::RepeatedPtrField<v1::Severity>* list, const std::string& type,
                 const std::string& score) {
  v1::Severity* severity = list->Add();
  severity->set_type(type);
  severity->set_score(score);
}

TEST(SeverityFromLabelTest, KnownLabels) {
  EXPECT_EQ(SeverityFromLabel("CRITICAL"), core::v1::SEVERITY_CRITICAL);
  EXPECT_EQ(SeverityFromLabel("Important"), core::v1::SEVERITY_HIGH);
  EXPECT_EQ(SeverityFromLabel("MODERATE"), core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(SeverityFromLabel("medium"), core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(SeverityFromLabel("negligible"), core::v1::SEVERITY_LOW);
  EXPECT_EQ(SeverityFromLabel("unimportant"), core::v1::SEVERITY_LOW);
  EXPECT_EQ(SeverityFromLabel("not yet assigned"), core::v1::SEVERITY_UNKNOWN);
  EXPECT_EQ(SeverityFromLabel(""), core::v1::SEVERITY_UNKNOWN);
}

TEST(SelectSeverityTest, DatabaseLabelWinsAndCvssIsStillScored) {
  v1::Record record;
  record.set_database_specific_json(R"({"severity":"LOW"})");
  AddSeverity(record.mutable_severity(), "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  AdvisorySeverity s = SelectSeverity(record, nullptr);
  EXPECT_EQ(s.level, core::v1::SEVERITY_LOW);
  EXPECT_EQ(s.label, "LOW");
  EXPECT_EQ(s.source, "database_specific.severity");
  ASSERT_TRUE(s.cvss.has_value());
  EXPECT_DOUBLE_EQ(s.cvss->base_score, 9.8);
}

TEST(SelectSeverityTest, PerPackageLabelsComeFirst) {
  v1::Record record;
  record.set_database_specific_json(R"({"severity":"CRITICAL"})");
  v1::Affected* affected = record.add_affected();
  affected->set_ecosystem_specific_json(R"({"urgency":"unimportant"})");
  AdvisorySeverity s = SelectSeverity(record, affected);
  EXPECT_EQ(s.level, core::v1::SEVERITY_LOW);
  EXPECT_EQ(s.source, "affected[].ecosystem_specific.urgency");
  // Typed labels (Ubuntu priorities) when no *_specific label exists.
  v1::Record ubuntu;
  AddSeverity(ubuntu.mutable_severity(), "Ubuntu", "medium");
  AdvisorySeverity u = SelectSeverity(ubuntu, nullptr);
  EXPECT_EQ(u.level, core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(u.source, "severity[Ubuntu]");
}

TEST(SelectSeverityTest, CvssDecidesWithoutALabelNewestVersionFirst) {
  v1::Record record;
  // An unrecognised label is kept but does not decide.
  record.set_database_specific_json(R"({"severity":"not yet assigned"})");
  AddSeverity(record.mutable_severity(), "CVSS_V3", "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H");
  AddSeverity(record.mutable_severity(), "CVSS_V4",
              "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  AddSeverity(record.mutable_severity(), "CVSS_V2", "AV:N/AC:L/Au:N/C:C/I:C/A:C");
  AddSeverity(record.mutable_severity(), "CVSS_V3", "CVSS:3.1/AV:N");
  AdvisorySeverity s = SelectSeverity(record, nullptr);
  EXPECT_EQ(s.label, "not yet assigned");
  EXPECT_EQ(s.level, core::v1::SEVERITY_HIGH);  // v4.0 7.3
  EXPECT_EQ(s.source, "severity[CVSS_V4]");
  EXPECT_EQ(s.cvss_vector, "CVSS:4.0/AV:L/AC:L/AT:P/PR:L/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N");
  EXPECT_THAT(s.warnings, ElementsAre(HasSubstr("severity[CVSS_V3]: CVSS vector")));
  // Nothing usable.
  EXPECT_EQ(SelectSeverity(v1::Record(), nullptr).level, core::v1::SEVERITY_UNKNOWN);
}

v1::Record LoadRecord(const std::string& path) {
  absl::StatusOr<core::Value> document = core::ParseJsonFile(path);
  EXPECT_THAT(document, IsOk());
  if (!document.ok()) return v1::Record();
  absl::StatusOr<v1::Record> record = ParseOsvRecord(*document, path, nullptr);
  EXPECT_THAT(record, IsOk());
  return record.ok() ? *record : v1::Record();
}

// Real records: GHSA labels with CVSS vectors that agree with them; Debian's urgency.
TEST(SelectSeveritySharedDataTest, RealRecords) {
  BULWARK_SHARED_PATH_OR_SKIP(osv, "conformance/osv");
  // GHSA-29mw-wpgm-hmr9: "MODERATE", CVSS:3.1/.../A:L = 5.3 (Medium).
  v1::Record moderate = LoadRecord(absl::StrCat(osv, "/npm-ghsa-sample/GHSA-29mw-wpgm-hmr9.json"));
  AdvisorySeverity m = SelectSeverity(moderate, &moderate.affected(0));
  EXPECT_EQ(m.level, core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(m.label, "MODERATE");
  ASSERT_TRUE(m.cvss.has_value());
  EXPECT_DOUBLE_EQ(m.cvss->base_score, 5.3);
  EXPECT_EQ(m.cvss->rating, CvssRating::kMedium);
  // GHSA-35jh-r3h4-6jhm: "HIGH", CVSS:3.1/AV:N/AC:L/PR:H/UI:N/S:U/C:H/I:H/A:H = 7.2 (High).
  v1::Record high = LoadRecord(absl::StrCat(osv, "/npm-ghsa-sample/GHSA-35jh-r3h4-6jhm.json"));
  AdvisorySeverity h = SelectSeverity(high, &high.affected(0));
  EXPECT_EQ(h.level, core::v1::SEVERITY_HIGH);
  ASSERT_TRUE(h.cvss.has_value());
  EXPECT_DOUBLE_EQ(h.cvss->base_score, 7.2);
  // DEBIAN-CVE-2016-2781 (coreutils chroot): urgency "low", no CVSS.
  v1::Record debian =
      LoadRecord(absl::StrCat(osv, "/debian-bookworm-sample/DEBIAN-CVE-2016-2781.json"));
  AdvisorySeverity d = SelectSeverity(debian, &debian.affected(0));
  EXPECT_EQ(d.level, core::v1::SEVERITY_LOW);
  EXPECT_EQ(d.label, "low");
  EXPECT_EQ(d.source, "affected[].ecosystem_specific.urgency");
  EXPECT_FALSE(d.cvss.has_value());
}

}  // namespace
}  // namespace bulwark::vuln
