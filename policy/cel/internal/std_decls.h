// Type-checker declarations of CEL's standard functions and operators (cel-spec langdef), written
// as signatures "param, param -> result". Functions of the runtime without a declaration here
// (extension libraries) are checked with dyn results; see checker.cc.
// Internal. Thread safety: the table is built once, then only read.
#ifndef BULWARK_POLICY_CEL_INTERNAL_STD_DECLS_H_
#define BULWARK_POLICY_CEL_INTERNAL_STD_DECLS_H_

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::cel::internal {

using FunctionDecls = absl::flat_hash_map<std::string, std::vector<Overload>>;

// The standard declarations by function name.
const FunctionDecls& StandardDeclarations();

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_STD_DECLS_H_
