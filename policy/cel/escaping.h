// Kubernetes' escaping of object property names that are not CEL identifiers (as in
// apiserver/pkg/cel/escaping.go): "__" → "__underscores__", "." → "__dot__", "-" → "__dash__",
// "/" → "__slash__", and CEL reserved words w → "__w__". Selecting `obj.a__dash__b` on a map
// without that key reads key "a-b".
// Thread safety: pure functions.
#ifndef BULWARK_POLICY_CEL_ESCAPING_H_
#define BULWARK_POLICY_CEL_ESCAPING_H_

#include <optional>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::cel {

// The CEL identifier for property `name`, or nullopt when Kubernetes makes it inaccessible
// (it must match [a-zA-Z_.\-/][a-zA-Z0-9_.\-/]*).
std::optional<std::string> EscapePropertyName(absl::string_view name);

// The property name an escaped identifier stands for (identity when nothing is escaped).
std::string UnescapePropertyName(absl::string_view identifier);

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_ESCAPING_H_
