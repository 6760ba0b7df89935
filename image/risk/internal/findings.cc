#include "bulwark/image/risk/internal/findings.h"

#include <string>
#include <utility>

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

ShippedFiles::ShippedFiles(const MergedFilesystem& filesystem) : filesystem_(filesystem) {
  for (DeletedFile& file : filesystem.DeletedFiles()) {
    std::pair<std::string, size_t> key(file.entry.path, file.layer);
    deleted_.try_emplace(std::move(key), std::move(file));
  }
}

bool ShippedFiles::Visible(const std::string& path, size_t layer) const {
  absl::StatusOr<FileInfo> info = filesystem_.Lookup(path);
  return info.ok() && info->layer == layer;
}

void ShippedFiles::SetDeletedProperties(const std::string& path, size_t layer,
                                        core::v1::Finding& finding) const {
  auto& properties = *finding.mutable_properties();
  const bool visible = Visible(path, layer);
  properties["deleted"] = visible ? "false" : "true";
  if (visible) return;
  if (auto it = deleted_.find(std::make_pair(path, layer)); it != deleted_.end()) {
    properties["hidden_by"] = std::string(HiddenByName(it->second.hidden_by));
    properties["hidden_by_layer"] = absl::StrCat(it->second.hidden_by_layer);
  }
}

core::v1::Severity Raise(core::v1::Severity severity) {
  return severity >= core::v1::SEVERITY_CRITICAL
             ? core::v1::SEVERITY_CRITICAL
             : static_cast<core::v1::Severity>(static_cast<int>(severity) + 1);
}

}  // namespace bulwark::image::internal
