// `bulwark scan`: one walk of an image through every selected analyzer (image/risk/scanner.h),
// printed as one report through the report writers.
#include <unistd.h>

#include <cstdio>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/file.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/image/malware/malware_scanner.h"
#include "bulwark/image/risk/ignore_file.h"
#include "bulwark/image/risk/scan_cyclonedx.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/sbom/sbom_writer.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"
#include "bulwark/image/vuln/database.h"

namespace bulwark::cli {
namespace {

// Deeper nesting than this is not a real packaging layout.
constexpr uint32_t kMaxArchiveDepth = 16;

absl::Status ApplyScanFlags(const ParsedArgs& args, image::ScanOptions& options) {
  if (const std::string* scanners = args.Find("scanners")) {
    options.scanners = absl::StrSplit(*scanners, ',', absl::SkipEmpty());
  }
  if (const std::string* severity = args.Find("severity")) {
    absl::StatusOr<core::v1::Severity> parsed = core::ParseSeverity(*severity);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--severity: ", parsed.status().message()));
    }
    options.min_severity = *parsed;
  }
  if (const std::string* dockerfile = args.Find("dockerfile")) {
    BULWARK_ASSIGN_OR_RETURN(options.dockerfile,
                             core::ReadFileToString(*dockerfile, options.limits.max_file_bytes));
    options.dockerfile_name = *dockerfile;
  }
  if (const std::string* db = args.Find("db")) {
    vuln::LoadOptions load_options;
    load_options.limits = options.limits;
    absl::StatusOr<std::unique_ptr<const vuln::Database>> opened =
        vuln::Database::Open(*db, load_options);
    if (!opened.ok()) {
      return absl::Status(opened.status().code(),
                          absl::StrCat("--db ", *db, ": ", opened.status().message()));
    }
    options.vulnerability_db = *std::move(opened);
  }
  options.match_os_owned_packages = args.Find("match-os-owned-packages") != nullptr;
  if (const std::string* rules_path = args.Find("secret-rules")) {
    BULWARK_ASSIGN_OR_RETURN(secrets::RuleFile rules, secrets::LoadGitleaksTomlFile(*rules_path));
    BULWARK_ASSIGN_OR_RETURN(auto scanner, secrets::SecretScanner::Create(std::move(rules)));
    for (const std::string& warning : scanner->warnings()) {
      std::fprintf(stderr, "bulwark: warning: %s\n", warning.c_str());
    }
    options.secret_rules = std::move(scanner);
  }
  if (const std::string* path = args.Find("ignore-file")) {
    BULWARK_ASSIGN_OR_RETURN(options.ignore, image::LoadIgnoreFile(*path, options.limits));
  }
  if (const std::string* depth = args.Find("archive-depth")) {
    if (!absl::SimpleAtoi(*depth, &options.nested_archives.max_depth) ||
        options.nested_archives.max_depth > kMaxArchiveDepth) {
      return absl::InvalidArgumentError(
          absl::StrCat("--archive-depth: expected 0 to ", kMaxArchiveDepth, ", got ", *depth));
    }
  }
  const std::string* malware_rules = args.Find("malware-rules");
  const std::string* malware_hashes = args.Find("malware-hashes");
  const bool no_builtin = args.Find("no-builtin-malware") != nullptr;
  if (malware_rules != nullptr || malware_hashes != nullptr || no_builtin) {
    malware::MalwareRuleOptions malware_options;
    malware_options.builtin_rules = !no_builtin;
    malware_options.limits = options.limits;
    if (malware_rules != nullptr) {
      malware_options.rule_paths = absl::StrSplit(*malware_rules, ',', absl::SkipEmpty());
    }
    if (malware_hashes != nullptr) {
      malware_options.hash_list_paths = absl::StrSplit(*malware_hashes, ',', absl::SkipEmpty());
    }
    BULWARK_ASSIGN_OR_RETURN(options.malware_rules, malware::MalwareScanner::Load(malware_options));
  }
  return absl::OkStatus();
}

// --format cyclonedx[-1.5|-1.6], which needs the SBOM: the other formats go to the report
// writers.
std::optional<sbom::CycloneDxVersion> CycloneDxFormat(const ParsedArgs& args) {
  const std::string* format = args.Find("format");
  if (format == nullptr) return std::nullopt;
  if (*format == "cyclonedx" || *format == "cyclonedx-1.6") return sbom::CycloneDxVersion::k1_6;
  if (*format == "cyclonedx-1.5") return sbom::CycloneDxVersion::k1_5;
  return std::nullopt;
}

// "[#####-----] 3/5 layers, 12.0/20.1 MB" redrawn in place on a terminal.
void DrawProgress(const image::ScanProgress& progress) {
  constexpr int kWidth = 30;
  const double fraction = progress.blob_bytes_total == 0
                              ? 1.0
                              : static_cast<double>(progress.blob_bytes_done) /
                                    static_cast<double>(progress.blob_bytes_total);
  const int filled = static_cast<int>(fraction * kWidth);
  std::fprintf(stderr, "\r[%s%s] %zu/%zu layers, %.1f/%.1f MB%s",
               std::string(static_cast<size_t>(filled), '#').c_str(),
               std::string(static_cast<size_t>(kWidth - filled), '-').c_str(), progress.layers_done,
               progress.layer_count, static_cast<double>(progress.blob_bytes_done) / 1e6,
               static_cast<double>(progress.blob_bytes_total) / 1e6,
               progress.layers_done == progress.layer_count ? "\n" : "");
}

// "Summary" and one row per finding category with counts by severity, for the table format:
// what the scan found at a glance, before the details.
std::string CategorySummary(const core::v1::Report& report) {
  constexpr core::v1::Severity kColumns[] = {core::v1::SEVERITY_CRITICAL, core::v1::SEVERITY_HIGH,
                                             core::v1::SEVERITY_MEDIUM, core::v1::SEVERITY_LOW,
                                             core::v1::SEVERITY_UNKNOWN};
  std::map<std::string, std::map<core::v1::Severity, int>> counts;
  for (const core::v1::Finding& finding : report.findings()) {
    ++counts[finding.category()][finding.severity()];
  }
  if (counts.empty()) return "";
  std::vector<std::vector<std::string>> rows = {{"CATEGORY"}};
  for (core::v1::Severity severity : kColumns) {
    rows[0].push_back(std::string(core::SeverityName(severity)));
  }
  rows[0].push_back("TOTAL");
  for (const auto& [category, by_severity] : counts) {
    std::vector<std::string>& row = rows.emplace_back(std::vector<std::string>{category});
    int total = 0;
    for (core::v1::Severity severity : kColumns) {
      auto it = by_severity.find(severity);
      const int count = it == by_severity.end() ? 0 : it->second;
      row.push_back(absl::StrCat(count));
      total += count;
    }
    row.push_back(absl::StrCat(total));
  }
  return absl::StrCat("Summary\n", FormatTable(rows), "\n");
}

absl::Status WriteFile(const std::string& path, absl::string_view text) {
  std::FILE* file = std::fopen(path.c_str(), "wb");
  if (file == nullptr)
    return absl::InvalidArgumentError(absl::StrCat("--output: cannot create ", path));
  const bool written = std::fwrite(text.data(), 1, text.size(), file) == text.size();
  const bool closed = std::fclose(file) == 0;
  if (!written || !closed)
    return absl::DataLossError(absl::StrCat("--output: cannot write ", path));
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<ExitCode> RunScan(const ParsedArgs& args) {
  const std::optional<sbom::CycloneDxVersion> cyclonedx = CycloneDxFormat(args);
  ParsedArgs report_args = args;
  if (cyclonedx.has_value()) report_args.flags.erase("format");
  BULWARK_ASSIGN_OR_RETURN(ReportOutput output, ParseReportOutputFlags(report_args));
  image::ScanOptions options;
  BULWARK_RETURN_IF_ERROR(ApplyScanFlags(args, options));
  if (args.Find("quiet") == nullptr && isatty(STDERR_FILENO))
    options.progress = [](const image::ScanProgress& p) {
      DrawProgress(p);
      return absl::OkStatus();
    };
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image, OpenImageFromArgs(args));
  absl::StatusOr<image::ScanResult> result = image::Scan(*image, options);
  if (!result.ok()) return NameImage(result.status(), args.positional[0]);
  const core::v1::Report& report = result->report;

  const std::string* path = args.Find("output");
  const std::string summary = output.format == core::ReportFormat::kTable && !cyclonedx.has_value()
                                  ? CategorySummary(report)
                                  : "";
  if (path == nullptr && !cyclonedx.has_value()) {
    WriteToStdout(summary);
    return PrintReport(report, output);
  }
  std::string text = summary;
  if (cyclonedx.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(std::string bom, image::ScanResultToCycloneDx(*result, *cyclonedx));
    absl::StrAppend(&text, bom, "\n");
  } else {
    BULWARK_ASSIGN_OR_RETURN(std::string written, core::WriteReport(report, output.format));
    absl::StrAppend(&text, written);
  }
  if (path != nullptr) {
    BULWARK_RETURN_IF_ERROR(WriteFile(*path, text));
  } else {
    WriteToStdout(text);
    BULWARK_RETURN_IF_ERROR(FlushStdout());
  }
  if (output.fail_on.has_value() && core::HasFindingAtOrAbove(report, *output.fail_on)) {
    return ExitCode::kFindingsAtOrAboveFailOn;
  }
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
