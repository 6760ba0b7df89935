#include "bulwark/image/internal/path_tree.h"

#include <algorithm>
#include <utility>

#include "absl/hash/hash.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"

namespace bulwark::image::internal {

PathTree::PathTree() : index_(0, ChildHash{this}, ChildEq{this}) {
  Node root;
  root.record.type = EntryType::kDirectory;
  root.record.mode = 0755;
  root.present = true;
  root.implicit = true;
  nodes_.push_back(root);
  links_.emplace_back();
}

absl::string_view PathTree::name(uint32_t id) const {
  const Node& n = nodes_[id];
  return absl::string_view(names_).substr(n.name_offset, n.name_size);
}

std::string PathTree::Path(uint32_t id) const {
  std::vector<absl::string_view> parts;
  for (uint32_t n = id; n != kRootNode; n = nodes_[n].parent) parts.push_back(name(n));
  std::reverse(parts.begin(), parts.end());
  return absl::StrJoin(parts, "/");
}

size_t PathTree::ChildHash::operator()(uint32_t id) const {
  return (*this)(ChildKey{tree->nodes_[id].parent, tree->name(id)});
}

size_t PathTree::ChildHash::operator()(const ChildKey& key) const {
  return absl::Hash<std::pair<uint32_t, absl::string_view>>{}({key.parent, key.name});
}

PathTree::ChildKey PathTree::ChildEq::Key(uint32_t id) const {
  return ChildKey{tree->nodes_[id].parent, tree->name(id)};
}

bool PathTree::ChildEq::operator()(uint32_t a, const ChildKey& b) const {
  ChildKey ka = Key(a);
  return ka.parent == b.parent && ka.name == b.name;
}

uint32_t PathTree::FindChild(uint32_t parent, absl::string_view child_name) const {
  if (!frozen_) {
    auto it = index_.find(ChildKey{parent, child_name});
    return it == index_.end() ? kNoNode : *it;
  }
  absl::Span<const uint32_t> children = Children(parent);
  auto it = std::lower_bound(children.begin(), children.end(), child_name,
                             [this](uint32_t id, absl::string_view n) { return name(id) < n; });
  return it != children.end() && name(*it) == child_name ? *it : kNoNode;
}

uint32_t PathTree::FindPath(absl::string_view path) const {
  uint32_t id = kRootNode;
  if (path.empty()) return id;
  for (absl::string_view part : absl::StrSplit(path, '/')) {
    id = FindChild(id, part);
    if (id == kNoNode) return kNoNode;
  }
  return id;
}

absl::StatusOr<uint32_t> PathTree::FindOrAddChild(uint32_t parent, absl::string_view child_name) {
  uint32_t found = FindChild(parent, child_name);
  if (found != kNoNode) return found;
  if (names_.size() + child_name.size() > std::numeric_limits<uint32_t>::max() ||
      nodes_.size() >= kNoNode - 1) {
    return absl::ResourceExhaustedError("merged filesystem: more than 4 GiB of path names");
  }
  Node n;
  n.parent = parent;
  n.name_offset = static_cast<uint32_t>(names_.size());
  n.name_size = static_cast<uint32_t>(child_name.size());
  names_.append(child_name.data(), child_name.size());
  uint32_t id = static_cast<uint32_t>(nodes_.size());
  nodes_.push_back(n);
  links_.emplace_back();
  index_.insert(id);
  return id;
}

void PathTree::Link(uint32_t id) {
  Links& links = links_[id];
  Links& parent = links_[nodes_[id].parent];
  links.prev_sibling = kNoNode;
  links.next_sibling = parent.first_child;
  if (parent.first_child != kNoNode) links_[parent.first_child].prev_sibling = id;
  parent.first_child = id;
}

void PathTree::Unlink(uint32_t id) {
  Links& links = links_[id];
  if (links.prev_sibling != kNoNode) {
    links_[links.prev_sibling].next_sibling = links.next_sibling;
  } else {
    links_[nodes_[id].parent].first_child = links.next_sibling;
  }
  if (links.next_sibling != kNoNode) links_[links.next_sibling].prev_sibling = links.prev_sibling;
  links.prev_sibling = links.next_sibling = kNoNode;
}

uint32_t PathTree::AddExtra(EntryExtra extra) {
  extras_.push_back(std::move(extra));
  return static_cast<uint32_t>(extras_.size() - 1);
}

void PathTree::Freeze() {
  for (uint32_t id = 0; id < nodes_.size(); ++id) {
    Node& n = nodes_[id];
    n.children_begin = static_cast<uint32_t>(children_.size());
    n.children_count = 0;
    if (!n.present) continue;
    for (uint32_t c = links_[id].first_child; c != kNoNode; c = links_[c].next_sibling) {
      children_.push_back(c);
    }
    n.children_count = static_cast<uint32_t>(children_.size()) - n.children_begin;
    std::sort(children_.begin() + n.children_begin, children_.end(),
              [this](uint32_t a, uint32_t b) { return name(a) < name(b); });
  }
  children_.shrink_to_fit();
  std::vector<Links>().swap(links_);
  index_ = decltype(index_)(0, ChildHash{this}, ChildEq{this});
  frozen_ = true;
}

absl::Span<const uint32_t> PathTree::Children(uint32_t id) const {
  const Node& n = nodes_[id];
  return absl::MakeConstSpan(children_).subspan(n.children_begin, n.children_count);
}

LayerEntry PathTree::MakeEntry(std::string path, const EntryRecord& record) const {
  LayerEntry entry;
  entry.path = std::move(path);
  entry.type = record.type;
  entry.mode = record.mode;
  entry.uid = record.uid;
  entry.gid = record.gid;
  entry.size = record.size;
  entry.mtime = record.mtime;
  if (record.extra != kNoExtra) {
    const EntryExtra& extra = extras_[record.extra];
    entry.link_target = extra.link_target;
    entry.device_major = extra.device_major;
    entry.device_minor = extra.device_minor;
    entry.xattrs = extra.xattrs;
  }
  return entry;
}

}  // namespace bulwark::image::internal
