#include "bulwark/image/risk/ignore_file.h"

#include <string>
#include <vector>

#include "absl/time/civil_time.h"
#include "bulwark/core/status_matchers.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::image {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;

core::v1::Report Report() {
  core::v1::Report report;
  auto add = [&](const char* rule, const char* path, const char* fingerprint) {
    core::v1::Finding& finding = *report.add_findings();
    finding.set_rule_id(rule);
    finding.mutable_location()->set_path(path);
    finding.set_fingerprint(fingerprint);
  };
  add("CVE-2023-1234", "/usr/lib/libfoo.so", "fp1");
  add("github-token", "/app/tests/fixture.env", "fp2");
  add("github-token", "/app/.env", "fp3");
  add("BWK-DF-001", "config", "fp4");
  return report;
}

std::vector<std::string> Remaining(const core::v1::Report& report) {
  std::vector<std::string> out;
  for (const auto& finding : report.findings()) {
    out.push_back(finding.rule_id() + " " + finding.location().path());
  }
  return out;
}

absl::Time Day(int year, int month, int day) {
  return absl::FromCivil(absl::CivilDay(year, month, day), absl::UTCTimeZone());
}

TEST(IgnoreText, IdsCommentsAndExpiry) {
  absl::StatusOr<IgnoreList> list = ParseIgnoreText(
      "# accepted\nCVE-2023-1234 exp:2026-12-31\n\n  BWK-DF-001   # root is fine here\n"
      "fp3 exp:2020-01-01\n",
      ".trivyignore");
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->entries().size(), 3u);
  EXPECT_EQ(list->entries()[0].where, ".trivyignore:2");

  core::v1::Report report = Report();
  IgnoreStats stats = list->Apply(report, Day(2026, 6, 1));
  EXPECT_EQ(stats.suppressed, 2u);
  EXPECT_THAT(stats.expired, ElementsAre(".trivyignore:5: fp3 expired on 2020-01-01"));
  EXPECT_THAT(Remaining(report),
              ElementsAre("github-token /app/tests/fixture.env", "github-token /app/.env"));
  EXPECT_EQ(report.metadata().at("ignore.suppressed"), "2");
  EXPECT_THAT(report.metadata().at("ignore.expired"), HasSubstr("fp3 expired"));

  // On the expiry date itself the entry no longer applies.
  report = Report();
  list->Apply(report, Day(2026, 12, 31));
  EXPECT_EQ(report.findings_size(), 3);

  EXPECT_THAT(ParseIgnoreText("CVE-1 until:2026-01-01\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("f:1: unexpected")));
  EXPECT_THAT(ParseIgnoreText("\nCVE-1 exp:2026-13-01\n", "f").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("f:2: expected a date")));
}

TEST(IgnoreYaml, TrivySectionsPathsAndExpiry) {
  absl::StatusOr<IgnoreList> list = ParseIgnoreYaml(R"(
vulnerabilities:
  - id: CVE-2023-1234
    paths: ["usr/lib/*.so"]
    statement: not reachable
    expired_at: 2027-01-01
secrets:
  - id: github-token
    paths:
      - /app/tests/*
misconfigurations:
  - id: BWK-DF-001
    expired_at: 2025-01-01
licenses:
)",
                                                    "ignore.yaml");
  ASSERT_THAT(list, IsOk());
  ASSERT_EQ(list->entries().size(), 3u);
  EXPECT_EQ(list->entries()[0].statement, "not reachable");
  core::v1::Report report = Report();
  IgnoreStats stats = list->Apply(report, Day(2026, 6, 1));
  EXPECT_EQ(stats.suppressed, 2u);
  ASSERT_EQ(stats.expired.size(), 1u);
  EXPECT_THAT(stats.expired[0], HasSubstr("BWK-DF-001 expired on 2025-01-01"));
  EXPECT_THAT(Remaining(report), ElementsAre("github-token /app/.env", "BWK-DF-001 config"));
}

TEST(IgnoreYaml, ErrorsHavePositions) {
  EXPECT_THAT(
      ParseIgnoreYaml("secrets:\n  - paths: [a]\n", "i.yaml").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("i.yaml:2:5: the entry has no id")));
  EXPECT_THAT(
      ParseIgnoreYaml("secret:\n  - id: x\n", "i.yaml").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown section \"secret\"")));
  EXPECT_THAT(
      ParseIgnoreYaml("secrets:\n  - id: x\n    expired_at: soon\n", "i.yaml").status(),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("i.yaml:3:17: expected a date")));
  EXPECT_THAT(ParseIgnoreYaml("secrets:\n  - id: x\n    path: a\n", "i.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown key \"path\"")));
  EXPECT_THAT(ParseIgnoreYaml("secrets: [1]\n", "i.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("must be a map")));
  EXPECT_THAT(ParseIgnoreYaml("secrets: [\n", "i.yaml").status(),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("i.yaml")));
}

}  // namespace
}  // namespace bulwark::image
