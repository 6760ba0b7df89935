#include "bulwark/image/internal/entry_path.h"

#include "absl/strings/str_cat.h"

namespace bulwark::image::internal {

absl::StatusOr<std::string> NormalizeEntryPath(absl::string_view name) {
  if (!name.empty() && name.front() == '/') {
    return absl::InvalidArgumentError("absolute path");
  }
  if (name.find('\0') != absl::string_view::npos) {
    return absl::InvalidArgumentError("NUL byte in name");
  }
  std::string path;
  path.reserve(name.size());
  while (!name.empty()) {
    size_t slash = name.find('/');
    absl::string_view component = name.substr(0, slash);
    name = slash == absl::string_view::npos ? absl::string_view() : name.substr(slash + 1);
    if (component.empty() || component == ".") continue;
    if (component == "..") return absl::InvalidArgumentError("\"..\" component");
    if (!path.empty()) path.push_back('/');
    absl::StrAppend(&path, component);
  }
  return path;
}

absl::string_view PathBaseName(absl::string_view path) {
  size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

absl::string_view PathDirName(absl::string_view path) {
  size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? absl::string_view() : path.substr(0, slash);
}

}  // namespace bulwark::image::internal
