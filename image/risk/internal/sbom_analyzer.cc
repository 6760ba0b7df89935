#include "bulwark/image/risk/internal/sbom_analyzer.h"

#include <memory>
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/image/risk/scanner.h"
#include "bulwark/image/sbom/catalog.h"

namespace bulwark::image::internal {
namespace {

class SbomAnalyzer : public Analyzer {
 public:
  LayerVisitor* visitor() override { return &builder_; }

  absl::Status Finish(const ScanContext& context, core::v1::Report& report) override {
    sbom::v1::Sbom sbom = std::move(builder_).Finish(context.image);
    auto& metadata = *report.mutable_metadata();
    metadata["sbom.packages"] = absl::StrCat(sbom.packages_size());
    metadata["sbom.removed_packages"] = absl::StrCat(sbom.removed_packages_size());
    if (!sbom.os().id().empty()) {
      metadata["sbom.os"] = absl::StrCat(sbom.os().id(), " ", sbom.os().version_id());
    }
    if (sbom.warnings_size() > 0) metadata["sbom.warnings"] = absl::StrCat(sbom.warnings_size());
    context.sbom = std::move(sbom);
    return absl::OkStatus();
  }

 private:
  sbom::SbomBuilder builder_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateSbomAnalyzer(const ScanOptions& /*options*/) {
  return std::make_unique<SbomAnalyzer>();
}

}  // namespace bulwark::image::internal
