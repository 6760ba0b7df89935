// The key a package name is indexed under in its ecosystem, so that "Django", "django" and
// "DJANGO" find the same advisories where the ecosystem says they are one package.
//   NormalizePackageName("PyPI", "Zope.Interface") == "zope-interface"
// Thread safety: pure function.
#ifndef BULWARK_IMAGE_VULN_PACKAGE_NAME_H_
#define BULWARK_IMAGE_VULN_PACKAGE_NAME_H_

#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::vuln {

// PyPI: PEP 503 (lower case, runs of "-", "_", "." become "-"). npm, NuGet and Packagist:
// lower case (their registries treat names case-insensitively); crates.io lower-cased with "_" as
// "-" (crates.io treats them alike). Everything else as written: Go module paths, Maven
// group:artifact, and distribution source package names are case-sensitive. `ecosystem` may carry a
// ":release" suffix.
std::string NormalizePackageName(absl::string_view ecosystem, absl::string_view name);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_PACKAGE_NAME_H_
