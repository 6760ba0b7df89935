#include "bulwark/image/sbom/internal/text.h"

#include <cstddef>
#include <string>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {

bool IsPlainToken(absl::string_view text) {
  if (text.empty() || text.size() > 512) return false;
  for (const char c : text) {
    if (c <= ' ' || c >= 0x7F) return false;
  }
  return true;
}

absl::string_view Basename(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

absl::string_view Dirname(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? absl::string_view() : path.substr(0, slash);
}

}  // namespace bulwark::sbom::internal
