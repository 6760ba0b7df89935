// Fuzzes WalkLayer on arbitrary blob bytes: the first byte picks the media type (tar, tar+gzip,
// tar+zstd), the rest is the blob. It must never crash or hang, stay within small Limits, and
// never hand a visitor a path that is absolute or has "." or ".." components.
#include <cstdint>
#include <cstdlib>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/layer_walker.h"
#include "bulwark/image/testing/blob_readers.h"

namespace bulwark::image {
namespace {

constexpr absl::string_view kMediaTypes[] = {media_type::kOciLayerTar, media_type::kOciLayerGzip,
                                             media_type::kOciLayerZstd};

// Reads the content of every regular file whose path length is odd, and checks every path.
class CheckingVisitor : public LayerVisitor {
 public:
  explicit CheckingVisitor(uint64_t cap) : cap_(cap) {}

  bool WantsContent(const LayerEntry& entry) const override { return entry.path.size() % 2 == 1; }
  absl::Status OnEntry(const LayerInfo&, const LayerEntry& entry, ContentReader* content) override {
    for (absl::string_view part : absl::StrSplit(entry.path, '/')) {
      if (!entry.path.empty() && (part.empty() || part == "." || part == "..")) std::abort();
    }
    if (content != nullptr) {
      absl::StatusOr<std::string> bytes = content->ReadAll();
      if (bytes.ok() && bytes->size() > cap_) std::abort();
    }
    return absl::OkStatus();
  }

 private:
  const uint64_t cap_;
};

}  // namespace
}  // namespace bulwark::image

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace bulwark::image;  // NOLINT: a fuzz entry point.
  if (size == 0) return 0;
  std::string blob(reinterpret_cast<const char*>(data) + 1, size - 1);
  LayerInfo layer;
  layer.descriptor.media_type = std::string(kMediaTypes[data[0] % std::size(kMediaTypes)]);
  layer.descriptor.digest =
      bulwark::core::DigestBytes(bulwark::core::DigestAlgorithm::kSha256, blob);
  layer.descriptor.size = static_cast<int64_t>(blob.size());
  WalkOptions options;
  options.limits.max_total_bytes = 4 << 20;
  options.limits.max_entries = 2000;
  options.limits.max_file_bytes = 64 << 10;
  options.limits.max_path_length = 1024;
  options.verify = data[0] & 0x80 ? VerifyMode::kReport : VerifyMode::kEnforce;
  CheckingVisitor first(options.limits.max_file_bytes), second(options.limits.max_file_bytes);
  // Two visitors wanting the same files exercise the buffered content path; data[0] & 0x40 makes
  // it one, for the streaming path.
  LayerVisitor* visitors[] = {&first, &second};
  testing::StringBlobReader reader(std::move(blob), 512 + data[0] % 7 * 4096);
  auto result = WalkLayer(reader, layer, absl::MakeSpan(visitors, data[0] & 0x40 ? 1 : 2), options);
  if (result.ok() && result->uncompressed_bytes > options.limits.max_total_bytes) std::abort();
  return 0;
}
