#include "bulwark/image/sbom/path_owners.h"

#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/image/internal/entry_path.h"

namespace bulwark::sbom {
namespace {

// The image path `path` names, relative to the root ("" for the root itself).
absl::StatusOr<std::string> ImagePath(absl::string_view path) {
  while (absl::ConsumePrefix(&path, "/")) {
  }
  return image::internal::NormalizeEntryPath(path);
}

// Whether a package's declaring files are its own (not a database shared by every package).
bool LocationsAreOwned(const v1::Package& package) {
  return package.type() != "deb" && package.type() != "apk" && package.type() != "rpm";
}

// ImagePath of a path asked about, with the error naming it.
absl::StatusOr<std::string> LookupPath(absl::string_view path) {
  absl::StatusOr<std::string> normalised = ImagePath(path);
  if (!normalised.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("owner lookup of \"", absl::CHexEscape(path),
                                                   "\": ", normalised.status().message()));
  }
  return normalised;
}

}  // namespace

PathOwners::PathOwners(const v1::Sbom& sbom) {
  auto add = [&](absl::string_view path, uint32_t index) {
    absl::StatusOr<std::string> normalised = ImagePath(path);
    if (!normalised.ok()) return;
    std::vector<uint32_t>& owners = owners_[*normalised];
    // Packages come in index order, so a repeat can only be the last one.
    if (owners.empty() || owners.back() != index) owners.push_back(index);
  };
  for (int i = 0; i < sbom.packages_size(); ++i) {
    const v1::Package& package = sbom.packages(i);
    const uint32_t index = static_cast<uint32_t>(i);
    for (const std::string& file : package.files()) add(file, index);
    if (!LocationsAreOwned(package)) continue;
    for (const v1::Location& location : package.locations()) add(location.path(), index);
  }
  for (const v1::Diversion& diversion : sbom.diversions()) {
    for (const std::string& end : {diversion.path(), diversion.diverted_to()}) {
      absl::StatusOr<std::string> normalised = ImagePath(end);
      if (normalised.ok()) diversions_.try_emplace(*normalised, diversion);
    }
  }
}

absl::StatusOr<std::vector<uint32_t>> PathOwners::Find(absl::string_view path) const {
  absl::StatusOr<std::string> normalised = LookupPath(path);
  if (!normalised.ok()) return normalised.status();
  auto it = owners_.find(*normalised);
  if (it == owners_.end()) return std::vector<uint32_t>();
  return it->second;
}

absl::StatusOr<std::optional<v1::Diversion>> PathOwners::FindDiversion(
    absl::string_view path) const {
  absl::StatusOr<std::string> normalised = LookupPath(path);
  if (!normalised.ok()) return normalised.status();
  auto it = diversions_.find(*normalised);
  if (it == diversions_.end()) return std::optional<v1::Diversion>();
  return it->second;
}

}  // namespace bulwark::sbom
