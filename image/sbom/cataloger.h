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
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

// What a package says about its dependencies, in the words of its ecosystem, for the builder
// to link packages (the CycloneDX `dependencies` graph, SPDX DEPENDS_ON relationships).
struct PackageRelations {
  // Names other packages may require this one by, besides its own name (dpkg Provides, apk p:,
  // rpm PROVIDENAME, a lock file's own key for the entry).
  std::vector<std::string> provides;
  // What it needs: each requirement lists alternatives, of which the first that names a package
  // of the same scope (see Cataloger::dependency_scope) is linked; none is fine (not installed).
  std::vector<std::vector<std::string>> requirements;
  // Empty, or one entry per requirement: "" when it always counts, else the condition under
  // which it does in the ecosystem's words (a PEP 508 marker), which the cataloger's
  // RequirementFilter decides for the final image.
  std::vector<std::string> conditions;
};

// Facts a file gives about packages that another file of the same cataloger declares (dpkg's
// info/<name>.list and /usr/share/doc/<name>/copyright, a Python egg-info's requires.txt).
// Applied, when this file is in the final image, to the final image's packages named
// `package_name` (and of `arch`, unless it is empty), or, when `declared_by` is set, to the
// packages declared by that file.
struct PackageFacts {
  std::string package_name;
  std::string arch;                   // "" = any architecture.
  std::string declared_by;            // A normalised path ("usr/lib/x.egg-info/PKG-INFO").
  std::vector<std::string> licenses;  // Used when the package declares none itself.
  std::vector<std::string> files;     // Installed files, absolute paths.
  // Requirements (with their conditions), used when the package's own file lists none.
  PackageRelations relations;
};

// What one version of one file says.
struct ParsedFile {
  // Packages the file declares. The cataloger fills type, name, version and what else it knows;
  // the builder fills cataloger, locations, layers and (when empty) purl.
  std::vector<v1::Package> packages;
  std::vector<PackageFacts> facts;
  // Empty, or one entry per package of `packages`, in the same order.
  std::vector<PackageRelations> relations;
  // dpkg diversions the file records (var/lib/dpkg/diversions).
  std::vector<v1::Diversion> diversions;
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

// The final image, as far as deciding conditional requirements needs it.
struct ImageEnvironment {
  std::string architecture;  // The image config's ("amd64", "arm64"); "" when unknown.
  std::string variant;       // "v7" for arm/v7; often "".
  // Every package of the final image, of every cataloger (to find an interpreter's version).
  absl::Span<const v1::Package* const> packages;
};

// Decides conditional requirements (PackageRelations::conditions) for one final image.
class RequirementFilter {
 public:
  virtual ~RequirementFilter() = default;
  // Whether a requirement under `condition` of the package declared by the file at
  // `declaring_path` (absolute) counts. Unknown or malformed conditions should count.
  virtual bool Applies(absl::string_view declaring_path, absl::string_view condition) const = 0;
};

// Where the builder looks for the packages a requirement names.
enum class DependencyScope {
  kSameFile,  // The version of the file that declared the package (lock files, binaries).
  kImage,     // Every package this cataloger found in the final image (dpkg's status.d).
};

class Cataloger {
 public:
  virtual ~Cataloger() = default;

  // Short stable name ("dpkg"), stored in Package.cataloger.
  virtual absl::string_view name() const = 0;

  // Path interest: true for the regular files this cataloger parses. `path` is normalised with
  // no leading "/" ("var/lib/dpkg/status"). Called for every regular file of every layer, so it
  // must be cheap (suffix and component tests, no allocation).
  virtual bool Wants(absl::string_view path) const = 0;

  // Content interest, for catalogers that recognise their files by what they hold (executables)
  // rather than by name: true when a regular file that Wants() declined may be one, given its
  // permission bits (`mode`, 07777) and size. Called for every regular file, so it must be as
  // cheap as Wants(). Such a file is read in full and parsed only when WantsAfterSniff accepts
  // its first sniff_bytes(), and recorded only when Parse finds a package in it. Default: false.
  virtual bool WantsToSniff(absl::string_view /*path*/, uint32_t /*mode*/,
                            uint64_t /*size*/) const {
    return false;
  }
  // How many leading bytes WantsAfterSniff needs (headers). Default: 0.
  virtual size_t sniff_bytes() const { return 0; }
  // Whether to read and Parse a sniffed file, given its first sniff_bytes() bytes (`head`; fewer
  // when the file is shorter) and its size. Default: true.
  virtual bool WantsAfterSniff(absl::string_view /*head*/, uint64_t /*size*/) const { return true; }

  // Files larger than this are not read; the builder records a warning. Default: 64 MiB.
  virtual uint64_t max_file_bytes() const { return uint64_t{64} << 20; }

  // Whether a package that leaves one file while another file of this cataloger lists it in the
  // final image was moved there (true: package databases, which an upgrade may rewrite or
  // convert) or removed (false: executables and archives, each a separate installation).
  // Default: true.
  virtual bool packages_move_between_files() const { return true; }

  // Where requirements of ParsedFile::relations are looked up. Default: kSameFile.
  virtual DependencyScope dependency_scope() const { return DependencyScope::kSameFile; }

  // The filter for requirements with a condition, made once per SBOM from the final image; the
  // builder owns it, and it may keep pointers into `environment` only for the call's duration
  // (copy what it needs). nullptr (the default) counts every requirement.
  virtual std::unique_ptr<const RequirementFilter> NewRequirementFilter(
      const ImageEnvironment& /*environment*/) const {
    return nullptr;
  }

  // Parses one version of a wanted file (`path` as for Wants). Must not crash, hang or allocate
  // without bound on any input. An error skips this version of the file (the builder turns it
  // into a warning naming path and layer), so return one only when nothing could be read.
  virtual absl::StatusOr<ParsedFile> Parse(absl::string_view path,
                                           absl::string_view content) const = 0;
};

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CATALOGER_H_
