// Early-return helpers for absl::Status and absl::StatusOr (Debian's Abseil 20220623 has none).
//   BULWARK_RETURN_IF_ERROR(file.Close());
//   BULWARK_ASSIGN_OR_RETURN(std::string text, ReadFileToString(path));
// Both evaluate their expression exactly once and return its error Status unchanged.
#ifndef BULWARK_CORE_STATUS_MACROS_H_
#define BULWARK_CORE_STATUS_MACROS_H_

#include <utility>

#include "absl/status/status.h"
#include "absl/status/statusor.h"

// Returns from the calling function with the Status of `expr` when it is not OK.
#define BULWARK_RETURN_IF_ERROR(expr)                  \
  do {                                                 \
    const absl::Status bulwark_status_ = (expr);       \
    if (!bulwark_status_.ok()) return bulwark_status_; \
  } while (false)

// Evaluates `rexpr` (an absl::StatusOr<T>); on error returns its Status, otherwise move-assigns
// the value to `lhs`, which may be a declaration (`auto x`, `const Foo& y` is not allowed).
#define BULWARK_ASSIGN_OR_RETURN(lhs, rexpr)                                                      \
  BULWARK_ASSIGN_OR_RETURN_IMPL_(BULWARK_STATUS_MACROS_CONCAT_(bulwark_statusor_, __LINE__), lhs, \
                                 rexpr)

#define BULWARK_ASSIGN_OR_RETURN_IMPL_(statusor, lhs, rexpr) \
  auto statusor = (rexpr);                                   \
  if (!statusor.ok()) return std::move(statusor).status();   \
  lhs = *std::move(statusor)

#define BULWARK_STATUS_MACROS_CONCAT_(x, y) BULWARK_STATUS_MACROS_CONCAT_INNER_(x, y)
#define BULWARK_STATUS_MACROS_CONCAT_INNER_(x, y) x##y

#endif  // BULWARK_CORE_STATUS_MACROS_H_
