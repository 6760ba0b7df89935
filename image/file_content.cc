#include "bulwark/image/file_content.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image {
namespace {

// Keeps the content of the last regular entry at `path` (a layer may hold a path twice; the last
// one is what the merged filesystem shows).
class ContentCatcher : public LayerVisitor {
 public:
  explicit ContentCatcher(std::string path) : path_(std::move(path)) {}

  bool WantsContent(const LayerEntry& entry) const override { return entry.path == path_; }
  absl::Status OnEntry(const LayerInfo&, const LayerEntry& entry, ContentReader* content) override {
    if (content == nullptr) return absl::OkStatus();
    BULWARK_ASSIGN_OR_RETURN(std::string bytes, content->ReadAll());
    content_ = std::move(bytes);
    truncated_ = content->truncated();
    return absl::OkStatus();
  }

  const std::optional<std::string>& content() const { return content_; }
  bool truncated() const { return truncated_; }

 private:
  const std::string path_;
  std::optional<std::string> content_;
  bool truncated_ = false;
};

}  // namespace

absl::StatusOr<std::string> ReadFileContent(const Image& image, const FileInfo& file,
                                            const WalkOptions& options) {
  const std::string where = absl::StrCat(image.Name(), ": ", absl::CHexEscape(file.entry.path));
  if (file.entry.type != EntryType::kRegular && file.entry.type != EntryType::kHardlink) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": not a regular file (", EntryTypeName(file.entry.type), ")"));
  }
  if (file.layer >= image.layers().size()) {
    return absl::NotFoundError(absl::StrCat(where, ": the image has no layer ", file.layer));
  }
  const LayerInfo& layer = image.layers()[file.layer];
  ContentCatcher catcher(file.entry.type == EntryType::kHardlink ? file.entry.link_target
                                                                 : file.entry.path);
  LayerVisitor* const visitors[] = {&catcher};
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader,
                           image.blob_source().OpenBlob(layer.descriptor));
  BULWARK_RETURN_IF_ERROR(WalkLayer(*reader, layer, visitors, options).status());
  if (!catcher.content().has_value()) {
    return absl::NotFoundError(absl::StrCat(where, ": no such file in layer ", file.layer, " (",
                                            layer.descriptor.digest.ToString(), ")"));
  }
  if (catcher.truncated()) {
    return core::LimitExceeded("max_file_bytes", options.limits.max_file_bytes, where);
  }
  return *catcher.content();
}

}  // namespace bulwark::image
