// Every version of a set of tracked files across the layers of an image, with the OCI whiteout
// rules applied, so that the final state (and each earlier one) of each file is known after one
// pass. Only paths that were recorded at least once are tracked; other entries only delete.
//   PathHistory<std::string> history;
//   history.Note(entry);                          // every entry of the layer, in any order
//   history.Record(layer, "etc/os-release", text);  // each tracked regular file's content
//   history.EndLayer(layer);
// Thread safety: none; one walk drives one PathHistory.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_PATH_HISTORY_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_PATH_HISTORY_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/btree_set.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/layer_entry.h"

namespace bulwark::sbom::internal {

template <typename T>
class PathHistory {
 public:
  // One version of a file: its value as of `layer`, or nullopt when `layer` deleted it.
  struct Version {
    size_t layer = 0;
    std::optional<T> value;
  };
  using Map = absl::btree_map<std::string, std::vector<Version>, std::less<>>;

  // Takes note of an entry of the current layer that deletes lower-layer versions: a whiteout, an
  // opaque-directory marker, or any entry at (or, when not a directory, above) a tracked path.
  void Note(const image::LayerEntry& entry) {
    if (entry.IsOpaqueWhiteout()) {
      const size_t slash = entry.path.rfind('/');
      DeleteBelow(slash == std::string::npos ? "" : entry.path.substr(0, slash));
    } else if (entry.IsWhiteout()) {
      const std::string target = entry.WhiteoutTarget();
      DeleteAt(target);
      DeleteBelow(target);
    } else {
      DeleteAt(entry.path);  // Undone by a Record of the same path in this layer.
      if (entry.type != image::EntryType::kDirectory) DeleteBelow(entry.path);
    }
  }

  // Records the version of `path` that layer `layer` ships (a value, or nullopt for a version
  // that could not be read and so declares nothing). Layers must come bottom to top.
  void Record(size_t layer, absl::string_view path, std::optional<T> value) {
    std::vector<Version>& versions = paths_[path];
    if (!versions.empty() && versions.back().layer == layer) {
      versions.back().value = std::move(value);  // A duplicate tar member: the last one wins.
    } else {
      versions.push_back(Version{layer, std::move(value)});
    }
  }

  // Applies the deletions noted in layer `layer` to versions from lower layers.
  void EndLayer(size_t layer) {
    for (const std::string& path : pending_deletions_) {
      auto it = paths_.find(path);
      if (it == paths_.end()) continue;
      std::vector<Version>& versions = it->second;
      if (versions.back().layer >= layer || !versions.back().value.has_value()) continue;
      versions.push_back(Version{layer, std::nullopt});
    }
    pending_deletions_.clear();
  }

  // Every tracked path with its versions, bottom first.
  const Map& paths() const { return paths_; }

 private:
  void DeleteAt(absl::string_view path) {
    if (paths_.find(path) != paths_.end()) pending_deletions_.insert(std::string(path));
  }
  // Every tracked path strictly below directory `dir` ("" is the root).
  void DeleteBelow(absl::string_view dir) {
    const std::string prefix = dir.empty() ? "" : absl::StrCat(dir, "/");
    for (auto it = paths_.lower_bound(prefix);
         it != paths_.end() && absl::StartsWith(it->first, prefix); ++it) {
      pending_deletions_.insert(it->first);
    }
  }

  Map paths_;
  absl::btree_set<std::string> pending_deletions_;
};

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_PATH_HISTORY_H_
