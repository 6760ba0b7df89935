// PHP: composer.lock ("packages", "packages-dev") and vendor/composer/installed.json (a list
// in Composer 1, {"packages": [...]} in Composer 2), with each package's "require" links.
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/json_fields.h"
#include "bulwark/image/sbom/internal/text.h"

namespace bulwark::sbom {
namespace {

void AddPackages(const core::Value* list, bool dev, ParsedFile& parsed) {
  if (list == nullptr || !list->is_list()) return;
  for (const core::Value& entry : list->list_value()) {
    const std::string name = internal::StringField(entry, "name");
    const std::string version = internal::StringField(entry, "version");
    if (!internal::IsPlainToken(name) || !internal::IsPlainToken(version)) continue;
    v1::Package& package = parsed.packages.emplace_back();
    package.set_type("composer");
    package.set_name(name);
    package.set_version(version);
    for (std::string& license : internal::LicenseField(entry, "license")) {
      package.add_licenses(std::move(license));
    }
    if (dev) AddProperty(package, "composer:dev", "true");
    // "require" names packages of the same file ("php" and "ext-*" platform packages are not
    // packages, so they link to nothing); "require-dev" is not installed with the package.
    PackageRelations& relations = parsed.relations.emplace_back();
    if (const core::Value* require = entry.Find("require");
        require != nullptr && require->is_map()) {
      for (const core::MapEntry& required : require->map_value()) {
        relations.requirements.push_back({core::SanitizeUtf8(required.key)});
      }
    }
  }
}

class ComposerCataloger : public Cataloger {
 public:
  absl::string_view name() const override { return "composer"; }

  bool Wants(absl::string_view path) const override {
    return internal::Basename(path) == "composer.lock" ||
           path == "vendor/composer/installed.json" ||
           absl::EndsWith(path, "/vendor/composer/installed.json");
  }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    BULWARK_ASSIGN_OR_RETURN(core::Value json, core::ParseJson(content, internal::DocumentLimits(),
                                                               internal::Basename(path)));
    ParsedFile parsed;
    if (json.is_list()) {
      AddPackages(&json, false, parsed);
    } else {
      AddPackages(json.Find("packages"), false, parsed);
      AddPackages(json.Find("packages-dev"), true, parsed);
    }
    return parsed;
  }
};

}  // namespace

std::unique_ptr<const Cataloger> NewComposerCataloger() {
  return std::make_unique<ComposerCataloger>();
}

}  // namespace bulwark::sbom
