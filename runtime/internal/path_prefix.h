// Path-prefix matching by whole components, as Falco's `pmatch` and the fanotify guard's path
// prefixes use it: "/srv/private" covers itself and "/srv/private/key.pem", not "/srv/privateer".
// Thread safety: a pure function.
#ifndef BULWARK_RUNTIME_INTERNAL_PATH_PREFIX_H_
#define BULWARK_RUNTIME_INTERNAL_PATH_PREFIX_H_

#include "absl/strings/match.h"
#include "absl/strings/string_view.h"

namespace bulwark::runtime::internal {

// Whether `path` is `prefix` or continues it at a component boundary (a prefix ending in '/',
// such as "/", covers everything that follows it).
inline bool IsPathAtOrBelow(absl::string_view path, absl::string_view prefix) {
  if (!absl::StartsWith(path, prefix)) return false;
  return path.size() == prefix.size() || absl::EndsWith(prefix, "/") || path[prefix.size()] == '/';
}

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_PATH_PREFIX_H_
