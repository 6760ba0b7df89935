// Matching an SBOM's packages against a vulnerability Database: which OSV ecosystem, name and
// version each package is looked up by (distributions by source package and release, language
// packages by name), then one finding per (vulnerability, package) with every record that
// reports the same vulnerability (aliases: CVE, GHSA, PYSEC, GO, DEBIAN-CVE ...) merged.
//   BULWARK_ASSIGN_OR_RETURN(auto db, Database::Open("osv.bulwarkdb"));
//   BULWARK_ASSIGN_OR_RETURN(v1::MatchResult result, MatchSbom(*db, sbom));
//   core::v1::Report report = FindingsToReport(result, sbom.image());
// Thread safety: plain functions over an immutable Database; call concurrently.
#ifndef BULWARK_IMAGE_VULN_MATCHER_H_
#define BULWARK_IMAGE_VULN_MATCHER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/sbom/sbom.pb.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

// What a package is looked up by.
struct PackageQuery {
  std::string ecosystem;  // OSV name with release: "Debian:12", "PyPI".
  std::string name;       // The source package for deb and apk; "stdlib" for Go's toolchain.
  std::string version;    // The source version for deb; Go toolchains as semver ("1.19.8").
};

// The query for `package` of an image whose distribution is `os`: deb, apk and rpm packages in
// os.osv_ecosystem() (deb and apk by source name and version), pypi, npm, cargo, gem, composer,
// golang, maven, nuget, pub, cran and hackage packages in their OSV ecosystem by name.
// Errors: NotFound when the package has no OSV ecosystem (an unknown type, or an OS package of
// a distribution without one).
absl::StatusOr<PackageQuery> QueryForPackage(const sbom::v1::Package& package,
                                             const sbom::v1::OperatingSystem& os);

struct MatchOptions {
  // Skipped-package reasons kept in MatchResult.warnings. Default: 100.
  size_t max_warnings = 100;
};

// Findings for `packages` (of an image whose distribution is `os`), ordered by package (as
// given) then ID. A package without an ecosystem or with a version its scheme rejects is
// skipped and counted. Withdrawn records never match. Errors: DataLoss from a corrupt compiled
// database.
absl::StatusOr<v1::MatchResult> MatchPackages(const Database& db,
                                              absl::Span<const sbom::v1::Package> packages,
                                              const sbom::v1::OperatingSystem& os,
                                              const MatchOptions& options = {});

// MatchPackages over the SBOM's packages of the final image (removed packages are not matched).
absl::StatusOr<v1::MatchResult> MatchSbom(const Database& db, const sbom::v1::Sbom& sbom,
                                          const MatchOptions& options = {});

// The worst severity a database label names: critical; high / important; moderate / medium;
// low / negligible / unimportant (any case). SEVERITY_UNKNOWN for anything else.
core::v1::Severity SeverityFromLabel(absl::string_view label);

// The findings as a report (category "vulnerability", rule id = the finding's ID, location =
// the package database file and layer, properties: package, installed_version, fixed_version
// or "no fix yet", aliases, ecosystem, evidence, purl), fingerprints set.
core::v1::Report FindingsToReport(const v1::MatchResult& result, absl::string_view target);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_MATCHER_H_
