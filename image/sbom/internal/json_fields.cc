#include "bulwark/image/sbom/internal/json_fields.h"

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/utf8.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom::internal {
namespace {

void AddLicense(const core::Value& value, std::vector<std::string>& out) {
  if (value.is_string() && !value.string_value().empty()) {
    out.push_back(core::SanitizeUtf8(value.string_value()));
  } else if (value.is_map()) {
    const std::string type = StringField(value, "type");
    if (!type.empty()) out.push_back(type);
  }
}

}  // namespace

std::string StringField(const core::Value& value, absl::string_view key) {
  const core::Value* field = value.Find(key);
  if (field == nullptr || !field->is_string()) return "";
  return core::SanitizeUtf8(field->string_value());
}

std::vector<std::string> LicenseField(const core::Value& value, absl::string_view key) {
  std::vector<std::string> licenses;
  const core::Value* field = value.Find(key);
  if (field == nullptr) return licenses;
  if (field->is_list()) {
    for (const core::Value& item : field->list_value()) AddLicense(item, licenses);
  } else {
    AddLicense(*field, licenses);
  }
  return licenses;
}

core::Limits DocumentLimits() {
  core::Limits limits;
  limits.max_depth = 128;
  return limits;
}

}  // namespace bulwark::sbom::internal
