// Turns the member names of a layer tar into the normalised image paths of LayerEntry, refusing
// names that could point outside the image root.
//   absl::StatusOr<std::string> path = NormalizeEntryPath("./usr//bin/");  // "usr/bin"
// Thread safety: a pure function.
#ifndef BULWARK_IMAGE_INTERNAL_ENTRY_PATH_H_
#define BULWARK_IMAGE_INTERNAL_ENTRY_PATH_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::image::internal {

// Strips leading "./", drops empty and "." components (so "a//./b/" is "a/b"); "." and "./" are
// the root, "". Errors: InvalidArgument for an absolute name ("/etc/passwd") and for any ".."
// component, even one that stays inside ("a/../b"): resolving ".." lexically is only right when
// "a" is not a symlink, which the walker cannot know, and real layer tars never contain "..".
// Bytes are kept as they are (names need not be UTF-8); a NUL byte is InvalidArgument.
absl::StatusOr<std::string> NormalizeEntryPath(absl::string_view name);

// The last component of a normalised path ("a/b" -> "b", "b" -> "b").
absl::string_view PathBaseName(absl::string_view path);

// Everything before the last component, without the slash ("a/b" -> "a", "b" -> "").
absl::string_view PathDirName(absl::string_view path);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_ENTRY_PATH_H_
