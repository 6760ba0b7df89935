// The CEL type checker (cel-spec langdef "Type checking"): deduces the type of every expression
// from variable and function declarations, unifying overload type parameters (with the legacy
// rules of the reference checkers: wrappers are nullable primitives, null is assignable to
// messages, well-known and abstract types, heterogeneous aggregate literals are dyn).
// Internal; used by Compile() and Check() in program.cc. Thread safety: reentrant.
#ifndef BULWARK_POLICY_CEL_INTERNAL_CHECKER_H_
#define BULWARK_POLICY_CEL_INTERNAL_CHECKER_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/policy/cel/ast.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/cel/types.h"
#include "google/protobuf/descriptor.h"

namespace bulwark::cel::internal {

// Type of the result of `root` (parsed from `source`), with free type parameters turned into
// dyn. Errors: InvalidArgument with one "ERROR: <input>:L:C: message" block (and caret) per check
// error: undeclared references, no matching overload, undefined fields, bad comprehension ranges.
// The names `name` may mean inside namespace `container` (cel-spec name resolution), most
// qualified first: container "a.b", name "c" → "a.b.c", "a.c", "c". A leading '.' means
// exactly the rest.
std::vector<std::string> ContainerCandidates(absl::string_view container, absl::string_view name);

absl::StatusOr<Type> CheckTypes(const Expr& root, absl::string_view source, const Env& env,
                                const google::protobuf::DescriptorPool& pool);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_CHECKER_H_
