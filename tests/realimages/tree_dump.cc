// Prints what Bulwark reads from an image as TSV rows, for tests that compare it with real tools
// (umoci unpack) and with the ground truth of ../shared/realimages:
//   tree_dump IMAGE [REFERENCE [PLATFORM]]
//   layer     <index> <diff_id> <uncompressed bytes> <tar entries>
//   whiteout  <layer> <hidden path> whiteout|opaque
//   file      <path> <type> <mode> <uid> <gid> <size> <link target> <layer> <sha256>
// Files come from Image::Open + Walk with a FilesystemBuilder; a second walk hashes the content of
// the copy of each regular file that the merged tree shows. A hardlink gets the size and hash of
// the file it links to. Layers count from 0 (bottom). Exit status 1 with the error on stderr.
#include <cstdio>
#include <map>
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"

namespace bulwark::image {
namespace {

// Records whiteout entries as they stream by.
class WhiteoutRecorder : public LayerVisitor {
 public:
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    if (entry.IsOpaqueWhiteout()) {
      const size_t slash = entry.path.rfind('/');
      rows_.push_back(absl::StrCat("whiteout\t", layer.index, "\t/",
                                   slash == std::string::npos ? "" : entry.path.substr(0, slash),
                                   "\topaque"));
    } else if (entry.IsWhiteout()) {
      rows_.push_back(
          absl::StrCat("whiteout\t", layer.index, "\t/", entry.WhiteoutTarget(), "\twhiteout"));
    }
    return absl::OkStatus();
  }
  const std::vector<std::string>& rows() const { return rows_; }

 private:
  std::vector<std::string> rows_;
};

// Hashes the final copy of every regular file of `fs`.
class ContentHasher : public LayerVisitor {
 public:
  explicit ContentHasher(const MergedFilesystem& fs) : fs_(fs) {}

  bool WantsContent(const LayerEntry& entry) const override {
    absl::StatusOr<FileInfo> info = fs_.Lookup(entry.path);
    return info.ok() && info->entry.type == EntryType::kRegular && layer_ == info->layer;
  }
  absl::Status OnLayerStart(const LayerInfo& layer) override {
    layer_ = layer.index;
    return absl::OkStatus();
  }
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    if (content == nullptr) return absl::OkStatus();
    core::Hasher hasher(core::DigestAlgorithm::kSha256);
    char buffer[1 << 16];
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(size_t n, content->Read(buffer, sizeof(buffer)));
      if (n == 0) break;
      hasher.Update(absl::string_view(buffer, n));
    }
    if (content->truncated()) return absl::ResourceExhaustedError("truncated: " + entry.path);
    hashes_[entry.path] = hasher.Finish().Hex();
    return absl::OkStatus();
  }
  const std::map<std::string, std::string>& hashes() const { return hashes_; }

 private:
  const MergedFilesystem& fs_;
  size_t layer_ = 0;
  std::map<std::string, std::string> hashes_;
};

absl::Status Dump(const std::string& path, const OpenOptions& open_options) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const Image> image, Image::Open(path, open_options));
  WalkOptions options;
  options.limits.max_file_bytes = options.limits.max_total_bytes;
  FilesystemBuilder builder(options.limits);
  WhiteoutRecorder whiteouts;
  BULWARK_ASSIGN_OR_RETURN(std::vector<LayerWalkResult> results,
                           image->Walk({&builder, &whiteouts}, options));
  const MergedFilesystem fs = std::move(builder).Finish();
  ContentHasher hasher(fs);
  BULWARK_RETURN_IF_ERROR(image->Walk({&hasher}, options).status());

  for (size_t i = 0; i < results.size(); ++i) {
    std::printf("layer\t%zu\t%s\t%llu\t%llu\n", i, results[i].diff_id.ToString().c_str(),
                static_cast<unsigned long long>(results[i].uncompressed_bytes),
                static_cast<unsigned long long>(results[i].entries));
  }
  for (const std::string& row : whiteouts.rows()) std::printf("%s\n", row.c_str());
  fs.ForEach([&](const FileInfo& info) {
    const LayerEntry& e = info.entry;
    std::string sha;
    int64_t size = e.size;
    if (e.type == EntryType::kRegular || e.type == EntryType::kHardlink) {
      const std::string& key = e.type == EntryType::kHardlink ? e.link_target : e.path;
      auto it = hasher.hashes().find(key);
      sha = it == hasher.hashes().end() ? "?" : it->second;
      if (e.type == EntryType::kHardlink) {
        absl::StatusOr<FileInfo> target = fs.Lookup(e.link_target);
        size = target.ok() ? target->entry.size : -1;
      }
    }
    std::printf("file\t/%s\t%s\t%04o\t%u\t%u\t%lld\t%s\t%zu\t%s\n", e.path.c_str(),
                std::string(EntryTypeName(e.type)).c_str(), e.mode, e.uid, e.gid,
                static_cast<long long>(size), e.link_target.c_str(), info.layer, sha.c_str());
  });
  return absl::OkStatus();
}

}  // namespace
}  // namespace bulwark::image

int main(int argc, char** argv) {
  if (argc < 2 || argc > 4) {
    std::fprintf(stderr, "usage: tree_dump IMAGE [REFERENCE [PLATFORM]]\n");
    return 2;
  }
  bulwark::image::OpenOptions options;
  if (argc > 2) options.reference = argv[2];
  if (argc > 3) options.platform = argv[3];
  absl::Status status = bulwark::image::Dump(argv[1], options);
  if (!status.ok()) {
    std::fprintf(stderr, "tree_dump: %s\n", status.ToString().c_str());
    return 1;
  }
  return 0;
}
