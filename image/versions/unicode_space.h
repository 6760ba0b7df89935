// Stripping the whitespace Python's str.strip() and regex \s remove (ASCII and Unicode spaces,
// UTF-8 encoded), for schemes whose reference implementation is Python.
// Thread safety: pure function.
#ifndef BULWARK_IMAGE_VERSIONS_UNICODE_SPACE_H_
#define BULWARK_IMAGE_VERSIONS_UNICODE_SPACE_H_

#include "absl/strings/string_view.h"

namespace bulwark::versions {

// `text` without leading and trailing characters for which Python's str.isspace() is true.
absl::string_view StripPythonWhitespace(absl::string_view text);

}  // namespace bulwark::versions

#endif  // BULWARK_IMAGE_VERSIONS_UNICODE_SPACE_H_
