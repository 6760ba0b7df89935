// The compact path store behind MergedFilesystem: one node per distinct path ever seen (a trie
// keyed by parent and name, names in one arena), each with the metadata of its current entry.
//   PathTree tree;
//   BULWARK_ASSIGN_OR_RETURN(uint32_t etc, tree.FindOrAddChild(kRootNode, "etc"));
//   tree.Freeze();  // sorted children, build index dropped; then FindChild is a binary search
// Thread safety: const methods of a frozen tree may run concurrently; building is single-threaded.
//
// Cost per path: a 64-byte Node, the name bytes, and while building 12 bytes of sibling links plus
// about 5 bytes of hash index; after Freeze the links and index are freed and 4 bytes of sorted
// child index remain. Link targets, device numbers and xattrs live in a side table (EntryExtra)
// used only by entries that have them.
#ifndef BULWARK_IMAGE_INTERNAL_PATH_TREE_H_
#define BULWARK_IMAGE_INTERNAL_PATH_TREE_H_

#include <cstdint>
#include <limits>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/image/layer_entry.h"

namespace bulwark::image::internal {

inline constexpr uint32_t kNoNode = std::numeric_limits<uint32_t>::max();
inline constexpr uint32_t kRootNode = 0;
inline constexpr uint32_t kNoExtra = std::numeric_limits<uint32_t>::max();

// The rarely present parts of a LayerEntry.
struct EntryExtra {
  std::string link_target;
  uint32_t device_major = 0;
  uint32_t device_minor = 0;
  std::vector<std::pair<std::string, std::string>> xattrs;
};

// A LayerEntry without its path, plus the layer it came from.
struct EntryRecord {
  int64_t size = 0;
  int64_t mtime = 0;
  uint32_t mode = 0;
  uint32_t uid = 0;
  uint32_t gid = 0;
  uint32_t layer = 0;
  uint32_t extra = kNoExtra;  // Index into PathTree::extra(), or kNoExtra.
  EntryType type = EntryType::kDirectory;
};

struct Node {
  EntryRecord record;  // Meaningful while `present`.
  uint32_t parent = kNoNode;
  uint32_t name_offset = 0;
  uint32_t name_size = 0;
  uint32_t children_begin = 0;  // Frozen trees: this node's slice of the sorted child index.
  uint32_t children_count = 0;
  bool present = false;   // Part of the current tree (false once hidden or replaced).
  bool implicit = false;  // A directory only created as the parent of other entries.
};

class PathTree {
 public:
  // A tree holding the root directory: present, implicit, mode 0755.
  PathTree();
  PathTree(const PathTree&) = delete;
  PathTree& operator=(const PathTree&) = delete;

  size_t node_count() const { return nodes_.size(); }
  const Node& node(uint32_t id) const { return nodes_[id]; }
  Node& mutable_node(uint32_t id) { return nodes_[id]; }
  absl::string_view name(uint32_t id) const;
  // The normalised path of node `id` ("" for the root).
  std::string Path(uint32_t id) const;

  // The child of `parent` called `name`, present or not; kNoNode if none.
  uint32_t FindChild(uint32_t parent, absl::string_view name) const;
  // The node for `path` (normalised, "" = root) whether present or not; kNoNode if none.
  uint32_t FindPath(absl::string_view path) const;

  // Building. Returns the child called `name`, creating an absent node when there is none.
  // Errors: ResourceExhausted when the name arena would pass 4 GiB.
  absl::StatusOr<uint32_t> FindOrAddChild(uint32_t parent, absl::string_view name);
  // Adds a present node to / removes it from its parent's child list (only present nodes are
  // listed, so walks over a subtree never see hidden ones).
  void Link(uint32_t id);
  void Unlink(uint32_t id);
  // Present children of `id`, in no particular order (building only):
  //   for (uint32_t c = tree.FirstChild(id); c != kNoNode; c = tree.NextSibling(c)) ...
  uint32_t FirstChild(uint32_t id) const { return links_[id].first_child; }
  uint32_t NextSibling(uint32_t id) const { return links_[id].next_sibling; }
  // Forgets the child list of a node that stops being present (its children are hidden too).
  void ClearChildren(uint32_t id) { links_[id].first_child = kNoNode; }
  uint32_t AddExtra(EntryExtra extra);
  const EntryExtra& extra(uint32_t index) const { return extras_[index]; }

  // Sorts each present node's present children by name into one index and frees the build-only
  // links and hash index. Building methods must not be called afterwards.
  void Freeze();
  // Frozen trees: present children in byte order of their names.
  absl::Span<const uint32_t> Children(uint32_t id) const;

  // `record` as a LayerEntry at `path`.
  LayerEntry MakeEntry(std::string path, const EntryRecord& record) const;

 private:
  struct Links {
    uint32_t first_child = kNoNode;
    uint32_t next_sibling = kNoNode;
    uint32_t prev_sibling = kNoNode;
  };
  struct ChildKey {
    uint32_t parent;
    absl::string_view name;
  };
  // Hashes and compares node ids by (parent, name) and accepts ChildKey for lookups, so the
  // index stores only 4-byte ids. Both point back at the tree, which therefore never moves.
  struct ChildHash {
    using is_transparent = void;
    const PathTree* tree;
    size_t operator()(uint32_t id) const;
    size_t operator()(const ChildKey& key) const;
  };
  struct ChildEq {
    using is_transparent = void;
    const PathTree* tree;
    ChildKey Key(uint32_t id) const;
    bool operator()(uint32_t a, uint32_t b) const { return a == b; }
    bool operator()(uint32_t a, const ChildKey& b) const;
    bool operator()(const ChildKey& a, uint32_t b) const { return (*this)(b, a); }
  };

  std::vector<Node> nodes_;
  std::string names_;
  std::vector<EntryExtra> extras_;
  std::vector<Links> links_;                                 // Building only.
  absl::flat_hash_set<uint32_t, ChildHash, ChildEq> index_;  // Building only.
  std::vector<uint32_t> children_;                           // Frozen only: the sorted child index.
  bool frozen_ = false;
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_PATH_TREE_H_
