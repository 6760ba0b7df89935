// Small readers of Kubernetes documents held as core::Value: typed field access with errors
// that name the field path and its line:column.
// Internal to policy/admission. Thread safety: stateless functions.
#ifndef BULWARK_POLICY_ADMISSION_INTERNAL_DOCUMENTS_H_
#define BULWARK_POLICY_ADMISSION_INTERNAL_DOCUMENTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"

namespace bulwark::policy::internal {

// "<where>.<field>".
std::string FieldPath(absl::string_view where, absl::string_view field);

// InvalidArgument "<path> (line:col): <what>".
absl::Status FieldError(absl::string_view path, const core::Value& at, absl::string_view what);

// The string at `field` of map `doc`, "" when absent or null. Errors: not a string.
absl::StatusOr<std::string> OptionalString(const core::Value& doc, absl::string_view field,
                                           absl::string_view where);

// The strings of the list at `field`, empty when absent or null. Errors: not a list of strings.
absl::StatusOr<std::vector<std::string>> StringList(const core::Value& doc, absl::string_view field,
                                                    absl::string_view where);

// The list at `field` (nullptr when absent or null). Errors: not a list.
absl::StatusOr<const core::ValueList*> OptionalList(const core::Value& doc, absl::string_view field,
                                                    absl::string_view where);

// The value at the dotted `path` ("metadata.labels") or nullptr when any step is missing.
const core::Value* FindPath(const core::Value& doc, absl::string_view path);

// The string at dotted `path`, or "" when missing or not a string.
std::string StringAt(const core::Value& doc, absl::string_view path);

}  // namespace bulwark::policy::internal

#endif  // BULWARK_POLICY_ADMISSION_INTERNAL_DOCUMENTS_H_
