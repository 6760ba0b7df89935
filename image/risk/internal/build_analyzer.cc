#include "bulwark/image/risk/internal/build_analyzer.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/risk/dockerfile.h"
#include "bulwark/image/risk/internal/findings.h"
#include "bulwark/image/risk/scanner.h"

namespace bulwark::image::internal {
namespace {

class BuildAnalyzer : public Analyzer {
 public:
  explicit BuildAnalyzer(std::optional<Dockerfile> dockerfile)
      : dockerfile_(std::move(dockerfile)) {}

  absl::Status Finish(const ScanContext& context, core::v1::Report& report) override {
    AddBuildRiskFindings(CheckBuildRisks(InstructionsFromHistory(context.history),
                                         FinalConfigFromImage(context.image.config())),
                         &context.image, report);
    if (dockerfile_.has_value()) {
      AddBuildRiskFindings(CheckDockerfile(*dockerfile_), nullptr, report);
    }
    return absl::OkStatus();
  }

 private:
  std::optional<Dockerfile> dockerfile_;
};

}  // namespace

void AddBuildRiskFindings(const std::vector<BuildRisk>& risks, const Image* image,
                          core::v1::Report& report) {
  for (const BuildRisk& risk : risks) {
    const BuildRule& rule = *risk.rule;
    core::v1::Finding& finding =
        AddFinding(report, rule.id, rule.severity, "misconfiguration",
                   risk.detail.empty() ? rule.title : absl::StrCat(rule.title, ": ", risk.detail));
    finding.set_description(rule.description);
    finding.set_remediation(rule.remediation);
    finding.mutable_location()->set_path(risk.source);
    auto& properties = *finding.mutable_properties();
    if (risk.layer.has_value()) {
      properties["layer"] = absl::StrCat(*risk.layer);
      if (image != nullptr && *risk.layer < image->layers().size()) {
        finding.mutable_location()->set_layer_digest(
            image->layers()[*risk.layer].descriptor.digest.ToString());
      }
    }
    if (!risk.detail.empty()) properties["detail"] = risk.detail;
    if (!rule.cis.empty()) properties["cis_docker"] = rule.cis;
    if (!rule.hadolint.empty()) properties["hadolint"] = rule.hadolint;
    if (!rule.dockle.empty()) properties["dockle"] = rule.dockle;
  }
}

absl::StatusOr<std::unique_ptr<Analyzer>> CreateBuildAnalyzer(const ScanOptions& options) {
  std::optional<Dockerfile> dockerfile;
  if (!options.dockerfile.empty()) {
    BULWARK_ASSIGN_OR_RETURN(
        dockerfile, ParseDockerfile(options.dockerfile, options.dockerfile_name, options.limits));
  }
  return std::make_unique<BuildAnalyzer>(std::move(dockerfile));
}

}  // namespace bulwark::image::internal
