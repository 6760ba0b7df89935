// MergedFilesystem queries over the frozen path tree.
#include "bulwark/image/filesystem.h"

#include <algorithm>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/image/internal/filesystem_state.h"
#include "bulwark/image/internal/path_tree.h"

namespace bulwark::image {
namespace {

using internal::kNoNode;
using internal::kRootNode;
using internal::PathTree;

// Linux's MAXSYMLINKS: the number of symlinks one resolution may follow.
constexpr int kMaxSymlinkHops = 40;

std::string Quote(absl::string_view path) {
  return absl::StrCat("\"", absl::CHexEscape(path), "\"");
}

}  // namespace

absl::string_view HiddenByName(HiddenBy hidden_by) {
  switch (hidden_by) {
    case HiddenBy::kWhiteout:
      return "whiteout";
    case HiddenBy::kOpaque:
      return "opaque";
    case HiddenBy::kOverwrite:
      return "overwrite";
  }
  return "overwrite";
}

absl::string_view HardlinkProblemName(HardlinkProblem problem) {
  switch (problem) {
    case HardlinkProblem::kTargetMissing:
      return "target-missing";
    case HardlinkProblem::kTargetNotRegular:
      return "target-not-regular";
    case HardlinkProblem::kTargetReplaced:
      return "target-replaced";
  }
  return "target-missing";
}

MergedFilesystem::MergedFilesystem(std::unique_ptr<internal::FilesystemState> state)
    : state_(std::move(state)) {}
MergedFilesystem::MergedFilesystem(MergedFilesystem&&) noexcept = default;
MergedFilesystem& MergedFilesystem::operator=(MergedFilesystem&&) noexcept = default;
MergedFilesystem::~MergedFilesystem() = default;

FileInfo MergedFilesystem::MakeInfo(uint32_t id, std::string path) const {
  const internal::Node& n = state_->tree.node(id);
  FileInfo info;
  info.entry = state_->tree.MakeEntry(std::move(path), n.record);
  info.layer = n.record.layer;
  info.implicit = n.implicit;
  info.id = id;
  return info;
}

absl::StatusOr<FileInfo> MergedFilesystem::Lookup(absl::string_view path) const {
  const PathTree& tree = state_->tree;
  uint32_t id = kRootNode;
  std::string normalised;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    if (part == "." || part == "..") {
      return absl::InvalidArgumentError(absl::StrCat("lookup of ", Quote(path),
                                                     ": \".\" and \"..\" are not allowed "
                                                     "(use ResolvePath)"));
    }
    id = tree.FindChild(id, part);
    if (id == kNoNode) {
      return absl::NotFoundError(absl::StrCat(Quote(path), " is not in the merged filesystem"));
    }
    absl::StrAppend(&normalised, normalised.empty() ? "" : "/", part);
  }
  return MakeInfo(id, std::move(normalised));
}

void MergedFilesystem::ForEach(absl::FunctionRef<void(const FileInfo&)> visit) const {
  const PathTree& tree = state_->tree;
  // Depth-first with an explicit stack (images may nest thousands deep); children pushed in
  // reverse so they pop in name order.
  struct Frame {
    uint32_t id;
    size_t parent_path_size;
  };
  std::vector<Frame> stack;
  std::string path;
  auto push_children = [&](uint32_t id) {
    absl::Span<const uint32_t> children = tree.Children(id);
    for (auto it = children.rbegin(); it != children.rend(); ++it) {
      stack.push_back({*it, path.size()});
    }
  };
  push_children(kRootNode);
  while (!stack.empty()) {
    Frame f = stack.back();
    stack.pop_back();
    path.resize(f.parent_path_size);
    if (!path.empty()) path.push_back('/');
    absl::StrAppend(&path, tree.name(f.id));
    visit(MakeInfo(f.id, path));
    push_children(f.id);
  }
}

size_t MergedFilesystem::size() const { return state_->size; }

uint32_t MergedFilesystem::id_bound() const {
  return static_cast<uint32_t>(state_->tree.node_count());
}

std::vector<DeletedFile> MergedFilesystem::DeletedFiles() const {
  std::vector<DeletedFile> files;
  files.reserve(state_->deleted.size());
  for (const internal::DeletedRecord& d : state_->deleted) {
    files.push_back({state_->tree.MakeEntry(state_->tree.Path(d.node), d.record), d.record.layer,
                     d.hidden_by_layer, d.hidden_by});
  }
  std::stable_sort(files.begin(), files.end(), [](const DeletedFile& a, const DeletedFile& b) {
    return std::tie(a.entry.path, a.layer) < std::tie(b.entry.path, b.layer);
  });
  return files;
}

const std::vector<BrokenHardlink>& MergedFilesystem::BrokenHardlinks() const {
  return state_->broken_hardlinks;
}

absl::StatusOr<std::string> MergedFilesystem::ResolvePath(absl::string_view path,
                                                          bool follow_final_symlink) const {
  const PathTree& tree = state_->tree;
  // Components still to resolve, last first, and the directories resolved so far (the root at
  // the bottom, so ".." there stays at the root).
  std::vector<std::string> pending;
  for (absl::string_view part : absl::StrSplit(path, '/', absl::SkipEmpty())) {
    pending.emplace_back(part);
  }
  std::reverse(pending.begin(), pending.end());
  std::vector<uint32_t> resolved = {kRootNode};
  int hops = 0;
  while (!pending.empty()) {
    std::string part = std::move(pending.back());
    pending.pop_back();
    if (part == ".") continue;
    if (part == "..") {
      if (resolved.size() > 1) resolved.pop_back();
      continue;
    }
    const internal::Node& dir = tree.node(resolved.back());
    if (dir.record.type != EntryType::kDirectory) {
      return absl::NotFoundError(absl::StrCat("resolving ", Quote(path), ": ",
                                              Quote(tree.Path(resolved.back())),
                                              " is not a directory"));
    }
    uint32_t id = tree.FindChild(resolved.back(), part);
    if (id == kNoNode) {
      std::string parent = tree.Path(resolved.back());
      return absl::NotFoundError(absl::StrCat(
          "resolving ", Quote(path), ": ",
          Quote(absl::StrCat(parent, parent.empty() ? "" : "/", part)), " does not exist"));
    }
    const internal::Node& n = tree.node(id);
    bool last = pending.empty();
    if (n.record.type != EntryType::kSymlink || (last && !follow_final_symlink)) {
      resolved.push_back(id);
      continue;
    }
    if (++hops > kMaxSymlinkHops) {
      return absl::InvalidArgumentError(absl::StrCat("resolving ", Quote(path), ": more than ",
                                                     kMaxSymlinkHops, " symlinks (a loop?)"));
    }
    if (n.record.extra == internal::kNoExtra) {
      return absl::NotFoundError(
          absl::StrCat("resolving ", Quote(path), ": ", Quote(tree.Path(id)), " is empty"));
    }
    const std::string& target = tree.extra(n.record.extra).link_target;
    if (absl::StartsWith(target, "/")) resolved.resize(1);
    std::vector<absl::string_view> parts = absl::StrSplit(target, '/', absl::SkipEmpty());
    for (auto it = parts.rbegin(); it != parts.rend(); ++it) pending.emplace_back(*it);
  }
  return tree.Path(resolved.back());
}

}  // namespace bulwark::image
