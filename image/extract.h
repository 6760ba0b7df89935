// Writes an image's merged filesystem to a directory safely: nothing is written outside `dest`
// whatever the layers contain (paths, symlinks and hardlinks included), symlinks are created but
// never followed, device nodes and setuid/setgid bits only when asked.
//   BULWARK_ASSIGN_OR_RETURN(auto extract, ExtractVisitor::Create(fs, "/tmp/rootfs"));
//   ... walk every layer again with *extract (it asks for the content of final files only) ...
//   BULWARK_ASSIGN_OR_RETURN(ExtractResult result, std::move(*extract).Finish());
// Thread safety: one ExtractVisitor is driven by one thread, like every LayerVisitor.
//
// Extraction takes two walks: the first builds the MergedFilesystem (FilesystemBuilder), which
// says which layer's copy of each path is final; the second hands the content of exactly those
// copies to the ExtractVisitor. Directories are created by Create (mode 0700 while writing),
// regular files during the walk, then Finish creates symlinks, hardlinks and special files and
// applies directory modes and times deepest first. Every write opens its parent directory with
// openat2(RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS) (or O_NOFOLLOW per component on kernels
// without openat2) and replaces whatever is at the name (a symlink or a hardlink planted in
// `dest` is unlinked, never written through). The root directory's own attributes are not
// changed: `dest` belongs to the caller.
#ifndef BULWARK_IMAGE_EXTRACT_H_
#define BULWARK_IMAGE_EXTRACT_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/layer_visitor.h"

namespace bulwark::image {

struct ExtractOptions {
  // Create character and block devices; needs root (CAP_MKNOD), otherwise they are skipped and
  // reported. Default: false (skipped and reported).
  bool devices = false;
  // Keep setuid and setgid bits. Default: false (dropped).
  bool keep_setuid_setgid = false;
  // Give files the owners of their entries (needs root). Default: false (the caller owns them).
  bool preserve_owners = false;
};

struct ExtractResult {
  uint64_t regular_files = 0;
  uint64_t directories = 0;
  uint64_t symlinks = 0;
  uint64_t hardlinks = 0;
  uint64_t special_files = 0;  // FIFOs and device nodes.
  struct Skipped {
    std::string path;
    std::string reason;
  };
  // Paths of the merged tree not written (or written incompletely), sorted by path.
  std::vector<Skipped> skipped;
};

class ExtractVisitor : public LayerVisitor {
 public:
  // Opens `dest` (an existing directory) and creates the tree's directories in it. `fs` must
  // outlive the visitor. Errors: those of opening `dest`; FailedPrecondition when something in
  // `dest` cannot be replaced (a non-empty directory where the tree has a file).
  static absl::StatusOr<std::unique_ptr<ExtractVisitor>> Create(
      const MergedFilesystem& fs ABSL_ATTRIBUTE_LIFETIME_BOUND, const std::string& dest,
      const ExtractOptions& options = {});
  ~ExtractVisitor() override;

  // True for the copy of a regular file that the merged tree shows.
  bool WantsContent(const LayerEntry& entry) const override;
  absl::Status OnLayerStart(const LayerInfo& layer) override;
  // Writes the final copies of regular files. Errors: I/O errors naming dest and path.
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override;

  // Creates links and special files, applies directory attributes. A regular file whose
  // content never came is created empty and reported as skipped.
  absl::StatusOr<ExtractResult> Finish() &&;

 private:
  class Impl;
  explicit ExtractVisitor(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_EXTRACT_H_
