// Debian control-file syntax (deb822) as dpkg's status database and apk's installed database
// use it: stanzas of "Name: value" fields separated by blank lines, continuation lines starting
// with a space or tab.
//   ForEachStanza(text, [&](const Stanza& s) { Use(s.Get("Package")); });
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_CONTROL_FILE_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_CONTROL_FILE_H_

#include <cstddef>
#include <string>
#include <utility>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

struct Stanza {
  size_t line = 0;  // 1-based line of its first field.
  // Field names and values as written; a value keeps its continuation lines ("\n"-joined, the
  // leading space removed). Views into the parsed text.
  std::vector<std::pair<absl::string_view, std::string>> fields;
  // Lines that were neither a field nor a continuation ("line 12"), for warnings.
  std::vector<size_t> malformed_lines;

  // The value of the field `name` (case-insensitive, as dpkg reads them), or "" when absent; the
  // last one wins.
  absl::string_view Get(absl::string_view name) const;
};

// Calls `visit` for each stanza of a deb822 text ("Package: bash"; apk's "P:bash" too), in
// order. Never fails: any byte sequence gives some stanzas.
void ForEachStanza(absl::string_view text, absl::FunctionRef<void(const Stanza&)> visit);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_CONTROL_FILE_H_
