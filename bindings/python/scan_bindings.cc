#include "bulwark/bindings/python/scan_bindings.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/bindings/python/status_exceptions.h"
#include "bulwark/core/file.h"
#include "bulwark/core/report.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/image.h"
#include "bulwark/image/malware/malware_scanner.h"
#include "bulwark/image/risk/ignore_file.h"
#include "bulwark/image/risk/scan_cyclonedx.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/sbom/sbom_writer.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"
#include "bulwark/image/vuln/database.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

// A finished scan's report and SBOM (immutable).
struct ScanReport {
  image::ScanResult result;
  std::vector<std::string> warnings;  // Of the secret rule file, when one was given.
};

// The Python scan() keyword arguments that name files.
struct RuleArguments {
  std::optional<std::string> secret_rules;
  std::optional<std::string> dockerfile;
  std::optional<std::string> ignore_file;
  std::optional<std::string> db;
  std::vector<std::string> malware_rules;
  std::vector<std::string> malware_hashes;
  bool builtin_malware = true;
};

// Loads the files `arguments` names into `options` (no GIL needed).
absl::Status LoadRuleArguments(const RuleArguments& arguments, image::ScanOptions& options,
                               std::vector<std::string>& warnings) {
  if (arguments.secret_rules.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(secrets::RuleFile rules,
                             secrets::LoadGitleaksTomlFile(*arguments.secret_rules));
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const secrets::SecretScanner> compiled,
                             secrets::SecretScanner::Create(std::move(rules)));
    warnings = compiled->warnings();
    options.secret_rules = std::move(compiled);
  }
  if (arguments.dockerfile.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(
        options.dockerfile,
        core::ReadFileToString(*arguments.dockerfile, options.limits.max_file_bytes));
    options.dockerfile_name = *arguments.dockerfile;
  }
  if (arguments.ignore_file.has_value()) {
    BULWARK_ASSIGN_OR_RETURN(options.ignore,
                             image::LoadIgnoreFile(*arguments.ignore_file, options.limits));
  }
  if (arguments.db.has_value()) {
    vuln::LoadOptions load_options;
    load_options.limits = options.limits;
    BULWARK_ASSIGN_OR_RETURN(options.vulnerability_db,
                             vuln::Database::Open(*arguments.db, load_options));
  }
  if (!arguments.malware_rules.empty() || !arguments.malware_hashes.empty() ||
      !arguments.builtin_malware) {
    malware::MalwareRuleOptions malware_options;
    malware_options.builtin_rules = arguments.builtin_malware;
    malware_options.rule_paths = arguments.malware_rules;
    malware_options.hash_list_paths = arguments.malware_hashes;
    malware_options.limits = options.limits;
    BULWARK_ASSIGN_OR_RETURN(options.malware_rules, malware::MalwareScanner::Load(malware_options));
  }
  return absl::OkStatus();
}

std::string Render(const ScanReport& scan, core::ReportFormat format) {
  return ValueOrThrow(core::WriteReport(scan.result.report, format));
}

std::shared_ptr<const ScanReport> Scan(
    const std::string& path, const std::optional<std::vector<std::string>>& scanners,
    const std::optional<std::string>& severity, const std::optional<std::string>& secret_rules,
    const std::optional<std::string>& dockerfile, const std::string& platform,
    const std::string& reference, const std::optional<std::string>& ignore_file,
    const std::optional<std::string>& db, const std::vector<std::string>& malware_rules,
    const std::vector<std::string>& malware_hashes, bool builtin_malware, uint32_t archive_depth,
    bool match_os_owned_packages) {
  image::ScanOptions options;
  options.match_os_owned_packages = match_os_owned_packages;
  if (scanners.has_value()) options.scanners = *scanners;
  if (severity.has_value()) options.min_severity = ValueOrThrow(core::ParseSeverity(*severity));
  options.nested_archives.max_depth = archive_depth;
  const RuleArguments arguments{secret_rules,  dockerfile,     ignore_file,    db,
                                malware_rules, malware_hashes, builtin_malware};
  image::OpenOptions open_options;
  open_options.platform = platform;
  open_options.reference = reference;
  absl::StatusOr<std::shared_ptr<const ScanReport>> result;
  {
    py::gil_scoped_release release_gil;
    result = [&]() -> absl::StatusOr<std::shared_ptr<const ScanReport>> {
      auto scan = std::make_shared<ScanReport>();
      BULWARK_RETURN_IF_ERROR(LoadRuleArguments(arguments, options, scan->warnings));
      BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image,
                               image::Image::Open(path, open_options));
      BULWARK_ASSIGN_OR_RETURN(scan->result, image::Scan(*image, options));
      return std::shared_ptr<const ScanReport>(std::move(scan));
    }();
  }
  return ValueOrThrow(std::move(result));
}

}  // namespace

void DefineScanBindings(py::module_& risk) {
  py::class_<ScanReport, std::shared_ptr<ScanReport>>(risk, "Report",
                                                      "The result of bulwark.scan().")
      .def_property_readonly(
          "target", [](const ScanReport& s) { return s.result.report.target(); },
          "What was scanned (the image path).")
      .def_property_readonly(
          "warnings", [](const ScanReport& s) { return s.warnings; },
          "Rules of the secret rule file that were left out, and why.")
      .def(
          "to_json", [](const ScanReport& s) { return Render(s, core::ReportFormat::kJson); },
          "The report as protobuf JSON of bulwark.core.v1.Report.")
      .def(
          "to_sarif", [](const ScanReport& s) { return Render(s, core::ReportFormat::kSarif); },
          "The report as SARIF 2.1.0.")
      .def(
          "to_table", [](const ScanReport& s) { return Render(s, core::ReportFormat::kTable); },
          "The report as a terminal table (no colours).")
      .def(
          "to_cyclonedx",
          [](const ScanReport& s, const std::string& version) {
            if (version != "1.5" && version != "1.6") {
              ThrowIfError(
                  absl::InvalidArgumentError("to_cyclonedx: version must be \"1.5\" or \"1.6\""));
            }
            return ValueOrThrow(image::ScanResultToCycloneDx(
                s.result,
                version == "1.5" ? sbom::CycloneDxVersion::k1_5 : sbom::CycloneDxVersion::k1_6));
          },
          py::arg("version") = "1.6",
          "The SBOM with the vulnerability findings as a CycloneDX BOM (needs the sbom scanner).")
      .def(
          "has_finding_at_or_above",
          [](const ScanReport& s, const std::string& severity) {
            return core::HasFindingAtOrAbove(s.result.report,
                                             ValueOrThrow(core::ParseSeverity(severity)));
          },
          py::arg("severity"), "True when a finding is at or above `severity` (e.g. \"high\").");
  risk.def("scan", &Scan, py::arg("path"), py::kw_only(), py::arg("scanners") = py::none(),
           py::arg("severity") = py::none(), py::arg("secret_rules") = py::none(),
           py::arg("dockerfile") = py::none(), py::arg("platform") = "", py::arg("reference") = "",
           py::arg("ignore_file") = py::none(), py::arg("db") = py::none(),
           py::arg("malware_rules") = std::vector<std::string>{},
           py::arg("malware_hashes") = std::vector<std::string>{},
           py::arg("builtin_malware") = true, py::arg("archive_depth") = 3,
           py::arg("match_os_owned_packages") = false,
           "Scans the image at `path` (see bulwark.scan).");
}

}  // namespace bulwark::python
