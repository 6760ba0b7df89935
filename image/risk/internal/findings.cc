#include "bulwark/image/risk/internal/findings.h"

#include <string>

#include "absl/strings/str_cat.h"

namespace bulwark::image::internal {

core::v1::Finding& AddFinding(core::v1::Report& report, absl::string_view rule_id,
                              core::v1::Severity severity, absl::string_view category,
                              absl::string_view title) {
  core::v1::Finding& finding = *report.add_findings();
  finding.set_rule_id(std::string(rule_id));
  finding.set_severity(severity);
  finding.set_category(std::string(category));
  finding.set_title(std::string(title));
  return finding;
}

std::string ImagePath(absl::string_view path) { return absl::StrCat("/", path); }

void SetFileLocation(const Image& image, absl::string_view path, size_t layer,
                     core::v1::Finding& finding) {
  finding.mutable_location()->set_path(ImagePath(path));
  if (layer < image.layers().size()) {
    finding.mutable_location()->set_layer_digest(
        image.layers()[layer].descriptor.digest.ToString());
  }
  (*finding.mutable_properties())["layer"] = absl::StrCat(layer);
}

core::v1::Severity Raise(core::v1::Severity severity) {
  return severity >= core::v1::SEVERITY_CRITICAL
             ? core::v1::SEVERITY_CRITICAL
             : static_cast<core::v1::Severity>(static_cast<int>(severity) + 1);
}

}  // namespace bulwark::image::internal
