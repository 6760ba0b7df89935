#include "bulwark/image/risk/scanner.h"

#include <algorithm>
#include <memory>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/version.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/history.h"
#include "bulwark/image/risk/analyzer.h"

namespace bulwark::image {
namespace {

absl::StatusOr<std::vector<const AnalyzerInfo*>> SelectAnalyzers(
    const std::vector<std::string>& names) {
  auto named = [&](const std::string& name) {
    return std::find(names.begin(), names.end(), name) != names.end();
  };
  // An analyzer is selected when named, or when a named analyzer needs it.
  auto needed = [&](const std::string& name) {
    return std::any_of(
        RegisteredAnalyzers().begin(), RegisteredAnalyzers().end(),
        [&](const AnalyzerInfo& info) { return info.needs == name && named(info.name); });
  };
  std::vector<const AnalyzerInfo*> selected;
  for (const AnalyzerInfo& info : RegisteredAnalyzers()) {
    if (names.empty() ? info.enabled_by_default : named(info.name) || needed(info.name)) {
      selected.push_back(&info);
    }
  }
  for (const std::string& name : names) {
    const bool known = std::any_of(RegisteredAnalyzers().begin(), RegisteredAnalyzers().end(),
                                   [&](const AnalyzerInfo& info) { return info.name == name; });
    if (!known) {
      std::vector<std::string> known_names;
      for (const AnalyzerInfo& info : RegisteredAnalyzers()) known_names.push_back(info.name);
      return absl::InvalidArgumentError(absl::StrCat(
          "unknown scanner \"", name, "\"; known: ", absl::StrJoin(known_names, ", ")));
    }
  }
  return selected;
}

void SortFindings(core::v1::Report& report) {
  auto* findings = report.mutable_findings();
  std::stable_sort(findings->begin(), findings->end(),
                   [](const core::v1::Finding& a, const core::v1::Finding& b) {
                     return std::make_tuple(-static_cast<int>(a.severity()), a.rule_id(),
                                            a.location().path(), a.location().start_line()) <
                            std::make_tuple(-static_cast<int>(b.severity()), b.rule_id(),
                                            b.location().path(), b.location().start_line());
                   });
}

}  // namespace

absl::StatusOr<core::v1::Report> ScanImage(const Image& image, const ScanOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(ScanResult result, Scan(image, options));
  return std::move(result.report);
}

absl::StatusOr<ScanResult> Scan(const Image& image, const ScanOptions& options) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<const AnalyzerInfo*> selected,
                           SelectAnalyzers(options.scanners));
  std::vector<std::unique_ptr<Analyzer>> analyzers;
  FilesystemBuilder filesystem_builder(options.limits);
  std::vector<LayerVisitor*> visitors = {&filesystem_builder};
  std::vector<std::string> scanner_names;
  for (const AnalyzerInfo* info : selected) {
    BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<Analyzer> analyzer, info->create(options));
    if (LayerVisitor* visitor = analyzer->visitor()) visitors.push_back(visitor);
    analyzers.push_back(std::move(analyzer));
    scanner_names.push_back(info->name);
  }

  ScanProgress progress;
  progress.layer_count = image.layers().size();
  for (const LayerInfo& layer : image.layers()) {
    progress.blob_bytes_total += static_cast<uint64_t>(std::max<int64_t>(layer.descriptor.size, 0));
  }
  WalkOptions walk_options;
  walk_options.limits = options.limits;
  BULWARK_ASSIGN_OR_RETURN(
      std::vector<LayerWalkResult> walked,
      image.Walk(visitors, walk_options, [&](size_t layer_index) -> absl::Status {
        progress.layers_done = layer_index + 1;
        progress.blob_bytes_done += static_cast<uint64_t>(
            std::max<int64_t>(image.layers()[layer_index].descriptor.size, 0));
        return options.progress ? options.progress(progress) : absl::OkStatus();
      }));
  const MergedFilesystem filesystem = std::move(filesystem_builder).Finish();
  const BuildHistory history = RebuildHistory(image.config(), image.layers().size());

  ScanResult result;
  core::v1::Report& report = result.report;
  report.mutable_tool()->set_name("bulwark");
  report.mutable_tool()->set_version(std::string(core::kVersion));
  report.set_target(image.Name());
  const ScanContext context{image, filesystem, history, options, result.sbom};
  for (const std::unique_ptr<Analyzer>& analyzer : analyzers) {
    BULWARK_RETURN_IF_ERROR(analyzer->Finish(context, report));
  }
  for (LayerWalkResult& result : walked) {
    for (core::v1::Finding& finding : result.findings) *report.add_findings() = std::move(finding);
  }

  for (core::v1::Finding& finding : *report.mutable_findings()) {
    finding.set_target(image.Name());
    finding.set_fingerprint(core::FingerprintFinding(finding));
  }
  options.ignore.Apply(report, options.now);
  auto* findings = report.mutable_findings();
  findings->erase(std::remove_if(findings->begin(), findings->end(),
                                 [&](const core::v1::Finding& finding) {
                                   return finding.severity() < options.min_severity;
                                 }),
                  findings->end());
  SortFindings(report);

  auto& metadata = *report.mutable_metadata();
  metadata["image.format"] = std::string(ImageFormatName(image.format()));
  if (image.manifest_digest().has_value()) {
    metadata["image.manifest_digest"] = image.manifest_digest()->ToString();
  }
  if (image.config_digest().has_value()) {
    metadata["image.config_digest"] = image.config_digest()->ToString();
  }
  metadata["image.layers"] = absl::StrCat(image.layers().size());
  metadata["image.files"] = absl::StrCat(filesystem.size());
  metadata["scan.scanners"] = absl::StrJoin(scanner_names, ",");
  return result;
}

}  // namespace bulwark::image
