// The merged filesystem of an image: its layers applied bottom to top with the OCI image-spec's
// whiteout rules, built in one pass by the layer walker and queried without touching the host.
//   FilesystemBuilder builder;                       // a LayerVisitor: walk every layer with it
//   MergedFilesystem fs = std::move(builder).Finish();
//   BULWARK_ASSIGN_OR_RETURN(FileInfo passwd, fs.Lookup("etc/passwd"));
// Thread safety: a MergedFilesystem is immutable; its const methods may run concurrently. A
// FilesystemBuilder is driven by one thread, like every LayerVisitor.
//
// Semantics (image-spec layer.md): ".wh.<name>" hides <name> and its subtree from lower layers;
// ".wh..wh..opq" hides every lower-layer entry below its directory; whiteouts only act on lower
// layers, so the entries of one layer may come in any order; whiteouts never appear in the tree;
// aufs metadata (".wh..wh.<other>") is ignored. An entry at an existing path replaces it (and its
// subtree), except that a directory over a directory only updates the attributes. Parents that
// no entry declares are implicit directories (0755, root:root); a parent that is not a directory
// is replaced by one. Paths are taken literally: a lower-layer symlink is never followed to place
// an upper-layer entry (umoci and containerd would write through a symlink that stays inside the
// image; no layer a container runtime produces contains such entries).
//
// Memory: about 70 bytes per distinct path plus its name (see internal/path_tree.h), 64 bytes per
// hidden ("deleted") file, and the link targets and xattrs of the entries that have them.
#ifndef BULWARK_IMAGE_FILESYSTEM_H_
#define BULWARK_IMAGE_FILESYSTEM_H_

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/functional/function_ref.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/layer_entry.h"
#include "bulwark/image/layer_visitor.h"

namespace bulwark::image {

namespace internal {
struct FilesystemState;
}  // namespace internal

// A path of the merged tree and where its final version came from.
struct FileInfo {
  LayerEntry entry;       // entry.path is the normalised path.
  size_t layer = 0;       // The layer the entry came from (0 = bottom).
  bool implicit = false;  // A directory no layer declared (0755, root:root, mtime 0).
  // Dense per-path number (< MergedFilesystem::id_bound()), for callers keeping per-path state
  // in a vector.
  uint32_t id = 0;
};

// Why a lower-layer entry is not in the merged tree.
enum class HiddenBy {
  kWhiteout,   // A ".wh.<name>" of it or of a parent directory.
  kOpaque,     // A ".wh..wh..opq" in a parent directory.
  kOverwrite,  // An entry at the same path, or a non-directory at a parent's path (or the
               // reverse: a file where a directory was removes the directory's subtree).
};
// "whiteout", "opaque", "overwrite".
absl::string_view HiddenByName(HiddenBy hidden_by);

// A non-directory entry that a layer ships but the merged tree does not show ("deleted but still
// shipped": secrets and malware hide there).
struct DeletedFile {
  LayerEntry entry;
  size_t layer = 0;            // The layer that ships it.
  size_t hidden_by_layer = 0;  // The layer that hid it (may equal `layer` for a duplicate path).
  HiddenBy hidden_by = HiddenBy::kWhiteout;
};

enum class HardlinkProblem {
  kTargetMissing,     // The target path is not in the merged tree (e.g. whited out later).
  kTargetNotRegular,  // The target is a directory, symlink, device or another hardlink.
  kTargetReplaced,    // The target was replaced in a layer above the hardlink's.
};
// "target-missing", "target-not-regular", "target-replaced".
absl::string_view HardlinkProblemName(HardlinkProblem problem);

// A hardlink of the merged tree whose target in the merged tree is not the file it linked to.
struct BrokenHardlink {
  std::string path;
  size_t layer = 0;
  std::string target;
  HardlinkProblem problem = HardlinkProblem::kTargetMissing;
};

class MergedFilesystem {
 public:
  MergedFilesystem(MergedFilesystem&&) noexcept;
  MergedFilesystem& operator=(MergedFilesystem&&) noexcept;
  ~MergedFilesystem();

  // The final entry at `path` ("etc/passwd"; a leading "/" and repeated or trailing "/" are
  // accepted, "" or "/" is the root). Symlinks are not followed (see ResolvePath).
  // Errors: NotFound; InvalidArgument for "." or ".." components.
  absl::StatusOr<FileInfo> Lookup(absl::string_view path) const;

  // Calls `visit` for every path except the root: parents before children, siblings in byte
  // order of their names.
  void ForEach(absl::FunctionRef<void(const FileInfo&)> visit) const;

  // Paths in the tree, the root excluded.
  size_t size() const;
  // Upper bound (exclusive) of FileInfo::id.
  uint32_t id_bound() const;

  // Entries hidden by a whiteout, an opaque directory or an overwrite, sorted by path then layer.
  std::vector<DeletedFile> DeletedFiles() const;
  // Hardlinks whose target is gone or changed, sorted by path.
  const std::vector<BrokenHardlink>& BrokenHardlinks() const;

  // Resolves `path` inside the image the way the kernel would inside a chroot of the tree:
  // absolute symlink targets start at the image root, ".." at the root stays at the root, and
  // after 40 symlinks the resolution fails (Linux's limit). The final component is followed
  // only when `follow_final_symlink`. Returns the normalised path of an entry of the tree.
  // Errors: NotFound for a missing component or one that is not a directory; InvalidArgument
  // for too many symlinks (a loop).
  absl::StatusOr<std::string> ResolvePath(absl::string_view path, bool follow_final_symlink) const;

 private:
  friend class FilesystemBuilder;
  explicit MergedFilesystem(std::unique_ptr<internal::FilesystemState> state);
  FileInfo MakeInfo(uint32_t id, std::string path) const;

  std::unique_ptr<internal::FilesystemState> state_;
};

// Builds a MergedFilesystem from the entries of every layer (no content needed).
class FilesystemBuilder : public LayerVisitor {
 public:
  // Caps: max_entries (entries seen, and distinct paths), max_path_length.
  explicit FilesystemBuilder(const core::Limits& limits = {});
  ~FilesystemBuilder() override;

  // Errors: FailedPrecondition when layers do not come bottom to top.
  absl::Status OnLayerStart(const LayerInfo& layer) override;
  // Errors: InvalidArgument for a path that is not normalised (see LayerEntry::path) or a
  // whiteout of "." or ".."; ResourceExhausted for a Limits cap. Messages name layer and path.
  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override;

  // The merged tree of every entry seen so far.
  MergedFilesystem Finish() &&;

 private:
  class Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_FILESYSTEM_H_
