#include "bulwark/image/vuln/vex.h"

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/strip.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::HasSubstr;
using ::testing::SizeIs;

std::vector<VexStatement> ParseOrDie(absl::StatusOr<std::vector<VexStatement>> parsed) {
  EXPECT_THAT(parsed, IsOk());
  return parsed.ok() ? *std::move(parsed) : std::vector<VexStatement>{};
}

// An OpenVEX document in the shape of the specification's examples.
constexpr char kOpenVex[] = R"({
  "@context": "https://openvex.dev/ns/v0.2.0",
  "@id": "https://example.com/vex/1",
  "author": "Example Security",
  "timestamp": "2024-01-01T00:00:00Z",
  "version": 1,
  "statements": [
    {
      "vulnerability": {"name": "CVE-2023-0001", "aliases": ["GHSA-aaaa-bbbb-cccc"]},
      "products": [{"@id": "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64"}],
      "status": "not_affected",
      "justification": "vulnerable_code_not_in_execute_path",
      "impact_statement": "git-http-backend is not shipped"
    },
    {
      "vulnerability": {"name": "CVE-2023-0002"},
      "products": [{"@id": "pkg:pypi/Django_Rest"}],
      "status": "affected",
      "action_statement": "Upgrade to 3.15"
    },
    {
      "vulnerability": {"name": "CVE-2023-0002"},
      "products": [{"@id": "pkg:pypi/django-rest@3.14.0"}],
      "status": "fixed",
      "timestamp": "2024-02-01T00:00:00Z"
    },
    {
      "vulnerability": {"name": "CVE-2023-0003"},
      "products": [{
        "@id": "pkg:oci/app@sha256%3Aabcd",
        "subcomponents": [{"@id": "pkg:npm/express@4.17.1"}]
      }],
      "status": "under_investigation"
    }
  ]
})";

TEST(OpenVexTest, ParsesStatements) {
  std::vector<VexStatement> statements = ParseOrDie(ParseOpenVex(kOpenVex, "app.openvex.json"));
  ASSERT_THAT(statements, SizeIs(4));
  EXPECT_EQ(statements[0].vulnerability, "CVE-2023-0001");
  EXPECT_THAT(statements[0].aliases, ::testing::ElementsAre("GHSA-aaaa-bbbb-cccc"));
  EXPECT_EQ(statements[0].status, VexStatus::kNotAffected);
  EXPECT_EQ(statements[0].products[0].purl, "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64");
  EXPECT_EQ(statements[0].timestamp, absl::FromUnixSeconds(1704067200));  // The document's.
  EXPECT_EQ(statements[2].timestamp, absl::FromUnixSeconds(1706745600));
  EXPECT_EQ(statements[3].products[0].subcomponents.size(), 1u);
  EXPECT_EQ(statements[1].source, "app.openvex.json: statements[1]");
}

TEST(EvaluateVexTest, SuppressesAndAnnotatesByOpenVexRules) {
  std::vector<VexStatement> statements = ParseOrDie(ParseOpenVex(kOpenVex, "app.openvex.json"));
  // not_affected by an alias, with the package's extra qualifiers; the id case does not matter.
  VexDecision d = EvaluateVex(statements, {"ghsa-aaaa-bbbb-cccc"},
                              "pkg:apk/wolfi/git@2.39.0-r1?arch=x86_64&distro=wolfi-20230201");
  EXPECT_EQ(d.effect, VexEffect::kSuppress);
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.reason,
            "not_affected (vulnerable_code_not_in_execute_path): git-http-backend is not shipped "
            "[app.openvex.json: statements[0]]");
  // Another version, or a missing qualifier the statement requires: no match.
  EXPECT_EQ(
      EvaluateVex(statements, {"CVE-2023-0001"}, "pkg:apk/wolfi/git@2.39.0-r2?arch=x86_64").effect,
      VexEffect::kNone);
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2023-0001"}, "pkg:apk/wolfi/git@2.39.0-r1").effect,
            VexEffect::kNone);
  // A versionless product covers every version; pypi names compare PEP 503-normalised.
  VexDecision affected = EvaluateVex(statements, {"CVE-2023-0002"}, "pkg:pypi/django.rest@3.13.0");
  EXPECT_EQ(affected.effect, VexEffect::kAnnotate);
  EXPECT_THAT(affected.reason, HasSubstr("affected: Upgrade to 3.15"));
  // The later (fixed) statement wins for 3.14.0.
  VexDecision fixed = EvaluateVex(statements, {"CVE-2023-0002"}, "pkg:pypi/django-rest@3.14.0");
  EXPECT_EQ(fixed.effect, VexEffect::kSuppress);
  EXPECT_EQ(fixed.statement->status, VexStatus::kFixed);
  // Subcomponents: the package must match a subcomponent, and the product the context.
  std::vector<std::string> image = {"pkg:oci/app@sha256%3Aabcd?repository_url=ghcr.io/x/app"};
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2023-0003"}, "pkg:npm/express@4.17.1", image).effect,
            VexEffect::kAnnotate);
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2023-0003"}, "pkg:npm/express@4.17.1",
                        {"pkg:oci/other@sha256%3Aabcd"})
                .effect,
            VexEffect::kNone);
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2023-0003"}, "pkg:npm/express@4.17.2", image).effect,
            VexEffect::kNone);
  // Unrelated vulnerability.
  EXPECT_EQ(EvaluateVex(statements, {"CVE-1999-0001"}, "pkg:npm/express@4.17.1").effect,
            VexEffect::kNone);
}

TEST(EvaluateVexTest, LaterStatementWinsAcrossDocumentsAndOnTies) {
  auto document = [](const std::string& timestamp, const std::string& status,
                     const std::string& extra) {
    return absl::StrCat(R"({"@context":"https://openvex.dev/ns/v0.2.0","author":"a",)",
                        R"("timestamp":")", timestamp, R"(","statements":[{"vulnerability":)",
                        R"({"name":"CVE-1"},"products":[{"@id":"pkg:deb/debian/bash"}],)",
                        R"("status":")", status, "\"", extra, "}]}");
  };
  std::vector<VexStatement> all;
  for (const std::string& text :
       {document("2024-03-01T00:00:00Z", "affected", R"(,"action_statement":"wait")"),
        document("2024-01-01T00:00:00Z", "not_affected",
                 R"(,"justification":"component_not_present")"),
        document("2024-03-01T00:00:00Z", "under_investigation", "")}) {
    std::vector<VexStatement> parsed = ParseOrDie(ParseOpenVex(text, "doc"));
    all.insert(all.end(), parsed.begin(), parsed.end());
  }
  VexDecision d = EvaluateVex(all, {"CVE-1"}, "pkg:deb/debian/bash@5.2.15-2?arch=amd64");
  ASSERT_NE(d.statement, nullptr);
  EXPECT_EQ(d.statement->status, VexStatus::kUnderInvestigation);
}

TEST(OpenVexTest, StrictValidationWithPositions) {
  auto invalid = [](const std::string& text, const std::string& message) {
    EXPECT_THAT(ParseOpenVex(text, "v.json"),
                StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr(message)))
        << text;
  };
  const std::string head =
      R"({"@context":"https://openvex.dev/ns/v0.2.0","author":"a","timestamp":"2024-01-01T00:00:00Z",)";
  invalid(R"({"author":"a"})", "missing \"@context\"");
  invalid(R"({"@context":"https://example.com","author":"a"})", "not an OpenVEX context");
  invalid(
      head +
          R"("statements":[{"vulnerability":{"name":"C"},"products":["pkg:npm/a"],"status":"broken"}]})",
      "statements[0].status: unknown status \"broken\"");
  invalid(
      head +
          R"("statements":[{"vulnerability":{"name":"C"},"products":["pkg:npm/a"],"status":"not_affected"}]})",
      "needs a justification or an impact_statement");
  invalid(
      head +
          R"("statements":[{"vulnerability":{"name":"C"},"products":["pkg:npm/a"],"status":"affected"}]})",
      "needs an action_statement");
  invalid(
      head +
          R"("statements":[{"vulnerability":{"name":"C"},"products":["pkg:npm/a"],"status":"not_affected","justification":"because"}]})",
      "unknown justification \"because\"");
  invalid(head + R"("statements":[{"vulnerability":{"name":"C"},"products":[],"status":"fixed"}]})",
          "\"products\" is empty");
  invalid(
      head +
          R"("statements":[{"vulnerability":{"name":"C"},"products":["pkg:npm/a"],"status":"fixed","timestamp":"yesterday"}]})",
      "v.json:1:");
  invalid(head + R"("statements":[{"products":["pkg:npm/a"],"status":"fixed"}]})",
          "missing \"vulnerability\"");
  // v0.0.1 string forms are accepted.
  EXPECT_THAT(
      ParseOpenVex(
          head +
              R"("statements":[{"vulnerability":"CVE-1","products":["pkg:npm/a@1"],"status":"fixed"}]})",
          "v.json"),
      IsOk());
}

constexpr char kCycloneDx[] = R"({
  "bomFormat": "CycloneDX",
  "specVersion": "1.5",
  "metadata": {"timestamp": "2024-05-01T00:00:00Z"},
  "components": [{"bom-ref": "lib-1", "name": "log4j-core",
                  "purl": "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"}],
  "vulnerabilities": [
    {
      "id": "CVE-2021-44228",
      "references": [{"id": "GHSA-jfh8-c2jp-5v3q", "source": {"name": "GitHub"}}],
      "analysis": {"state": "not_affected", "justification": "code_not_reachable",
                   "detail": "JNDI lookups are disabled"},
      "affects": [{"ref": "lib-1"}]
    },
    {
      "id": "CVE-2024-0002",
      "analysis": {"state": "exploitable", "response": ["update", "workaround_available"]},
      "affects": [{"ref": "pkg:npm/lodash",
                   "versions": [{"version": "4.17.20", "status": "affected"},
                                {"version": "4.17.21", "status": "unaffected"},
                                {"range": "vers:npm/<4.17.0", "status": "affected"}]}]
    },
    {"id": "CVE-2024-0003", "affects": [{"ref": "lib-1"}]}
  ]
})";

TEST(CycloneDxVexTest, AnalysisBecomesStatements) {
  std::vector<VexStatement> statements = ParseOrDie(ParseCycloneDxVex(kCycloneDx, "bom.json"));
  ASSERT_THAT(statements, SizeIs(3));  // CVE-2024-0003 has no analysis.
  EXPECT_EQ(statements[0].format, VexFormat::kCycloneDx);
  EXPECT_EQ(statements[0].timestamp, absl::FromUnixSeconds(1714521600));
  VexDecision log4j = EvaluateVex(statements, {"GHSA-jfh8-c2jp-5v3q"},
                                  "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1");
  EXPECT_EQ(log4j.effect, VexEffect::kSuppress);
  EXPECT_EQ(log4j.reason,
            "not_affected (code_not_reachable): JNDI lookups are disabled [bom.json: "
            "$.vulnerabilities[0]]");
  VexDecision old = EvaluateVex(statements, {"CVE-2024-0002"}, "pkg:npm/lodash@4.17.20");
  EXPECT_EQ(old.effect, VexEffect::kAnnotate);
  EXPECT_EQ(old.statement->action_statement, "update, workaround_available");
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2024-0002"}, "pkg:npm/lodash@4.17.21").effect,
            VexEffect::kSuppress);
  EXPECT_EQ(EvaluateVex(statements, {"CVE-2024-0002"}, "pkg:npm/lodash@4.16.0").effect,
            VexEffect::kNone);  // Ranges are not evaluated.

  EXPECT_THAT(ParseCycloneDxVex(R"({"bomFormat":"CycloneDX","specVersion":"1.3"})", "old.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("1.4 or later")));
  EXPECT_THAT(
      ParseCycloneDxVex(
          R"({"bomFormat":"CycloneDX","specVersion":"1.4","vulnerabilities":[{"id":"C","analysis":{"state":"fine"},"affects":[{"ref":"x"}]}]})",
          "bad.json"),
      StatusIs(absl::StatusCode::kInvalidArgument,
               HasSubstr("$.vulnerabilities[0].analysis.state: unknown analysis state \"fine\"")));
}

TEST(ParseVexTest, DetectsTheFormat) {
  EXPECT_EQ(ParseOrDie(ParseVex(kOpenVex, "a"))[0].format, VexFormat::kOpenVex);
  EXPECT_EQ(ParseOrDie(ParseVex(kCycloneDx, "b"))[0].format, VexFormat::kCycloneDx);
  EXPECT_THAT(ParseVex(R"({"spdxVersion":"SPDX-2.3"})", "c"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not a VEX document")));
  EXPECT_THAT(ParseVex("[1,", "d"), StatusIs(absl::StatusCode::kInvalidArgument));
}

// claircore's acceptance data: CSAF VEX documents (Red Hat's real ones and test ones) with the
// expected status of named products in the CSV files.
TEST(CsafVexSharedDataTest, ClaircoreAcceptanceDocuments) {
  BULWARK_SHARED_PATH_OR_SKIP(dir, "conformance/vex/claircore-acceptance");
  std::vector<VexStatement> all;
  int documents = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".json") continue;
    std::vector<VexStatement> statements = ParseOrDie(LoadVexFile(entry.path().string()));
    EXPECT_FALSE(statements.empty()) << entry.path();
    for (const VexStatement& s : statements) EXPECT_EQ(s.format, VexFormat::kCsaf);
    all.insert(all.end(), statements.begin(), statements.end());
    ++documents;
  }
  EXPECT_EQ(documents, 10);
  std::printf("claircore CSAF VEX: %d documents, %zu statements\n", documents, all.size());

  // The CSV rows "CVE,product_id,affected": the product's statement is affected, or fixed for
  // the product's own version (the image holds an older build, which stays affected).
  int rows = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    if (entry.path().extension() != ".csv") continue;
    std::ifstream in(entry.path());
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#') continue;
      std::vector<std::string> fields = absl::StrSplit(line, ',');
      ASSERT_EQ(fields.size(), 3u) << line;
      EXPECT_EQ(fields[2], "affected") << line;
      const VexStatement* found = nullptr;
      for (const VexStatement& s : all) {
        if (s.vulnerability == fields[0] && s.products[0].id == fields[1]) found = &s;
      }
      if (found == nullptr) {
        // cve-2026-123.csv also lists CVE-2020-123 for claircore-1.5.49, which no document
        // covers: without a statement the finding stays affected.
        EXPECT_EQ(
            EvaluateVex(all, {fields[0]}, "pkg:golang/github.com/quay/claircore@1.5.49").effect,
            VexEffect::kNone)
            << line;
        ++rows;
        continue;
      }
      ++rows;
      ASSERT_FALSE(found->products[0].purl.empty()) << line;
      VexDecision own = EvaluateVex(all, {fields[0]}, found->products[0].purl);
      ASSERT_NE(own.statement, nullptr) << line;
      if (found->status == VexStatus::kAffected) {
        EXPECT_EQ(own.effect, VexEffect::kAnnotate) << line;
      } else {
        EXPECT_EQ(found->status, VexStatus::kFixed) << line;
        EXPECT_EQ(own.effect, VexEffect::kSuppress) << line;
      }
    }
  }
  EXPECT_EQ(rows, 3);

  // cve-2026-123.json: Go stdlib 1.20.14 known_affected, impact "Important".
  VexDecision stdlib = EvaluateVex(all, {"CVE-2026-123"}, "pkg:golang/stdlib@1.20.14");
  EXPECT_EQ(stdlib.effect, VexEffect::kAnnotate);
  // cve-2026-27142-go.json: fixed in 1.25.8 and 1.26.1, known_affected 1.25.7 and 1.26.0.
  EXPECT_EQ(EvaluateVex(all, {"CVE-2026-27142"}, "pkg:golang/stdlib@1.25.8").effect,
            VexEffect::kSuppress);
  EXPECT_EQ(EvaluateVex(all, {"CVE-2026-27142"}, "pkg:golang/stdlib@1.26.0").effect,
            VexEffect::kAnnotate);
  // cve-2024-0727-openssl.json: openssl-fips-provider 3.0.7-2.el9 is known_not_affected with the
  // flag vulnerable_code_not_present (a relationship product: the purl is the component's).
  VexDecision fips = EvaluateVex(all, {"CVE-2024-0727"},
                                 "pkg:rpm/redhat/openssl-fips-provider@3.0.7-2.el9?arch=aarch64");
  EXPECT_EQ(fips.effect, VexEffect::kSuppress);
  ASSERT_NE(fips.statement, nullptr);
  EXPECT_EQ(fips.statement->justification, "vulnerable_code_not_present");
  EXPECT_EQ(fips.statement->impact_statement, "Low");
  EXPECT_THAT(fips.reason, HasSubstr("not_affected (vulnerable_code_not_present)"));
  // The perl-FCGI row of cve-2025-40907.csv: Red Hat's purl carries epoch, arch and rpmmod
  // qualifiers, all required; a package purl without rpmmod does not match it.
  VexDecision perl = EvaluateVex(
      all, {"CVE-2025-40907"},
      "pkg:rpm/redhat/perl-FCGI@0.78-12.module%2Bel8.10.0%2B23147%2B95b68fad?arch=aarch64&epoch=1");
  EXPECT_EQ(perl.effect, VexEffect::kNone);
}

TEST(CsafVexTest, RejectsOtherProfilesAndBrokenReferences) {
  EXPECT_THAT(
      ParseCsafVex(R"({"document":{"csaf_version":"2.0","category":"csaf_base"}})", "x.json"),
      StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("not the VEX profile")));
  EXPECT_THAT(ParseCsafVex(R"({"document":{"csaf_version":"2.0","category":"csaf_vex",
      "tracking":{"current_release_date":"2024-01-01T00:00:00Z"}},"product_tree":{},
      "vulnerabilities":[{"cve":"CVE-1","product_status":{"known_not_affected":["p"]},
      "flags":[{"label":"vulnerable_code_not_present","group_ids":["g"]}]}]})",
                           "y.json"),
              StatusIs(absl::StatusCode::kInvalidArgument, HasSubstr("unknown group \"g\"")));
}

}  // namespace
}  // namespace bulwark::vuln
