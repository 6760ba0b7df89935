#include "bulwark/image/risk/internal/vuln_analyzer.h"

#include <algorithm>
#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/vuln/matcher.h"

namespace bulwark::image::internal {
namespace {

class VulnAnalyzer : public Analyzer {
 public:
  VulnAnalyzer(std::shared_ptr<const vuln::Database> db, bool match_os_owned_packages)
      : db_(std::move(db)) {
    match_options_.match_os_owned_packages = match_os_owned_packages;
  }

  absl::Status Finish(const ScanContext& context, core::v1::Report& report) override {
    auto& metadata = *report.mutable_metadata();
    if (db_ == nullptr) {
      metadata["vuln.skipped"] = "no vulnerability database (ScanOptions::vulnerability_db, --db)";
      return absl::OkStatus();
    }
    if (!context.sbom.has_value()) {
      // The scanner selects "sbom" with "vuln"; reaching this is a defect.
      return absl::InternalError("vulnerability matching ran without the scan's SBOM");
    }
    BULWARK_ASSIGN_OR_RETURN(vuln::v1::MatchResult result,
                             vuln::MatchSbom(*db_, *context.sbom, match_options_));
    core::v1::Report matched = vuln::FindingsToReport(result, report.target());
    for (core::v1::Finding& finding : *matched.mutable_findings()) {
      *report.add_findings() = std::move(finding);
    }
    metadata["vuln.findings"] = absl::StrCat(result.findings_size());
    metadata["vuln.packages"] = absl::StrCat(result.packages());
    metadata["vuln.packages_skipped"] = absl::StrCat(result.packages_skipped());
    metadata["vuln.packages_os_owned"] = absl::StrCat(result.os_owned_size());
    metadata["vuln.database_records"] = absl::StrCat(db_->record_count());
    if (result.warnings_size() > 0) {
      metadata["vuln.warnings"] = absl::StrCat(result.warnings_size());
    }
    return absl::OkStatus();
  }

 private:
  std::shared_ptr<const vuln::Database> db_;
  vuln::MatchOptions match_options_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateVulnAnalyzer(const ScanOptions& options) {
  const bool named =
      std::find(options.scanners.begin(), options.scanners.end(), "vuln") != options.scanners.end();
  if (named && options.vulnerability_db == nullptr) {
    return absl::InvalidArgumentError(
        "the vuln scanner needs a vulnerability database (ScanOptions::vulnerability_db; "
        "--db in the CLI)");
  }
  return std::make_unique<VulnAnalyzer>(options.vulnerability_db, options.match_os_owned_packages);
}

}  // namespace bulwark::image::internal
