#include "bulwark/core/limits.h"

#include "absl/strings/str_cat.h"

namespace bulwark::core {

absl::Status LimitExceeded(absl::string_view field, uint64_t cap, absl::string_view where) {
  return absl::ResourceExhaustedError(
      absl::StrCat(where, where.empty() ? "" : ": ", "limit ", field, " (", cap, ") exceeded"));
}

}  // namespace bulwark::core
