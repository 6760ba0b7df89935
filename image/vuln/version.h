// Ordering package versions the way each ecosystem's own tool does, by OSV ecosystem name.
//   BULWARK_ASSIGN_OR_RETURN(int order, CompareVersions("Debian:12", "1.2-1", "1.2~rc1-1"));
//   // order > 0: dpkg sorts "1.2-1" after "1.2~rc1-1".
//   BULWARK_RETURN_IF_ERROR(ValidateVersion("PyPI", "1.0.post1"));
// Schemes: dpkg (Debian, Ubuntu), apk (Alpine), rpm (Red Hat, AlmaLinux, Rocky Linux, openSUSE,
// SUSE), PEP 440 (PyPI), node-semver (npm), Go modules (Go), semver 2.0.0 (crates.io), Maven
// ComparableVersion (Maven), Gem::Version (RubyGems), Composer (Packagist), NuGet, pub_semver
// (Pub), R package_version (CRAN), Cabal versions (Hackage). docs/vuln.md lists the rules.
// Thread safety: pure functions; safe to call concurrently.
#ifndef BULWARK_IMAGE_VULN_VERSION_H_
#define BULWARK_IMAGE_VULN_VERSION_H_

#include <cstddef>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"

namespace bulwark::vuln {

// A version ordering rule; several ecosystems may share one.
enum class VersionScheme {
  kDpkg,
  kApk,
  kRpm,
  kPep440,
  kNpm,
  kGo,
  kSemver,
  kMaven,
  kRubyGems,
  kComposer,
  kNuGet,
  kPub,
  kCran,
  kHackage,
};

// Versions longer than this are rejected (InvalidArgument) before any scheme reads them.
inline constexpr size_t kMaxVersionLength = 1024;

// The scheme of an OSV ecosystem name ("Debian", "Rocky Linux", "crates.io", ...), which may
// carry a ":release" suffix ("Debian:12", "Alpine:v3.18", "Ubuntu:22.04:LTS").
// Errors: InvalidArgument naming the ecosystem when it is not one Bulwark orders.
absl::StatusOr<VersionScheme> SchemeForEcosystem(absl::string_view ecosystem);

// A short name for messages: "dpkg", "apk", "rpm", "PEP 440", "node-semver", ...
absl::string_view SchemeName(VersionScheme scheme);

// Compares two versions of `ecosystem`: negative when a sorts before b, 0 when they are equal
// in that ecosystem's order (not necessarily equal text: "1.0" and "1" in PyPI), positive after.
// Returns -1, 0 or 1. Errors: InvalidArgument naming the ecosystem, the version and the problem
// (`PyPI version "french toast": not a PEP 440 version ...`), or an unknown ecosystem.
absl::StatusOr<int> CompareVersions(absl::string_view ecosystem, absl::string_view a,
                                    absl::string_view b);
absl::StatusOr<int> CompareVersions(VersionScheme scheme, absl::string_view a, absl::string_view b);

// CompareVersions(ecosystem, a, b) for every pair, the ecosystem resolved once (the batch entry
// point for bindings and benchmarks). Errors: an unknown ecosystem, or the first invalid pair's
// error prefixed with "pair N: ".
absl::StatusOr<std::vector<int>> CompareVersionsMany(
    absl::string_view ecosystem,
    absl::Span<const std::pair<absl::string_view, absl::string_view>> pairs);

// OK when `version` is valid in `ecosystem`. Stricter than CompareVersions in one place: a
// Debian version dpkg accepts only with a warning (not starting with a digit, a character policy
// forbids) is InvalidArgument here, while CompareVersions orders it as dpkg --compare-versions
// does.
absl::Status ValidateVersion(absl::string_view ecosystem, absl::string_view version);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_VERSION_H_
