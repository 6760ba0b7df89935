// Reading fields of package-manager JSON documents (core::Value) leniently: a missing or
// mistyped field is "" rather than an error, since one odd entry must not hide the others.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_JSON_FIELDS_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_JSON_FIELDS_H_

#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"

namespace bulwark::sbom::internal {

// The string at `key` of map `value`, or "" (also when `value` is not a map).
std::string StringField(const core::Value& value, absl::string_view key);

// License names from the npm/composer forms: "MIT", {"type": "MIT"}, ["MIT", {"type": ...}].
std::vector<std::string> LicenseField(const core::Value& value, absl::string_view key);

// The limits package-manager documents are parsed with: core defaults with a nesting cap of 128.
core::Limits DocumentLimits();

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_JSON_FIELDS_H_
