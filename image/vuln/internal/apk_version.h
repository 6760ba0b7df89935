// Alpine package versions (digits{.digits}[letter]{_suffix[digits]}[~hash][-rN]) validated and
// ordered as apk-tools' src/version.c does.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_INTERNAL_APK_VERSION_H_
#define BULWARK_IMAGE_VULN_INTERNAL_APK_VERSION_H_

#include "absl/status/status.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

// OK when apk_version_validate() accepts `text`; otherwise InvalidArgument saying at which
// byte and why (e.g. "unknown suffix \"_foo\" at offset 3").
absl::Status ValidateApkVersion(absl::string_view text);

// apk_version_compare(): -1, 0 or 1. Like `apk version -t`, it also orders invalid versions
// (tokens up to the first invalid one decide); callers that need valid input validate first.
// With `fuzzy`, a version that starts with all of `b`'s tokens is equal to it (apk's "~"
// dependency operator: 3.6.9 ~ 3.6).
int CompareApkVersions(absl::string_view a, absl::string_view b, bool fuzzy = false);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_APK_VERSION_H_
