// PEP 440 version specifiers ("~=1.4.2", "==2.*", "!=1.0", "<2", ">=1.0,<2" is two of them), as
// pypa/packaging's Specifier.contains evaluates one clause.
// Thread safety: pure function.
#ifndef BULWARK_IMAGE_VERSIONS_PEP440_SPECIFIER_H_
#define BULWARK_IMAGE_VERSIONS_PEP440_SPECIFIER_H_

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/versions/pep440_version.h"

namespace bulwark::versions {

// Whether `version` matches the single clause `specifier` (operator ~= == != <= >= < > ===,
// "==" and "!=" with a trailing ".*"). With `prereleases` false, a pre-release version matches
// only a clause that names a pre-release (packaging's default). Errors: InvalidArgument for a
// malformed clause.
absl::StatusOr<bool> Pep440SpecifierContains(absl::string_view specifier,
                                             const Pep440Version& version, bool prereleases);

}  // namespace bulwark::versions

#endif  // BULWARK_IMAGE_VERSIONS_PEP440_SPECIFIER_H_
