// rpm: the package database in any of its three formats (var/lib/rpm/Packages,
// Packages.db, rpmdb.sqlite; also under usr/lib/sysimage/rpm), read by image/sbom/rpm.
#include <string>
#include <utility>

#include "absl/status/statusor.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/rpm/rpm_package.h"
#include "bulwark/image/sbom/rpm/rpmdb.h"

namespace bulwark::sbom {
namespace {

// Requirements that name no package: rpm's own features and file paths (which would need every
// package's file list as provides).
bool NamesAPackage(absl::string_view requirement) {
  return !requirement.empty() && requirement.front() != '/' &&
         !absl::StartsWith(requirement, "rpmlib(");
}

class RpmCataloger : public Cataloger {
 public:
  explicit RpmCataloger(const core::Limits& limits) : limits_(limits) {}

  absl::string_view name() const override { return "rpm"; }

  bool Wants(absl::string_view path) const override { return RpmdbFormatForPath(path).has_value(); }

  // A Red Hat server's Packages file can exceed the default 64 MiB.
  uint64_t max_file_bytes() const override { return limits_.max_file_bytes; }

  absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                   absl::string_view content) const override {
    RpmdbOptions options;
    options.limits = limits_;
    BULWARK_ASSIGN_OR_RETURN(RpmdbContents db, ReadRpmdb(content, path, options));
    ParsedFile parsed;
    parsed.warnings = std::move(db.warnings);
    for (RpmPackage& rpm : db.packages) {
      v1::Package& package = parsed.packages.emplace_back();
      package.set_type("rpm");
      package.set_name(rpm.name);
      package.set_version(absl::StrCat(rpm.version, "-", rpm.release));
      package.set_arch(rpm.arch);
      if (!rpm.license.empty()) package.add_licenses(rpm.license);
      if (std::optional<RpmSourcePackage> source = ParseSourceRpm(rpm.source_rpm)) {
        package.set_source_name(source->name);
        package.set_source_version(absl::StrCat(source->version, "-", source->release));
      }
      package.set_maintainer(rpm.vendor);
      if (rpm.epoch.has_value()) AddProperty(package, "rpm:epoch", absl::StrCat(*rpm.epoch));
      if (!rpm.source_rpm.empty()) AddProperty(package, "rpm:sourcerpm", rpm.source_rpm);
      if (!rpm.vendor.empty()) AddProperty(package, "rpm:vendor", rpm.vendor);
      if (!rpm.modularity_label.empty()) {
        AddProperty(package, "rpm:modularitylabel", rpm.modularity_label);
      }
      for (const RpmFile& file : rpm.files) package.add_files(file.path);
      PackageRelations& relations = parsed.relations.emplace_back();
      relations.provides = std::move(rpm.provides);
      for (std::string& requirement : rpm.requirements) {
        if (NamesAPackage(requirement)) relations.requirements.push_back({std::move(requirement)});
      }
    }
    return parsed;
  }

 private:
  const core::Limits limits_;
};

}  // namespace

std::unique_ptr<const Cataloger> NewRpmCataloger(const core::Limits& limits) {
  return std::make_unique<RpmCataloger>(limits);
}

}  // namespace bulwark::sbom
