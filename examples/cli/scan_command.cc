// `bulwark scan`: one walk of an image through every selected analyzer (image/risk/scanner.h),
// printed as one report through the report writers.
#include <unistd.h>

#include <cstdio>
#include <memory>
#include <string>
#include <vector>

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
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"

namespace bulwark::cli {
namespace {

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
  if (const std::string* rules_path = args.Find("secret-rules")) {
    BULWARK_ASSIGN_OR_RETURN(secrets::RuleFile rules, secrets::LoadGitleaksTomlFile(*rules_path));
    BULWARK_ASSIGN_OR_RETURN(auto scanner, secrets::SecretScanner::Create(std::move(rules)));
    for (const std::string& warning : scanner->warnings()) {
      std::fprintf(stderr, "bulwark: warning: %s\n", warning.c_str());
    }
    options.secret_rules = std::move(scanner);
  }
  return absl::OkStatus();
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
  BULWARK_ASSIGN_OR_RETURN(ReportOutput output, ParseReportOutputFlags(args));
  image::ScanOptions options;
  BULWARK_RETURN_IF_ERROR(ApplyScanFlags(args, options));
  if (args.Find("quiet") == nullptr && isatty(STDERR_FILENO))
    options.progress = [](const image::ScanProgress& p) {
      DrawProgress(p);
      return absl::OkStatus();
    };
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image, OpenImageFromArgs(args));
  absl::StatusOr<core::v1::Report> report = image::ScanImage(*image, options);
  if (!report.ok()) return NameImage(report.status(), args.positional[0]);

  if (const std::string* path = args.Find("output")) {
    BULWARK_ASSIGN_OR_RETURN(std::string text, core::WriteReport(*report, output.format));
    BULWARK_RETURN_IF_ERROR(WriteFile(*path, text));
    if (output.fail_on.has_value() && core::HasFindingAtOrAbove(*report, *output.fail_on)) {
      return ExitCode::kFindingsAtOrAboveFailOn;
    }
    return ExitCode::kOk;
  }
  return PrintReport(*report, output);
}

}  // namespace bulwark::cli
