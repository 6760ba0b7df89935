// Which packages of an SBOM own a path: the question `dpkg -S`, `rpm -qf` and
// `apk info --who-owns` answer, asked of a catalogued image instead of a live system.
//   BULWARK_ASSIGN_OR_RETURN(v1::Sbom sbom, Catalog(*image));  // include_files = true
//   PathOwners owners(sbom);
//   BULWARK_ASSIGN_OR_RETURN(std::vector<uint32_t> found, owners.Find("/usr/bin/bash"));
//   for (uint32_t i : found) std::cout << sbom.packages(i).name() << "\n";  // bash
// Thread safety: a PathOwners is immutable after construction; Find() is const and may be
// called concurrently.
#ifndef BULWARK_IMAGE_SBOM_PATH_OWNERS_H_
#define BULWARK_IMAGE_SBOM_PATH_OWNERS_H_

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

// An index from paths to the packages of `Sbom.packages` that own them. A package owns:
// - every path of its installed-file list (`Package.files`: dpkg info/*.list, including the
//   directories dpkg lists; apk F:/R:; rpm file lists), which Catalog() keeps when
//   CatalogOptions::include_files is true;
// - for packages of other types than deb, apk and rpm (whose declaring file is the shared
//   package database), the files that declared it (`Package.locations`): a Python METADATA, an
//   installed package.json, a gemspec, a Go or Rust executable (every module built into it),
//   a Java archive, a lock file (every package it pins).
// Symlinks are not followed (neither does `dpkg -S`): "/bin/sh" is owned by whoever lists
// "/bin/sh", not by the owner of its target. Diversions do not change owners either (dpkg lists
// a diverted file under its original path); FindDiversion says where the file really is.
class PathOwners {
 public:
  // Indexes `sbom.packages` (copies the paths it needs; `sbom` may go away afterwards).
  // Package paths that cannot be normalised (a ".." component, a NUL byte) are left out.
  explicit PathOwners(const v1::Sbom& sbom);

  // Indexes into `Sbom.packages` of the packages that own `path`, in ascending order; empty
  // when none does. `path` is absolute or relative to the image root; repeated, "." and
  // trailing slashes do not matter ("/usr//bin/" is "/usr/bin"; "/" is the root, which dpkg
  // lists as "/."). Errors: InvalidArgument for a ".." component or a NUL byte.
  absl::StatusOr<std::vector<uint32_t>> Find(absl::string_view path) const;

  // The dpkg diversion (`Sbom.diversions`) that `path` takes part in, as the diverted path or as
  // the path it is diverted to: what `dpkg -S` prints before the owners ("diversion by dash
  // from: /bin/sh", "diversion by dash to: /bin/sh.distrib", or "local diversion ..." when
  // `package` is ""). Empty when there is none. Errors: as Find.
  absl::StatusOr<std::optional<v1::Diversion>> FindDiversion(absl::string_view path) const;

  // How many distinct paths have an owner.
  size_t size() const { return owners_.size(); }

 private:
  absl::flat_hash_map<std::string, std::vector<uint32_t>> owners_;
  // Both ends of every diversion (the first one wins, where dpkg would refuse a conflict).
  absl::flat_hash_map<std::string, v1::Diversion> diversions_;
};

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_PATH_OWNERS_H_
