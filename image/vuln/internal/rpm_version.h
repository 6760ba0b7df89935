// RPM versions ([epoch:]version[-release]) ordered as rpm's rpmvercmp and labelCompare do, with
// '~' (sorts before everything) and '^' (sorts after the base version, before anything longer):
// Red Hat, AlmaLinux, Rocky Linux, openSUSE, SUSE.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_RPM_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_RPM_VERSION_H_

#include <cstdint>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

// rpmvercmp() on two raw version or release strings, for any bytes (rpm compares what it is
// given; characters other than ASCII letters, digits, '~' and '^' only separate segments).
// Returns -1, 0 or 1.
int RpmVerCmp(absl::string_view a, absl::string_view b);

struct RpmVersion {
  std::optional<uint64_t> epoch;  // Absent epoch orders as 0.
  std::string version;
  std::optional<std::string> release;
};

// Parses "[epoch:]version[-release]": the epoch is decimal digits; the version and release are
// non-empty and hold only ASCII letters, digits and "._+~^" (rpm's rpmCharCheck set without
// macro characters). Errors: InvalidArgument naming the part and the problem.
absl::StatusOr<RpmVersion> ParseRpmVersion(absl::string_view text);

// rpm.labelCompare order: epoch, version, then release (a missing release sorts before any).
int CompareRpmVersions(const RpmVersion& a, const RpmVersion& b);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_RPM_VERSION_H_
