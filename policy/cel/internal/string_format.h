// The strings extension's format() (clauses %s %d %f %e %b %o %x %X %% with precision) and
// strings.quote(). Internal. Thread safety: stateless.
#ifndef BULWARK_POLICY_CEL_INTERNAL_STRING_FORMAT_H_
#define BULWARK_POLICY_CEL_INTERNAL_STRING_FORMAT_H_

#include <string>

#include "bulwark/policy/cel/internal/eval_context.h"
#include "bulwark/policy/cel/value.h"

namespace bulwark::cel::internal {

// Formats `args` (a list) into `format`; an error value for bad clauses or argument types.
Value FormatString(absl::string_view format, const Value& args, EvalContext& ctx);

// A double-quoted CEL string literal for `text` (escapes control characters and quotes).
std::string QuoteString(absl::string_view text);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_STRING_FORMAT_H_
