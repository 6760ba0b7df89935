// A version parsed once in its scheme and compared many times: what the database keeps for
// every range event (parsed at load) and what a query parses once for all candidate ranges.
//   BULWARK_ASSIGN_OR_RETURN(ParsedVersion v, ParsedVersion::Parse(VersionScheme::kDpkg, text));
//   int order = v.Compare(other);  // other parsed in the same scheme
// Thread safety: immutable after Parse; Compare may run concurrently.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_PARSED_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_PARSED_VERSION_H_

#include <string>
#include <variant>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/versions/pep440_version.h"
#include "bulwark/image/vuln/internal/dpkg_version.h"
#include "bulwark/image/vuln/internal/maven_version.h"
#include "bulwark/image/vuln/internal/nuget_version.h"
#include "bulwark/image/vuln/internal/numeric_list_version.h"
#include "bulwark/image/vuln/internal/rpm_version.h"
#include "bulwark/image/vuln/internal/rubygems_version.h"
#include "bulwark/image/vuln/internal/semver_version.h"
#include "bulwark/image/vuln/version.h"

namespace bulwark::vuln::internal {

class ParsedVersion {
 public:
  // Parses `text` in `scheme`. The dpkg and apk forms borrow `text`, which must outlive the
  // result. Errors: the scheme's InvalidArgument (without the ecosystem label; CompareVersions
  // adds it).
  static absl::StatusOr<ParsedVersion> Parse(VersionScheme scheme, absl::string_view text);

  // -1, 0 or 1 in the scheme's order. Both sides must come from Parse with the same scheme.
  int Compare(const ParsedVersion& other) const;

  VersionScheme scheme() const { return scheme_; }

 private:
  // apk versions are compared from their (validated) text; Composer from its normalised form.
  struct ApkText {
    absl::string_view text;
  };
  using Form = std::variant<DpkgVersion, ApkText, RpmVersion, versions::Pep440Version, SemVer,
                            MavenItem, GemVersion, std::string, NuGetVersion, NumericList>;

  int CompareForms(const ParsedVersion& other) const;
  ParsedVersion(VersionScheme scheme, Form form) : scheme_(scheme), form_(std::move(form)) {}

  VersionScheme scheme_;
  Form form_;
};

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_PARSED_VERSION_H_
