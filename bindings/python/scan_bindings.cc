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
#include "bulwark/image/image.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"
#include "pybind11/stl.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

// A finished scan's report (immutable).
struct ScanReport {
  core::v1::Report report;
  std::vector<std::string> warnings;  // Of the secret rule file, when one was given.
};

std::string Render(const ScanReport& scan, core::ReportFormat format) {
  return ValueOrThrow(core::WriteReport(scan.report, format));
}

std::shared_ptr<const ScanReport> Scan(const std::string& path,
                                       const std::optional<std::vector<std::string>>& scanners,
                                       const std::optional<std::string>& severity,
                                       const std::optional<std::string>& secret_rules,
                                       const std::optional<std::string>& dockerfile,
                                       const std::string& platform, const std::string& reference) {
  image::ScanOptions options;
  if (scanners.has_value()) options.scanners = *scanners;
  if (severity.has_value()) options.min_severity = ValueOrThrow(core::ParseSeverity(*severity));
  image::OpenOptions open_options;
  open_options.platform = platform;
  open_options.reference = reference;
  absl::StatusOr<std::shared_ptr<const ScanReport>> result;
  {
    py::gil_scoped_release release_gil;
    result = [&]() -> absl::StatusOr<std::shared_ptr<const ScanReport>> {
      auto scan = std::make_shared<ScanReport>();
      if (secret_rules.has_value()) {
        absl::StatusOr<secrets::RuleFile> rules = secrets::LoadGitleaksTomlFile(*secret_rules);
        if (!rules.ok()) return rules.status();
        absl::StatusOr<std::unique_ptr<const secrets::SecretScanner>> compiled =
            secrets::SecretScanner::Create(*std::move(rules));
        if (!compiled.ok()) return compiled.status();
        scan->warnings = (*compiled)->warnings();
        options.secret_rules = *std::move(compiled);
      }
      if (dockerfile.has_value()) {
        absl::StatusOr<std::string> text =
            core::ReadFileToString(*dockerfile, options.limits.max_file_bytes);
        if (!text.ok()) return text.status();
        options.dockerfile = *std::move(text);
        options.dockerfile_name = *dockerfile;
      }
      absl::StatusOr<std::unique_ptr<const image::Image>> image =
          image::Image::Open(path, open_options);
      if (!image.ok()) return image.status();
      absl::StatusOr<core::v1::Report> report = image::ScanImage(**image, options);
      if (!report.ok()) return report.status();
      scan->report = *std::move(report);
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
          "target", [](const ScanReport& s) { return s.report.target(); },
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
          "has_finding_at_or_above",
          [](const ScanReport& s, const std::string& severity) {
            return core::HasFindingAtOrAbove(s.report, ValueOrThrow(core::ParseSeverity(severity)));
          },
          py::arg("severity"), "True when a finding is at or above `severity` (e.g. \"high\").");
  risk.def("scan", &Scan, py::arg("path"), py::kw_only(), py::arg("scanners") = py::none(),
           py::arg("severity") = py::none(), py::arg("secret_rules") = py::none(),
           py::arg("dockerfile") = py::none(), py::arg("platform") = "", py::arg("reference") = "",
           "Scans the image at `path` (see bulwark.scan).");
}

}  // namespace bulwark::python
