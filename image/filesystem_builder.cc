// FilesystemBuilder: applies each layer's entries to the path tree with the image-spec's rules.
//
// Whiteouts act only on lower layers whatever their position in the tar, so instead of ordering
// a layer's entries, a whiteout hides the entries below its target whose layer is lower than the
// current one, and leaves the current layer's entries alone. A lower directory that still holds
// current-layer entries after that becomes an implicit directory of the current layer, which is
// what applying the whiteout first and then the layer's entries would have produced.
#include <algorithm>
#include <cstdint>
#include <memory>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/internal/entry_path.h"
#include "bulwark/image/internal/filesystem_state.h"
#include "bulwark/image/internal/path_tree.h"

namespace bulwark::image {
namespace {

using internal::EntryRecord;
using internal::kNoNode;
using internal::kRootNode;
using internal::PathTree;

bool HasBadComponent(absl::string_view path) {
  if (path.empty()) return false;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    if (part.empty() || part == "." || part == "..") return true;
  }
  return false;
}

std::string Where(const LayerInfo& layer, const LayerEntry& entry) {
  return absl::StrCat("layer ", layer.index, " (", layer.descriptor.digest.ToString(), ") entry \"",
                      absl::CHexEscape(entry.path), "\"");
}

}  // namespace

class FilesystemBuilder::Impl {
 public:
  explicit Impl(const core::Limits& limits)
      : limits_(limits), state_(std::make_unique<internal::FilesystemState>()) {}

  absl::Status StartLayer(const LayerInfo& layer) {
    if (started_ && layer.index <= layer_) {
      return absl::FailedPreconditionError(absl::StrCat("merged filesystem: layer ", layer.index,
                                                        " after layer ", layer_,
                                                        "; layers must be visited bottom to top"));
    }
    if (layer.index >= UINT32_MAX) {
      return absl::InvalidArgumentError(absl::StrCat("layer index ", layer.index, " too large"));
    }
    started_ = true;
    layer_ = static_cast<uint32_t>(layer.index);
    cleaned_.clear();
    return absl::OkStatus();
  }

  absl::Status Add(const LayerInfo& layer, const LayerEntry& entry) {
    if (!started_ || layer.index != layer_) {
      return absl::FailedPreconditionError(
          absl::StrCat(Where(layer, entry), ": OnEntry outside OnLayerStart of that layer"));
    }
    if (++entries_ > limits_.max_entries) {
      return core::LimitExceeded("max_entries", limits_.max_entries, Where(layer, entry));
    }
    BULWARK_RETURN_IF_ERROR(Validate(layer, entry));
    if (entry.IsOpaqueWhiteout()) return Opaque(internal::PathDirName(entry.path));
    if (entry.IsWhiteout()) return Whiteout(layer, entry);
    return Place(layer, entry);
  }

  std::unique_ptr<internal::FilesystemState> Finish() {
    PathTree& tree = state_->tree;
    size_t size = 0;
    for (uint32_t id = 1; id < tree.node_count(); ++id) {
      const internal::Node& n = tree.node(id);
      if (!n.present) continue;
      ++size;
      if (n.record.type == EntryType::kHardlink) CheckHardlink(id);
    }
    state_->size = size;
    std::sort(state_->broken_hardlinks.begin(), state_->broken_hardlinks.end(),
              [](const BrokenHardlink& a, const BrokenHardlink& b) { return a.path < b.path; });
    tree.Freeze();
    return std::move(state_);
  }

 private:
  PathTree& tree() { return state_->tree; }

  absl::Status Validate(const LayerInfo& layer, const LayerEntry& entry) const {
    if (entry.path.size() > limits_.max_path_length ||
        entry.link_target.size() > limits_.max_path_length) {
      return core::LimitExceeded("max_path_length", limits_.max_path_length, Where(layer, entry));
    }
    if (HasBadComponent(entry.path) || absl::StrContains(entry.path, '\0')) {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(layer, entry), ": path is not normalised"));
    }
    if (absl::StrContains(entry.link_target, '\0') ||
        (entry.type == EntryType::kHardlink &&
         (entry.link_target.empty() || HasBadComponent(entry.link_target)))) {
      return absl::InvalidArgumentError(absl::StrCat(Where(layer, entry), ": bad link target \"",
                                                     absl::CHexEscape(entry.link_target), "\""));
    }
    return absl::OkStatus();
  }

  // Creates (absent) node `name` below `parent`, within max_entries.
  absl::StatusOr<uint32_t> Node(uint32_t parent, absl::string_view name, const LayerInfo& layer,
                                const LayerEntry& entry) {
    BULWARK_ASSIGN_OR_RETURN(uint32_t id, tree().FindOrAddChild(parent, name));
    if (tree().node_count() - 1 > limits_.max_entries) {  // The root is not an entry.
      return core::LimitExceeded("max_entries", limits_.max_entries,
                                 absl::StrCat(Where(layer, entry), ": distinct paths"));
    }
    return id;
  }

  absl::Status Place(const LayerInfo& layer, const LayerEntry& entry) {
    const bool is_dir = entry.type == EntryType::kDirectory;
    if (entry.path.empty()) {
      if (!is_dir) {
        return absl::InvalidArgumentError(
            absl::StrCat(Where(layer, entry), ": the root must be a directory"));
      }
      SetRecord(kRootNode, entry);
      return absl::OkStatus();
    }
    std::vector<absl::string_view> parts = absl::StrSplit(entry.path, '/');
    uint32_t parent = kRootNode;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      BULWARK_ASSIGN_OR_RETURN(parent, Node(parent, parts[i], layer, entry));
      EnsureDirectory(parent);
    }
    BULWARK_ASSIGN_OR_RETURN(uint32_t id, Node(parent, parts.back(), layer, entry));
    const internal::Node& n = tree().node(id);
    if (n.present) {
      if (is_dir && n.record.type == EntryType::kDirectory) {
        SetRecord(id, entry);  // Attributes only; the children stay.
        return absl::OkStatus();
      }
      HideSubtree(id, HiddenBy::kOverwrite);
    }
    SetRecord(id, entry);
    tree().Link(id);
    return absl::OkStatus();
  }

  void SetRecord(uint32_t id, const LayerEntry& entry) {
    EntryRecord r;
    r.type = entry.type;
    r.mode = entry.mode & 07777;
    r.uid = entry.uid;
    r.gid = entry.gid;
    r.size = entry.size;
    r.mtime = entry.mtime;
    r.layer = layer_;
    if (!entry.link_target.empty() || entry.device_major != 0 || entry.device_minor != 0 ||
        !entry.xattrs.empty()) {
      r.extra = tree().AddExtra(
          {entry.link_target, entry.device_major, entry.device_minor, entry.xattrs});
    }
    internal::Node& n = tree().mutable_node(id);
    n.record = r;
    n.present = true;
    n.implicit = false;
  }

  // Makes `id` a directory: kept if it is one, else (absent, or a non-directory that is replaced)
  // an implicit directory of this layer.
  void EnsureDirectory(uint32_t id) {
    const internal::Node& n = tree().node(id);
    if (n.present && n.record.type == EntryType::kDirectory) return;
    if (n.present) HideSubtree(id, HiddenBy::kOverwrite);
    MakeImplicitDirectory(id);
    tree().Link(id);
  }

  void MakeImplicitDirectory(uint32_t id) {
    internal::Node& n = tree().mutable_node(id);
    n.record = EntryRecord();
    n.record.type = EntryType::kDirectory;
    n.record.mode = 0755;
    n.record.layer = layer_;
    n.present = true;
    n.implicit = true;
  }

  // Hides one node whose children are already hidden; non-directories are listed as deleted.
  void MakeAbsent(uint32_t id, HiddenBy why) {
    internal::Node& n = tree().mutable_node(id);
    n.present = false;
    tree().ClearChildren(id);
    if (n.record.type != EntryType::kDirectory) {
      state_->deleted.push_back({n.record, id, layer_, why});
    }
  }

  // Hides `id` and everything below it, whatever their layer (an overwrite).
  void HideSubtree(uint32_t id, HiddenBy why) {
    tree().Unlink(id);
    std::vector<uint32_t> stack = {id};
    while (!stack.empty()) {
      uint32_t n = stack.back();
      stack.pop_back();
      for (uint32_t c = tree().FirstChild(n); c != kNoNode; c = tree().NextSibling(c)) {
        stack.push_back(c);
      }
      MakeAbsent(n, why);
    }
  }

  // Hides the lower-layer entries at and below `id` (below only, when !include_self).
  void HideLower(uint32_t id, bool include_self, HiddenBy why) {
    // A subtree walked before in this layer holds no lower-layer entry any more: nothing this
    // layer does can add one. Skipping it keeps repeated whiteouts linear.
    for (uint32_t a = id; a != kNoNode; a = tree().node(a).parent) {
      if (cleaned_.contains(a)) return;
    }
    cleaned_.insert(id);
    struct Frame {
      uint32_t node;
      bool expanded;
    };
    std::vector<Frame> stack = {{id, false}};
    while (!stack.empty()) {
      if (!stack.back().expanded) {
        stack.back().expanded = true;
        uint32_t n = stack.back().node;
        for (uint32_t c = tree().FirstChild(n); c != kNoNode; c = tree().NextSibling(c)) {
          stack.push_back({c, false});
        }
        continue;
      }
      uint32_t n = stack.back().node;
      stack.pop_back();
      if ((n == id && !include_self) || tree().node(n).record.layer >= layer_) continue;
      if (tree().FirstChild(n) != kNoNode) {
        MakeImplicitDirectory(n);  // Still holds this layer's entries.
      } else {
        tree().Unlink(n);
        MakeAbsent(n, why);
      }
    }
  }

  absl::Status Whiteout(const LayerInfo& layer, const LayerEntry& entry) {
    std::string target = entry.WhiteoutTarget();
    absl::string_view name = internal::PathBaseName(target);
    if (name.empty() || name == "." || name == "..") {
      return absl::InvalidArgumentError(
          absl::StrCat(Where(layer, entry), ": whiteout of \"", name, "\""));
    }
    // ".wh..wh.plnk" and the like are aufs bookkeeping, not whiteouts (Docker skips them too).
    if (absl::StartsWith(name, kWhiteoutPrefix)) return absl::OkStatus();
    uint32_t id = tree().FindPath(target);
    if (id != kNoNode && tree().node(id).present) HideLower(id, true, HiddenBy::kWhiteout);
    return absl::OkStatus();
  }

  absl::Status Opaque(absl::string_view directory) {
    uint32_t id = tree().FindPath(directory);
    if (id != kNoNode && tree().node(id).present &&
        tree().node(id).record.type == EntryType::kDirectory) {
      HideLower(id, false, HiddenBy::kOpaque);
    }
    return absl::OkStatus();
  }

  void CheckHardlink(uint32_t id) {
    const PathTree& t = state_->tree;
    const EntryRecord& link = t.node(id).record;
    const std::string& target = t.extra(link.extra).link_target;
    uint32_t target_id = t.FindPath(target);
    HardlinkProblem problem;
    if (target_id == kNoNode || !t.node(target_id).present) {
      problem = HardlinkProblem::kTargetMissing;
    } else if (t.node(target_id).record.type != EntryType::kRegular) {
      problem = HardlinkProblem::kTargetNotRegular;
    } else if (t.node(target_id).record.layer > link.layer) {
      problem = HardlinkProblem::kTargetReplaced;
    } else {
      return;
    }
    state_->broken_hardlinks.push_back({t.Path(id), link.layer, target, problem});
  }

  const core::Limits limits_;
  std::unique_ptr<internal::FilesystemState> state_;
  bool started_ = false;
  uint32_t layer_ = 0;
  uint64_t entries_ = 0;
  absl::flat_hash_set<uint32_t> cleaned_;  // Roots of this layer's whiteout walks.
};

FilesystemBuilder::FilesystemBuilder(const core::Limits& limits)
    : impl_(std::make_unique<Impl>(limits)) {}

FilesystemBuilder::~FilesystemBuilder() = default;

absl::Status FilesystemBuilder::OnLayerStart(const LayerInfo& layer) {
  return impl_->StartLayer(layer);
}

absl::Status FilesystemBuilder::OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                                        ContentReader* content) {
  return impl_->Add(layer, entry);
}

MergedFilesystem FilesystemBuilder::Finish() && { return MergedFilesystem(impl_->Finish()); }

}  // namespace bulwark::image
