// Matching an SBOM's packages against a vulnerability Database: which OSV ecosystem, name and
// version each package is looked up by (distributions by source package and release, language
// packages by name), then one finding per (vulnerability, package) with every record that
// reports the same vulnerability (aliases: CVE, GHSA, PYSEC, GO, DEBIAN-CVE ...) merged.
//   BULWARK_ASSIGN_OR_RETURN(auto db, Database::Open("osv.bulwarkdb"));
//   BULWARK_ASSIGN_OR_RETURN(v1::MatchResult result, MatchSbom(*db, sbom));
//   core::v1::Report report = FindingsToReport(result, sbom.image());
// Each finding carries its severity (severity.h: database labels first, else CVSS) and its CVSS
// score and vector; VEX statements (vex.h) given in MatchOptions, or applied afterwards with
// ApplyVex, mark findings suppressed (not_affected, fixed) or annotated.
// Thread safety: plain functions over an immutable Database; call concurrently.
#ifndef BULWARK_IMAGE_VULN_MATCHER_H_
#define BULWARK_IMAGE_VULN_MATCHER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/sbom/sbom.pb.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/os_owned.h"
#include "bulwark/image/vuln/osv.pb.h"
#include "bulwark/image/vuln/severity.h"
#include "bulwark/image/vuln/vex.h"

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
  // VEX statements to apply to the findings (see ApplyVex); borrowed for the call. Default: none.
  absl::Span<const VexStatement> vex;
  // What contains the packages, for VEX statements about the whole image (see EvaluateVex).
  // MatchSbom uses VexContextIds(sbom) when this is empty.
  std::vector<std::string> vex_context_ids;
  // Also match language packages that an OS package installed (FindOsOwners in os_owned.h:
  // Debian's python3-requests egg-info as PyPI requests), as well as their owner. Off, they are
  // left out and listed in MatchResult.os_owned: the distribution's advisories for the owner,
  // with their backported fixes, are the ones that apply (Trivy's default; Grype's
  // ownership-by-file-overlap exclusion). Needs the OS packages' installed-file lists
  // (Package.files). Default: false.
  bool match_os_owned_packages = false;
};

// Findings for `packages` (of an image whose distribution is `os`), ordered by package (as
// given) then ID. A package without an ecosystem or with a version its scheme rejects is
// skipped and counted; an OS-owned language package is left out and listed (see
// MatchOptions::match_os_owned_packages). Withdrawn records never match. Errors: DataLoss from
// a corrupt compiled database.
absl::StatusOr<v1::MatchResult> MatchPackages(const Database& db,
                                              absl::Span<const sbom::v1::Package> packages,
                                              const sbom::v1::OperatingSystem& os,
                                              const MatchOptions& options = {});

// MatchPackages over the SBOM's packages of the final image (removed packages are not matched).
absl::StatusOr<v1::MatchResult> MatchSbom(const Database& db, const sbom::v1::Sbom& sbom,
                                          const MatchOptions& options = {});

// Applies VEX `statements` to every finding of `result` (EvaluateVex with the finding's ID and
// aliases, its package purl and `context_ids`): a statement that applies sets finding.vex;
// not_affected and fixed ones mark it suppressed, and result.suppressed counts them. Findings
// are never removed. Findings that already carry a VEX assessment are evaluated again.
void ApplyVex(absl::Span<const VexStatement> statements, absl::Span<const std::string> context_ids,
              v1::MatchResult& result);

// The IDs a VEX document may use for the image an SBOM describes: the image name as cataloged,
// its manifest digest, and "pkg:oci/<name>@<digest>" (name: the last path segment of the
// repository, lower case, without tag) when the digest is known.
std::vector<std::string> VexContextIds(const sbom::v1::Sbom& sbom);

// The findings as a report (category "vulnerability", rule id = the finding's ID, severity =
// finding.severity, location = the package database file and layer, properties: package,
// installed_version, fixed_version or "no fix yet", aliases, ecosystem, evidence, purl,
// severity_source, cvss_score / cvss_vector / cvss_version when known, and vex_status /
// vex_justification / vex_reason / suppressed ("true" / "false") when a VEX statement applies),
// fingerprints set. Every finding of `result` is written, suppressed ones too: callers that hide
// them filter first (see WithoutSuppressed).
core::v1::Report FindingsToReport(const v1::MatchResult& result, absl::string_view target);

// `result` without its suppressed findings (result.suppressed keeps the count).
v1::MatchResult WithoutSuppressed(const v1::MatchResult& result);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_MATCHER_H_
