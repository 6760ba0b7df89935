#include "bulwark/image/internal/visitor_testing.h"

#include <algorithm>
#include <cstring>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/entry_path.h"

namespace bulwark::image::testing {
namespace {

class StringContentReader : public ContentReader {
 public:
  explicit StringContentReader(absl::string_view content) : rest_(content) {}
  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    size_t n = std::min(size, rest_.size());
    if (n > 0) std::memcpy(buffer, rest_.data(), n);
    rest_.remove_prefix(n);
    return n;
  }
  bool truncated() const override { return false; }

 private:
  absl::string_view rest_;
};

TestEntry Make(std::string path, EntryType type, uint32_t mode) {
  TestEntry e;
  e.entry.path = std::move(path);
  e.entry.type = type;
  e.entry.mode = mode;
  return e;
}

// `name` in the directory `dir` ("" is the root).
std::string Join(absl::string_view dir, absl::string_view name) {
  return dir.empty() ? std::string(name) : absl::StrCat(dir, "/", name);
}

}  // namespace

TestEntry Dir(std::string path, uint32_t mode) {
  return Make(std::move(path), EntryType::kDirectory, mode);
}

TestEntry File(std::string path, std::string content, uint32_t mode) {
  TestEntry e = Make(std::move(path), EntryType::kRegular, mode);
  e.entry.size = static_cast<int64_t>(content.size());
  e.content = std::move(content);
  return e;
}

TestEntry Symlink(std::string path, std::string target) {
  TestEntry e = Make(std::move(path), EntryType::kSymlink, 0777);
  e.entry.link_target = std::move(target);
  return e;
}

TestEntry Hardlink(std::string path, std::string target) {
  TestEntry e = Make(std::move(path), EntryType::kHardlink, 0644);
  e.entry.link_target = std::move(target);
  return e;
}

TestEntry Device(std::string path, EntryType type, uint32_t major, uint32_t minor) {
  TestEntry e = Make(std::move(path), type, 0666);
  e.entry.device_major = major;
  e.entry.device_minor = minor;
  return e;
}

TestEntry Whiteout(absl::string_view path) {
  return Make(Join(internal::PathDirName(path),
                   absl::StrCat(kWhiteoutPrefix, internal::PathBaseName(path))),
              EntryType::kRegular, 0);
}

TestEntry Opaque(absl::string_view dir) {
  return Make(Join(dir, kOpaqueWhiteoutName), EntryType::kRegular, 0);
}

absl::Status WalkTestLayers(absl::Span<const TestLayer> layers,
                            absl::Span<LayerVisitor* const> visitors) {
  for (size_t i = 0; i < layers.size(); ++i) {
    LayerInfo info;
    info.index = i;
    for (LayerVisitor* v : visitors) BULWARK_RETURN_IF_ERROR(v->OnLayerStart(info));
    for (const TestEntry& e : layers[i]) {
      for (LayerVisitor* v : visitors) {
        StringContentReader reader(e.content);
        bool content = e.entry.type == EntryType::kRegular && v->WantsContent(e.entry);
        BULWARK_RETURN_IF_ERROR(v->OnEntry(info, e.entry, content ? &reader : nullptr));
      }
    }
    for (LayerVisitor* v : visitors) BULWARK_RETURN_IF_ERROR(v->OnLayerEnd(info));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::image::testing
