// Formats doubles the way CEL's reference implementation prints them (Go's "%g" with the
// shortest round-trip digits): 123.456, 1e+06, -0.0045, 1.5e-07, NaN, +Inf, -Inf.
// Internal. Thread safety: stateless.
#ifndef BULWARK_POLICY_CEL_INTERNAL_FORMAT_DOUBLE_H_
#define BULWARK_POLICY_CEL_INTERNAL_FORMAT_DOUBLE_H_

#include <string>

namespace bulwark::cel::internal {

std::string FormatDouble(double d);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_FORMAT_DOUBLE_H_
