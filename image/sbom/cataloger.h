// What a package cataloger implements: a path interest and a parser for one version of one file.
// The SbomBuilder (catalog.h) walks the image once, hands every version of every wanted file to
// its cataloger, follows whiteouts and overwrites, and from the final state of each file builds
// the packages, their layers and their purls. A cataloger is stateless and never sees layers.
//   class CargoLockCataloger : public Cataloger {
//     bool Wants(absl::string_view path) const override { return Basename(path) == "Cargo.lock"; }
//     absl::StatusOr<ParsedFile> Parse(absl::string_view path, absl::string_view text) const ...
//   };
// Thread safety: Wants() and Parse() are const and must be safe to call concurrently.
#ifndef BULWARK_IMAGE_SBOM_CATALOGER_H_
#define BULWARK_IMAGE_SBOM_CATALOGER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

// Facts a file gives about packages that another file of the same cataloger declares (dpkg's
// info/<name>.list and /usr/share/doc/<name>/copyright). Applied to the final image's packages
// named `package_name` (and of `arch`, unless it is empty), when this file is in the final image.
struct PackageFacts {
  std::string package_name;
  std::string arch;                   // "" = any architecture.
  std::vector<std::string> licenses;  // Used when the package declares none itself.
  std::vector<std::string> files;     // Installed files, absolute paths.
};

// What one version of one file says.
struct ParsedFile {
  // Packages the file declares. The cataloger fills type, name, version and what else it knows;
  // the builder fills cataloger, locations, layers and (when empty) purl.
  std::vector<v1::Package> packages;
  std::vector<PackageFacts> facts;
  // Problems that skipped part of the file ("line 12: stanza without Package: skipped").
  std::vector<std::string> warnings;
};

// Appends the property `name` = `value` to `package` (names are "<cataloger>:<what>").
inline void AddProperty(v1::Package& package, absl::string_view name, absl::string_view value) {
  v1::Property* property = package.add_properties();
  property->set_name(std::string(name));
  property->set_value(std::string(value));
}

// The value of the first property `name` of `package`, or "".
inline absl::string_view FindProperty(const v1::Package& package, absl::string_view name) {
  for (const v1::Property& property : package.properties()) {
    if (property.name() == name) return property.value();
  }
  return "";
}

class Cataloger {
 public:
  virtual ~Cataloger() = default;

  // Short stable name ("dpkg"), stored in Package.cataloger.
  virtual absl::string_view name() const = 0;

  // Path interest: true for the regular files this cataloger parses. `path` is normalised with
  // no leading "/" ("var/lib/dpkg/status"). Called for every regular file of every layer, so it
  // must be cheap (suffix and component tests, no allocation).
  virtual bool Wants(absl::string_view path) const = 0;

  // Files larger than this are not read; the builder records a warning. Default: 64 MiB.
  virtual uint64_t max_file_bytes() const { return uint64_t{64} << 20; }

  // Parses one version of a wanted file (`path` as for Wants). Must not crash, hang or allocate
  // without bound on any input. An error skips this version of the file (the builder turns it
  // into a warning naming path and layer), so return one only when nothing could be read.
  virtual absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                           absl::string_view content) const = 0;
};

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CATALOGER_H_
