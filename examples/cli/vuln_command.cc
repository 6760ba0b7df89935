// `bulwark vuln PATH --db DB`: the vulnerabilities of an image's packages (or of a Bulwark SBOM
// JSON file's), matched against an OSV database, as a report.
#include <cstdio>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sbom/catalog.h"
#include "bulwark/image/sbom/sbom_writer.h"
#include "bulwark/image/vuln/database.h"
#include "bulwark/image/vuln/findings_cyclonedx.h"
#include "bulwark/image/vuln/matcher.h"
#include "bulwark/image/vuln/vex.h"

namespace bulwark::cli {
namespace {

// PATH as an SBOM when it is a .json file (`bulwark sbom --format json`), else as an image
// (with the OS packages' installed files when matching leaves out what they own).
absl::StatusOr<sbom::v1::Sbom> SbomOf(const ParsedArgs& args, bool match_os_owned_packages) {
  const std::string& path = args.positional[0];
  if (absl::EndsWithIgnoreCase(path, ".json")) {
    BULWARK_ASSIGN_OR_RETURN(std::string text,
                             core::ReadFileToString(path, core::Limits().max_file_bytes));
    absl::StatusOr<sbom::v1::Sbom> parsed = sbom::SbomFromJson(text);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(path, ": ", parsed.status().message()));
    }
    return parsed;
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image, OpenImageFromArgs(args));
  sbom::CatalogOptions options;
  options.include_files = !match_os_owned_packages;
  absl::StatusOr<sbom::v1::Sbom> catalog = sbom::Catalog(*image, options);
  BULWARK_RETURN_IF_ERROR(NameImage(catalog.status(), path));
  return catalog;
}

}  // namespace

absl::StatusOr<ExitCode> RunVuln(const ParsedArgs& args) {
  // --format cyclonedx is a BOM with vulnerabilities rather than a report.
  const std::string* format = args.Find("format");
  const bool cyclonedx = format != nullptr && *format == "cyclonedx";
  ParsedArgs report_args = args;
  if (cyclonedx) report_args.flags.erase("format");
  BULWARK_ASSIGN_OR_RETURN(ReportOutput output, ParseReportOutputFlags(report_args));
  const std::string* db_path = args.Find("db");
  if (db_path == nullptr) {
    return absl::InvalidArgumentError(
        "--db is required (a compiled database from `bulwark db build`, or OSV sources)");
  }
  // Several --vex files are one list in command-line order (order breaks timestamp ties).
  std::vector<vuln::VexStatement> vex;
  for (const std::string& path : args.FindAll("vex")) {
    BULWARK_ASSIGN_OR_RETURN(std::vector<vuln::VexStatement> statements, vuln::LoadVexFile(path));
    vex.insert(vex.end(), std::make_move_iterator(statements.begin()),
               std::make_move_iterator(statements.end()));
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const vuln::Database> db,
                           vuln::Database::Open(*db_path));
  vuln::MatchOptions options;
  options.vex = vex;
  options.match_os_owned_packages = args.Find("match-os-owned-packages") != nullptr;
  BULWARK_ASSIGN_OR_RETURN(sbom::v1::Sbom sbom, SbomOf(args, options.match_os_owned_packages));
  BULWARK_ASSIGN_OR_RETURN(vuln::v1::MatchResult result, vuln::MatchSbom(*db, sbom, options));
  for (const std::string& warning : result.warnings()) {
    std::fprintf(stderr, "bulwark: skipped %s\n", warning.c_str());
  }
  // Suppressed findings never fail the gate, shown or not.
  vuln::v1::MatchResult unsuppressed = vuln::WithoutSuppressed(result);
  const vuln::v1::MatchResult& shown =
      args.Find("show-suppressed") != nullptr ? result : unsuppressed;
  const std::string target = sbom.image().empty() ? args.positional[0] : sbom.image();
  const bool fails =
      output.fail_on.has_value() &&
      core::HasFindingAtOrAbove(vuln::FindingsToReport(unsuppressed, target), *output.fail_on);
  if (cyclonedx) {
    BULWARK_ASSIGN_OR_RETURN(std::string bom, vuln::FindingsToCycloneDx(shown, sbom));
    WriteToStdout(bom + "\n");
  } else {
    core::v1::Report report = vuln::FindingsToReport(shown, target);
    report.mutable_tool()->set_name("bulwark");
    auto& metadata = *report.mutable_metadata();
    metadata["os"] = sbom.os().osv_ecosystem();
    metadata["packages"] = absl::StrCat(result.packages());
    metadata["packages_skipped"] = absl::StrCat(result.packages_skipped());
    metadata["packages_os_owned"] = absl::StrCat(result.os_owned_size());
    metadata["database_records"] = absl::StrCat(db->record_count());
    metadata["suppressed_by_vex"] = absl::StrCat(result.suppressed());
    ReportOutput print = output;
    print.fail_on.reset();
    BULWARK_RETURN_IF_ERROR(PrintReport(report, print).status());
  }
  return fails ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace bulwark::cli
