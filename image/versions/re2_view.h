// Converting between absl::string_view and Debian RE2's re2::StringPiece (a distinct type in
// RE2 2022-12). An unmatched capture group keeps data() == nullptr in both directions.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VERSIONS_RE2_VIEW_H_
#define BULWARK_IMAGE_VERSIONS_RE2_VIEW_H_

#include "absl/strings/string_view.h"
#include "re2/re2.h"

namespace bulwark::versions {

inline re2::StringPiece ToPiece(absl::string_view text) {
  return re2::StringPiece(text.data(), text.size());
}

inline absl::string_view ToView(re2::StringPiece piece) {
  return absl::string_view(piece.data(), piece.size());
}

}  // namespace bulwark::versions

#endif  // BULWARK_IMAGE_VERSIONS_RE2_VIEW_H_
