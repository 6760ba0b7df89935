// MatchPackages against the real advisories in ../shared/conformance/osv. Each expectation is
// read from the advisory named next to it:
// - Debian 12 (debian-bookworm-sample): libssl3 built from openssl 3.0.11-1~deb12u2 (a real
//   bookworm security update). DEBIAN-CVE-2023-5363 is fixed in exactly that version: not
//   affected. DEBIAN-CVE-2023-5678 and -2024-0727 are fixed in 3.0.13-1~deb12u1: affected, with
//   that fix. DEBIAN-CVE-2023-6129 is "open" (introduced 0, no fix): affected, no fix yet.
//   DEBIAN-CVE-2022-0778 (fixed 1.1.1n-1) is older: not affected. Looked up by the source name
//   "openssl", not the binary name. apt 2.6.1: DEBIAN-CVE-2011-3374, open, urgency
//   "unimportant" (LOW).
// - PyPI: gradio 4.36.1 is reported by PYSEC-2024-274 (range, last_affected 4.36.1) and by
//   GHSA-9v2f-6vcg-3hgv (osv-schema linter data, explicit version list, severity CRITICAL);
//   both alias CVE-2024-39236: one finding, ID CVE-2024-39236, no fix.
// - npm (npm-ghsa-sample): express 4.17.1 is in GHSA-rv95-896h-c2vc (fixed 4.19.2) and
//   GHSA-qw6h-vgh9-j6wx (fixed 4.20.0); express 4.20.0 in neither. ws 7.4.0: GHSA-6fc8-4gx4-v693
//   (7.0.0 <= v < 7.4.6) and GHSA-3h5v-q93c-6h6q (7.0.0 <= v < 7.5.10, one fix per range).
// - Go (go/osv): a binary built with go1.19.8 is affected by GO-2023-1751, -1752, -1753 (fixed
//   1.19.9) and GO-2023-1840 (fixed 1.19.10), not by GO-2023-1702..1705 (fixed 1.19.8).
#include "bulwark/image/vuln/matcher.h"

#include <string>
#include <vector>

#include "absl/strings/str_join.h"
#include "bulwark/core/status_matchers.h"
#include "bulwark/core/testing/shared_testdata.h"
#include "gmock/gmock.h"
#include "gtest/gtest.h"

namespace bulwark::vuln {
namespace {

using ::bulwark::core::testing::IsOk;
using ::bulwark::core::testing::StatusIs;
using ::testing::Contains;
using ::testing::ElementsAre;
using ::testing::IsEmpty;
using ::testing::Not;

sbom::v1::Package Package(std::string type, std::string name, std::string version,
                          std::string source_name = "", std::string source_version = "") {
  sbom::v1::Package p;
  p.set_type(std::move(type));
  p.set_name(std::move(name));
  p.set_version(std::move(version));
  p.set_source_name(std::move(source_name));
  p.set_source_version(std::move(source_version));
  p.set_layer(1);
  p.set_layer_digest("sha256:0123");
  p.add_locations()->set_path("/var/lib/dpkg/status");
  return p;
}

sbom::v1::OperatingSystem Os(std::string id, std::string osv_ecosystem) {
  sbom::v1::OperatingSystem os;
  os.set_id(std::move(id));
  os.set_osv_ecosystem(std::move(osv_ecosystem));
  return os;
}

std::unique_ptr<const Database> Load(const std::vector<std::string>& paths) {
  absl::StatusOr<std::unique_ptr<const Database>> db = Database::LoadSources(paths);
  EXPECT_THAT(db, IsOk());
  return db.ok() ? *std::move(db) : nullptr;
}

std::vector<std::string> Ids(const v1::MatchResult& result) {
  std::vector<std::string> ids;
  for (const v1::Finding& f : result.findings()) ids.push_back(f.id());
  return ids;
}

const v1::Finding* FindingFor(const v1::MatchResult& result, absl::string_view id) {
  for (const v1::Finding& f : result.findings()) {
    if (f.id() == id) return &f;
  }
  return nullptr;
}

TEST(Matcher, DebianBySourcePackageAndRelease) {
  BULWARK_SHARED_PATH_OR_SKIP(debian, "conformance/osv/debian-bookworm-sample");
  std::unique_ptr<const Database> db = Load({debian});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {
      Package("deb", "libssl3", "3.0.11-1~deb12u2", "openssl", "3.0.11-1~deb12u2"),
      Package("deb", "apt", "2.6.1", "apt", "2.6.1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, Os("debian", "Debian:12"));
  ASSERT_THAT(result, IsOk());
  std::vector<std::string> ids = Ids(*result);
  EXPECT_THAT(ids, Contains("CVE-2023-5678"));
  EXPECT_THAT(ids, Contains("CVE-2024-0727"));
  EXPECT_THAT(ids, Contains("CVE-2023-6129"));
  EXPECT_THAT(ids, Not(Contains("CVE-2023-5363")));
  EXPECT_THAT(ids, Not(Contains("CVE-2022-0778")));

  const v1::Finding* fixed = FindingFor(*result, "CVE-2023-5678");
  ASSERT_NE(fixed, nullptr);
  EXPECT_THAT(fixed->aliases(), ElementsAre("DEBIAN-CVE-2023-5678"));
  EXPECT_THAT(fixed->fixed_versions(), ElementsAre("3.0.13-1~deb12u1"));
  EXPECT_EQ(fixed->package_name(), "libssl3");
  EXPECT_EQ(fixed->matched_name(), "openssl");
  EXPECT_EQ(fixed->ecosystem(), "Debian:12");
  EXPECT_EQ(fixed->layer_digest(), "sha256:0123");

  const v1::Finding* open = FindingFor(*result, "CVE-2023-6129");
  ASSERT_NE(open, nullptr);
  EXPECT_THAT(open->fixed_versions(), IsEmpty());

  const v1::Finding* apt = FindingFor(*result, "CVE-2011-3374");
  ASSERT_NE(apt, nullptr);
  EXPECT_EQ(apt->package_name(), "apt");
  EXPECT_EQ(apt->severity_label(), "LOW");

  // The same packages in another distribution's release match nothing of Debian 12's.
  absl::StatusOr<v1::MatchResult> ubuntu =
      MatchPackages(*db, packages, Os("ubuntu", "Ubuntu:22.04:LTS"));
  ASSERT_THAT(ubuntu, IsOk());
  EXPECT_THAT(ubuntu->findings(), IsEmpty());

  core::v1::Report report = FindingsToReport(*result, "debian.tar");
  ASSERT_EQ(report.findings_size(), result->findings_size());
  const core::v1::Finding& first = report.findings(0);
  EXPECT_EQ(first.category(), "vulnerability");
  EXPECT_EQ(first.location().path(), "/var/lib/dpkg/status");
  EXPECT_FALSE(first.fingerprint().empty());
  EXPECT_TRUE(first.properties().contains("fixed_version"));
}

TEST(Matcher, AliasesMergeAcrossDatabases) {
  BULWARK_SHARED_PATH_OR_SKIP(pypi, "conformance/osv/pypi/vulns/gradio");
  BULWARK_SHARED_PATH_OR_SKIP(
      ghsa, "conformance/osv/osv-schema/linter-testdata/GHSA-9v2f-6vcg-3hgv.json");
  std::unique_ptr<const Database> db = Load({pypi, ghsa});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {Package("pypi", "Gradio", "4.36.1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, {});
  ASSERT_THAT(result, IsOk());
  const v1::Finding* finding = FindingFor(*result, "CVE-2024-39236");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->aliases(), ElementsAre("GHSA-9v2f-6vcg-3hgv", "PYSEC-2024-274"));
  EXPECT_THAT(finding->record_ids(), ElementsAre("PYSEC-2024-274", "GHSA-9v2f-6vcg-3hgv"));
  EXPECT_THAT(finding->fixed_versions(), IsEmpty());
  EXPECT_EQ(finding->severity_label(), "CRITICAL");
  EXPECT_EQ(finding->evidence_size(), 2);
  int reports_of_it = 0;
  for (const v1::Finding& f : result->findings()) {
    for (const std::string& id : f.record_ids()) {
      if (id == "PYSEC-2024-274" || id == "GHSA-9v2f-6vcg-3hgv") ++reports_of_it;
    }
  }
  EXPECT_EQ(reports_of_it, 2) << "both records in one finding, nowhere else";
}

// PYSEC-2023-74 (pypi/vulns/requests): requests 2.3.0 <= v < 2.31.0, also listed in versions;
// the fix is reported whichever way the version matched.
TEST(Matcher, PypiFixedVersionFromTheRange) {
  BULWARK_SHARED_PATH_OR_SKIP(requests, "conformance/osv/pypi/vulns/requests");
  std::unique_ptr<const Database> db = Load({requests});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {Package("pypi", "Requests", "2.28.1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, {});
  ASSERT_THAT(result, IsOk());
  const v1::Finding* finding = FindingFor(*result, "CVE-2023-32681");
  ASSERT_NE(finding, nullptr);
  EXPECT_THAT(finding->fixed_versions(), ElementsAre("2.31.0"));
  EXPECT_THAT(finding->aliases(), ElementsAre("GHSA-j8r2-6x86-q33q", "PYSEC-2023-74"));
}

TEST(Matcher, NpmRangesAndFixes) {
  BULWARK_SHARED_PATH_OR_SKIP(npm, "conformance/osv/npm-ghsa-sample");
  std::unique_ptr<const Database> db = Load({npm});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> old_express = {Package("npm", "express", "4.17.1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, old_express, {});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("CVE-2024-29041", "CVE-2024-43796"));
  EXPECT_THAT(FindingFor(*result, "CVE-2024-29041")->fixed_versions(), ElementsAre("4.19.2"));
  EXPECT_THAT(FindingFor(*result, "CVE-2024-29041")->aliases(), ElementsAre("GHSA-rv95-896h-c2vc"));

  std::vector<sbom::v1::Package> new_express = {Package("npm", "express", "4.20.0")};
  result = MatchPackages(*db, new_express, {});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(result->findings(), IsEmpty());

  std::vector<sbom::v1::Package> ws = {Package("npm", "ws", "7.4.0")};
  result = MatchPackages(*db, ws, {});
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("CVE-2021-32640", "CVE-2024-37890"));
  EXPECT_THAT(FindingFor(*result, "CVE-2024-37890")->fixed_versions(), ElementsAre("7.5.10"));
  EXPECT_EQ(FindingFor(*result, "CVE-2024-37890")->severity_label(), "HIGH");
}

TEST(Matcher, GoStandardLibraryByToolchainVersion) {
  BULWARK_SHARED_PATH_OR_SKIP(go, "conformance/osv/go/osv");
  std::unique_ptr<const Database> db = Load({go});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {Package("golang", "stdlib", "go1.19.8")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, {});
  ASSERT_THAT(result, IsOk());
  std::vector<std::string> records;
  for (const v1::Finding& f : result->findings()) {
    records.insert(records.end(), f.record_ids().begin(), f.record_ids().end());
  }
  for (const char* id : {"GO-2023-1751", "GO-2023-1752", "GO-2023-1753", "GO-2023-1840"}) {
    EXPECT_THAT(records, Contains(id));
  }
  for (const char* id : {"GO-2023-1702", "GO-2023-1703", "GO-2023-1704", "GO-2023-1705"}) {
    EXPECT_THAT(records, Not(Contains(id)));
  }
  const v1::Finding* html = FindingFor(*result, "CVE-2023-29400");
  ASSERT_NE(html, nullptr);
  EXPECT_EQ(html->matched_version(), "1.19.8");
  EXPECT_THAT(html->fixed_versions(), Contains("1.19.9"));
}

TEST(Matcher, PackagesWithoutEcosystemOrValidVersionAreSkippedAndCounted) {
  BULWARK_SHARED_PATH_OR_SKIP(npm, "conformance/osv/npm-ghsa-sample");
  std::unique_ptr<const Database> db = Load({npm});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {
      Package("npm", "express", "not a version"), Package("swift", "x", "1.0"),
      Package("deb", "bash", "5.2.15-2", "bash", "5.2.15-2")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, Os("distroless", ""));
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->packages(), 3u);
  EXPECT_EQ(result->packages_skipped(), 3u);
  ASSERT_EQ(result->warnings_size(), 3);
  EXPECT_THAT(result->warnings(0), ::testing::HasSubstr("not a version"));
  EXPECT_THAT(result->warnings(1), ::testing::HasSubstr("swift"));
  EXPECT_THAT(result->warnings(2), ::testing::HasSubstr("no OSV ecosystem"));
}

// Trivy's DB fixtures (trivy-db-fixtures/debian.yaml, alpine.yaml): Debian 10 libidn2
// CVE-2019-18224 fixed in 2.0.5-1+deb10u1 (DSA-4613-1); Debian 9 bash CVE-2019-18276 has no
// FixedVersion (open); Alpine 3.9 openssl CVE-2019-1549 fixed 1.1.1d-r0, CVE-2019-1551 fixed
// 1.1.1d-r2. python.yaml's pip bucket (version constraints) is not read, and says so.
TEST(Matcher, TrivyFixtureDistributionBuckets) {
  BULWARK_SHARED_PATH_OR_SKIP(debian, "conformance/osv/trivy-db-fixtures/debian.yaml");
  BULWARK_SHARED_PATH_OR_SKIP(alpine, "conformance/osv/trivy-db-fixtures/alpine.yaml");
  BULWARK_SHARED_PATH_OR_SKIP(python, "conformance/osv/trivy-db-fixtures/python.yaml");
  std::unique_ptr<const Database> db = Load({debian, alpine, python});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> libidn2 = {
      Package("deb", "libidn2-0", "2.0.5-1", "libidn2", "2.0.5-1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, libidn2, Os("debian", "Debian:10"));
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(Ids(*result), ElementsAre("CVE-2019-18224"));
  EXPECT_THAT(result->findings(0).fixed_versions(), ElementsAre("2.0.5-1+deb10u1"));
  std::vector<sbom::v1::Package> bash = {Package("deb", "bash", "4.4-5", "bash", "4.4-5")};
  result = MatchPackages(*db, bash, Os("debian", "Debian:9"));
  ASSERT_THAT(result, IsOk());
  ASSERT_THAT(Ids(*result), ElementsAre("CVE-2019-18276"));
  EXPECT_THAT(result->findings(0).fixed_versions(), IsEmpty());

  std::vector<sbom::v1::Package> openssl = {
      Package("apk", "libcrypto1.1", "1.1.1d-r0", "openssl", "1.1.1d-r0")};
  result = MatchPackages(*db, openssl, Os("alpine", "Alpine:v3.9"));
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("CVE-2019-1551"));
  EXPECT_THAT(db->stats().warnings(), Contains(::testing::HasSubstr("Trivy buckets")));
}

// Severity and CVSS per finding (docs/vuln-scoring.md), read from the GHSA records:
// GHSA-3h5v-q93c-6h6q (ws): database_specific.severity HIGH decides; its one vector
// CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H scores 7.5 (network DoS, the v3.1 formula).
// GHSA-rv95-896h-c2vc (express): MODERATE; CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N is 6.1.
// GHSA-qw6h-vgh9-j6wx (express): MODERATE, with a v3.1 and a v4.0 vector: the v4.0 one is shown.
TEST(Matcher, SeverityKeepsDatabaseLabelsAndScoresCvss) {
  BULWARK_SHARED_PATH_OR_SKIP(npm, "conformance/osv/npm-ghsa-sample");
  std::unique_ptr<const Database> db = Load({npm});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {Package("npm", "ws", "7.4.0"),
                                             Package("npm", "express", "4.17.1")};
  absl::StatusOr<v1::MatchResult> result = MatchPackages(*db, packages, {});
  ASSERT_THAT(result, IsOk());
  const v1::Finding* ws = FindingFor(*result, "CVE-2024-37890");
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(ws->severity(), "HIGH");
  EXPECT_EQ(ws->severity_source(), "GHSA-3h5v-q93c-6h6q: database_specific.severity");
  EXPECT_EQ(ws->cvss_vector(), "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H");
  EXPECT_EQ(ws->cvss_version(), "3.1");
  EXPECT_DOUBLE_EQ(ws->cvss_score(), 7.5);
  EXPECT_EQ(ws->cvss_rating(), "High");

  const v1::Finding* redirect = FindingFor(*result, "CVE-2024-29041");
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(redirect->severity(), "MEDIUM");
  EXPECT_DOUBLE_EQ(redirect->cvss_score(), 6.1);
  const v1::Finding* xss = FindingFor(*result, "CVE-2024-43796");
  ASSERT_NE(xss, nullptr);
  EXPECT_EQ(xss->severity(), "MEDIUM");
  EXPECT_EQ(xss->cvss_version(), "4.0");
  EXPECT_THAT(xss->cvss_vector(), ::testing::StartsWith("CVSS:4.0/AV:N/AC:L/AT:P/"));

  core::v1::Report report = FindingsToReport(*result, "app");
  for (const core::v1::Finding& f : report.findings()) {
    if (f.rule_id() != "CVE-2024-37890") continue;
    EXPECT_EQ(f.severity(), core::v1::SEVERITY_HIGH);
    EXPECT_EQ(f.properties().at("cvss_score"), "7.5");
    EXPECT_EQ(f.properties().at("cvss_vector"), ws->cvss_vector());
  }
}

// ALSA-2022:4587 (almalinux9) has no severity field; its summary "Important: pcs security
// update" is the label. pcs 0.11.1-8.el9 is before the fix 0.11.1-10.el9.
TEST(Matcher, RedHatStyleSummaryLabel) {
  BULWARK_SHARED_PATH_OR_SKIP(
      alsa, "conformance/osv/almalinux/advisories/almalinux9/ALSA-2022:4587.json");
  std::unique_ptr<const Database> db = Load({alsa});
  ASSERT_NE(db, nullptr);
  std::vector<sbom::v1::Package> packages = {Package("rpm", "pcs", "0.11.1-8.el9")};
  absl::StatusOr<v1::MatchResult> result =
      MatchPackages(*db, packages, Os("almalinux", "AlmaLinux:9"));
  ASSERT_THAT(result, IsOk());
  ASSERT_EQ(result->findings_size(), 1);
  EXPECT_EQ(result->findings(0).severity(), "HIGH");
  EXPECT_EQ(result->findings(0).severity_source(), "ALSA-2022:4587: summary");
  EXPECT_TRUE(result->findings(0).cvss_vector().empty());
}

// VEX statements written for this test (OpenVEX 0.2.0): express 4.17.1 is not affected by
// CVE-2024-29041 (stated by its GHSA alias), CVE-2024-43796 is under investigation, and a
// statement about the image (no subcomponents) marks ws's CVE-2024-37890 fixed.
TEST(Matcher, VexSuppressesAndAnnotatesFindings) {
  BULWARK_SHARED_PATH_OR_SKIP(npm, "conformance/osv/npm-ghsa-sample");
  std::unique_ptr<const Database> db = Load({npm});
  ASSERT_NE(db, nullptr);
  absl::StatusOr<std::vector<VexStatement>> vex = ParseOpenVex(R"json({
    "@context": "https://openvex.dev/ns/v0.2.0",
    "@id": "https://example.com/vex/1", "author": "test", "version": 1,
    "timestamp": "2026-11-01T00:00:00Z",
    "statements": [
      {"vulnerability": {"name": "GHSA-rv95-896h-c2vc"},
       "products": [{"@id": "pkg:npm/express@4.17.1"}],
       "status": "not_affected", "justification": "vulnerable_code_not_in_execute_path"},
      {"vulnerability": {"name": "CVE-2024-43796"},
       "products": [{"@id": "pkg:npm/express"}], "status": "under_investigation"},
      {"vulnerability": {"name": "CVE-2024-37890"},
       "products": [{"@id": "pkg:oci/app@sha256%3Aabc"}], "status": "fixed"}
    ]})json",
                                                               "app.openvex.json");
  ASSERT_THAT(vex, IsOk());
  sbom::v1::Sbom sbom;
  sbom.set_image("registry.example/team/app:1.0");
  sbom.set_manifest_digest("sha256:abc");
  *sbom.add_packages() = Package("npm", "express", "4.17.1");
  sbom.mutable_packages(0)->set_purl("pkg:npm/express@4.17.1");
  *sbom.add_packages() = Package("npm", "ws", "7.4.0");
  sbom.mutable_packages(1)->set_purl("pkg:npm/ws@7.4.0");
  EXPECT_THAT(VexContextIds(sbom), Contains("pkg:oci/app@sha256%3Aabc"));
  MatchOptions options;
  options.vex = *vex;
  absl::StatusOr<v1::MatchResult> result = MatchSbom(*db, sbom, options);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->suppressed(), 2u);

  const v1::Finding* redirect = FindingFor(*result, "CVE-2024-29041");
  ASSERT_NE(redirect, nullptr);
  EXPECT_EQ(redirect->vex().status(), "not_affected");
  EXPECT_EQ(redirect->vex().justification(), "vulnerable_code_not_in_execute_path");
  EXPECT_TRUE(redirect->vex().suppressed());
  EXPECT_THAT(redirect->vex().statement_source(), ::testing::HasSubstr("app.openvex.json"));
  const v1::Finding* xss = FindingFor(*result, "CVE-2024-43796");
  ASSERT_NE(xss, nullptr);
  EXPECT_EQ(xss->vex().status(), "under_investigation");
  EXPECT_FALSE(xss->vex().suppressed());
  const v1::Finding* ws = FindingFor(*result, "CVE-2024-37890");
  ASSERT_NE(ws, nullptr);
  EXPECT_EQ(ws->vex().status(), "fixed");
  EXPECT_TRUE(ws->vex().suppressed());
  // ws's other finding has no statement.
  const v1::Finding* other = FindingFor(*result, "CVE-2021-32640");
  ASSERT_NE(other, nullptr);
  EXPECT_FALSE(other->has_vex());

  v1::MatchResult visible = WithoutSuppressed(*result);
  EXPECT_THAT(Ids(visible), ElementsAre("CVE-2024-43796", "CVE-2021-32640"));
  EXPECT_EQ(visible.suppressed(), 2u);
  core::v1::Report report = FindingsToReport(*result, "app");
  int suppressed = 0;
  for (const core::v1::Finding& f : report.findings()) {
    auto it = f.properties().find("suppressed");
    if (it != f.properties().end() && it->second == "true") ++suppressed;
  }
  EXPECT_EQ(suppressed, 2);

  // Without VEX the same match has no assessments.
  result = MatchSbom(*db, sbom);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->suppressed(), 0u);
}

// examples/data/advisories: DEBIAN-CVE-2023-32681, -2024-35195, -2024-47081 (Debian:12 source
// package requests, open in bookworm) and the GHSA records of the same CVEs for PyPI requests
// (fixed 2.31.0, 2.32.0, 2.32.4). python3-requests lists the egg-info's PKG-INFO (as dpkg's
// info/python3-requests.list does), so PyPI requests 2.28.1 is matched through it only.
TEST(Matcher, OsOwnedLanguagePackagesAreMatchedThroughTheirOwner) {
  std::unique_ptr<const Database> db = Load({"examples/data/advisories"});
  ASSERT_NE(db, nullptr);
  const std::string pkg_info = "/usr/lib/python3/dist-packages/requests-2.28.1.egg-info/PKG-INFO";
  sbom::v1::Sbom sbom;
  *sbom.mutable_os() = Os("debian", "Debian:12");
  sbom::v1::Package deb = Package("deb", "python3-requests", "2.28.1+dfsg-1", "requests");
  deb.add_files("/usr/lib/python3/dist-packages/requests-2.28.1.egg-info");
  deb.add_files(pkg_info);
  *sbom.add_packages() = deb;
  sbom::v1::Package pypi = Package("pypi", "requests", "2.28.1");
  pypi.mutable_locations(0)->set_path(pkg_info);
  *sbom.add_packages() = pypi;

  absl::StatusOr<v1::MatchResult> result = MatchSbom(*db, sbom);
  ASSERT_THAT(result, IsOk());
  EXPECT_THAT(Ids(*result), ElementsAre("CVE-2023-32681", "CVE-2024-35195", "CVE-2024-47081"));
  for (const v1::Finding& f : result->findings()) {
    EXPECT_EQ(f.package_name(), "python3-requests");
    EXPECT_EQ(f.ecosystem(), "Debian:12");
    EXPECT_THAT(f.fixed_versions(), IsEmpty());  // Open in bookworm.
  }
  EXPECT_EQ(result->packages(), 2u);
  ASSERT_EQ(result->os_owned_size(), 1);
  EXPECT_EQ(result->os_owned(0).package_name(), "requests");
  EXPECT_EQ(result->os_owned(0).path(), pkg_info);
  EXPECT_EQ(result->os_owned(0).owner_name(), "python3-requests");
  EXPECT_EQ(result->os_owned(0).owner_version(), "2.28.1+dfsg-1");
  // MatchPackages selects the same way.
  absl::StatusOr<v1::MatchResult> listed =
      MatchPackages(*db, {deb, pypi}, Os("debian", "Debian:12"));
  ASSERT_THAT(listed, IsOk());
  EXPECT_EQ(listed->findings_size(), 3);
  EXPECT_EQ(listed->os_owned_size(), 1);

  MatchOptions both;
  both.match_os_owned_packages = true;
  result = MatchSbom(*db, sbom, both);
  ASSERT_THAT(result, IsOk());
  EXPECT_EQ(result->findings_size(), 6);
  EXPECT_EQ(result->os_owned_size(), 0);
  const v1::Finding* proxy = nullptr;
  for (const v1::Finding& f : result->findings()) {
    if (f.package_type() == "pypi" && f.id() == "CVE-2023-32681") proxy = &f;
  }
  ASSERT_NE(proxy, nullptr);
  EXPECT_THAT(proxy->fixed_versions(), ElementsAre("2.31.0"));
}

TEST(QueryForPackage, EcosystemNameAndVersionPerType) {
  sbom::v1::OperatingSystem alpine = Os("alpine", "Alpine:v3.19");
  absl::StatusOr<PackageQuery> q =
      QueryForPackage(Package("apk", "libcrypto3", "3.1.4-r5", "openssl", "3.1.4-r5"), alpine);
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->ecosystem, "Alpine:v3.19");
  EXPECT_EQ(q->name, "openssl");
  q = QueryForPackage(Package("golang", "stdlib", "go1.21rc2"), {});
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->version, "1.21.0-rc.2");
  q = QueryForPackage(Package("cargo", "serde", "1.0.0"), {});
  ASSERT_THAT(q, IsOk());
  EXPECT_EQ(q->ecosystem, "crates.io");
  EXPECT_THAT(QueryForPackage(Package("rpm", "bash", "5.1-2.el9"), alpine),
              StatusIs(absl::StatusCode::kNotFound));
}

TEST(SeverityFromLabel, DatabaseWords) {
  EXPECT_EQ(SeverityFromLabel("Important"), core::v1::SEVERITY_HIGH);
  EXPECT_EQ(SeverityFromLabel("MODERATE"), core::v1::SEVERITY_MEDIUM);
  EXPECT_EQ(SeverityFromLabel("unimportant"), core::v1::SEVERITY_LOW);
  EXPECT_EQ(SeverityFromLabel("not yet assigned"), core::v1::SEVERITY_UNKNOWN);
}

}  // namespace
}  // namespace bulwark::vuln
