#include "bulwark/image/layer_visitor.h"

namespace bulwark::image {

absl::StatusOr<std::string> ContentReader::ReadAll() {
  std::string content;
  char buffer[64 * 1024];
  while (true) {
    absl::StatusOr<size_t> n = Read(buffer, sizeof(buffer));
    if (!n.ok()) return n.status();
    if (*n == 0) return content;
    content.append(buffer, *n);
  }
}

absl::StatusOr<absl::string_view> ContentReader::ReadAllView() {
  absl::StatusOr<std::string> content = ReadAll();
  if (!content.ok()) return content.status();
  read_all_ = *std::move(content);
  return absl::string_view(read_all_);
}

}  // namespace bulwark::image
