// The Bulwark release version, and the versions of the libraries this build links.
//   std::cout << bulwark::core::kVersion;         // "0.1.0"
//   for (auto& [name, v] : bulwark::core::DependencyVersions()) ...
// Thread safety: constants and pure functions.
#ifndef BULWARK_CORE_VERSION_H_
#define BULWARK_CORE_VERSION_H_

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/string_view.h"

namespace bulwark::core {

// Semantic version of this Bulwark build.
inline constexpr absl::string_view kVersion = "0.1.0";

// (library, version) for each linked dependency whose version is known at run time or build
// time: OpenSSL (run time), protobuf and simdjson (build time).
std::vector<std::pair<std::string, std::string>> DependencyVersions();

}  // namespace bulwark::core

#endif  // BULWARK_CORE_VERSION_H_
