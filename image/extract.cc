#include "bulwark/image/extract.h"

#include <errno.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/entry_path.h"
#include "bulwark/image/internal/safe_dir.h"

namespace bulwark::image {
namespace {

using internal::OpenDirectoryBeneath;
using internal::UniqueFd;

struct SplitPath {
  absl::string_view parent;
  absl::string_view name;
};

SplitPath Split(absl::string_view path) {
  return {internal::PathDirName(path), internal::PathBaseName(path)};
}

struct timespec Timespec(int64_t seconds) {
  struct timespec t = {};
  t.tv_sec = static_cast<time_t>(seconds);
  return t;
}

}  // namespace

class ExtractVisitor::Impl {
 public:
  Impl(const MergedFilesystem& fs, std::string dest, const ExtractOptions& options, UniqueFd root)
      : fs_(fs),
        dest_(std::move(dest)),
        options_(options),
        root_(std::move(root)),
        written_(fs.id_bound(), false) {}

  absl::Status CreateDirectories() {
    absl::Status status;
    fs_.ForEach([&](const FileInfo& f) {
      if (!status.ok() || f.entry.type != EntryType::kDirectory) return;
      status = MakeDirectory(f.entry.path);
    });
    return status;
  }

  bool WantsContent(const LayerEntry& entry) const { return IsFinalFile(entry).ok(); }

  void StartLayer(size_t index) { layer_ = index; }

  absl::Status WriteFile(const LayerEntry& entry, ContentReader* content) {
    if (content == nullptr) return absl::OkStatus();
    absl::StatusOr<FileInfo> final_file = IsFinalFile(entry);
    if (!final_file.ok()) return absl::OkStatus();
    const FileInfo& f = *final_file;
    BULWARK_ASSIGN_OR_RETURN(UniqueFd fd, CreateFile(f.entry.path));
    std::vector<char> buffer(64 * 1024);
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(size_t n, content->Read(buffer.data(), buffer.size()));
      if (n == 0) break;
      for (size_t done = 0; done < n;) {
        ssize_t w = ::write(fd.get(), buffer.data() + done, n - done);
        if (w < 0 && errno == EINTR) continue;
        if (w < 0) return Error(errno, f.entry.path);
        done += static_cast<size_t>(w);
      }
    }
    if (content->truncated()) Skip(f.entry.path, "content truncated at the walk's max_file_bytes");
    BULWARK_RETURN_IF_ERROR(SetAttributes(fd.get(), f.entry));
    written_[f.id] = true;
    ++result_.regular_files;
    return absl::OkStatus();
  }

  absl::StatusOr<ExtractResult> Finish() {
    std::vector<FileInfo> directories;
    absl::Status status;
    fs_.ForEach([&](const FileInfo& f) {
      if (!status.ok()) return;
      if (f.entry.type == EntryType::kDirectory) {
        directories.push_back(f);
      } else {
        status = FinishEntry(f);
      }
    });
    BULWARK_RETURN_IF_ERROR(status);
    // Deepest first, so a read-only directory is closed only after everything below it.
    for (auto it = directories.rbegin(); it != directories.rend(); ++it) {
      BULWARK_ASSIGN_OR_RETURN(UniqueFd fd, OpenDir(it->entry.path));
      BULWARK_RETURN_IF_ERROR(SetAttributes(fd.get(), it->entry));
      ++result_.directories;
    }
    std::sort(result_.skipped.begin(), result_.skipped.end(),
              [](const ExtractResult::Skipped& a, const ExtractResult::Skipped& b) {
                return a.path < b.path;
              });
    return std::move(result_);
  }

 private:
  absl::StatusOr<FileInfo> IsFinalFile(const LayerEntry& entry) const {
    if (entry.type != EntryType::kRegular) return absl::NotFoundError("not a regular file");
    BULWARK_ASSIGN_OR_RETURN(FileInfo f, fs_.Lookup(entry.path));
    if (f.layer != layer_ || f.entry.type != EntryType::kRegular) {
      return absl::NotFoundError("not the final copy");
    }
    return f;
  }

  absl::Status Error(int error, absl::string_view path) const {
    return core::ErrnoToStatus(error, absl::StrCat("extract to ", dest_, ": \"", path, "\""));
  }

  void Skip(absl::string_view path, absl::string_view reason) {
    result_.skipped.push_back({std::string(path), std::string(reason)});
  }

  absl::StatusOr<UniqueFd> OpenDir(absl::string_view path) const {
    return OpenDirectoryBeneath(root_.get(), path, absl::StrCat("extract to ", dest_));
  }

  // Removes whatever `name` in `dir` is, unless it is a directory.
  absl::Status RemoveExisting(int dir, absl::string_view name, absl::string_view path) const {
    std::string n(name);
    if (::unlinkat(dir, n.c_str(), 0) == 0 || errno == ENOENT) return absl::OkStatus();
    if (errno == EISDIR) {
      return absl::FailedPreconditionError(
          absl::StrCat("extract to ", dest_, ": \"", path, "\" is a directory in the destination"));
    }
    return Error(errno, path);
  }

  absl::Status MakeDirectory(absl::string_view path) {
    SplitPath p = Split(path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDir(p.parent));
    std::string name(p.name);
    if (::mkdirat(dir.get(), name.c_str(), 0700) == 0) return absl::OkStatus();
    if (errno != EEXIST) return Error(errno, path);
    struct stat st;
    if (::fstatat(dir.get(), name.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error(errno, path);
    }
    if (S_ISDIR(st.st_mode)) {
      // Ours from now on: writable while we fill it, final mode in Finish.
      BULWARK_ASSIGN_OR_RETURN(UniqueFd existing, OpenDir(path));
      if (::fchmod(existing.get(), 0700) != 0) return Error(errno, path);
      return absl::OkStatus();
    }
    // A symlink or file planted where the tree has a directory: replace it, never follow it.
    BULWARK_RETURN_IF_ERROR(RemoveExisting(dir.get(), name, path));
    if (::mkdirat(dir.get(), name.c_str(), 0700) != 0) return Error(errno, path);
    return absl::OkStatus();
  }

  // O_EXCL after unlinking: a planted symlink or hardlink to a file elsewhere is replaced,
  // never written through.
  absl::StatusOr<UniqueFd> CreateFile(absl::string_view path) {
    SplitPath p = Split(path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDir(p.parent));
    BULWARK_RETURN_IF_ERROR(RemoveExisting(dir.get(), p.name, path));
    std::string name(p.name);
    int fd = ::openat(dir.get(), name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC,
                      0600);
    if (fd < 0) return Error(errno, path);
    return UniqueFd(fd);
  }

  uint32_t Mode(const LayerEntry& entry) const {
    return entry.mode & (options_.keep_setuid_setgid ? 07777u : 01777u);
  }

  // Owner first: chown clears setuid/setgid bits, so the mode comes after it.
  absl::Status SetAttributes(int fd, const LayerEntry& entry) const {
    if (options_.preserve_owners && ::fchown(fd, entry.uid, entry.gid) != 0) {
      return Error(errno, entry.path);
    }
    if (::fchmod(fd, Mode(entry)) != 0) return Error(errno, entry.path);
    struct timespec times[2] = {Timespec(entry.mtime), Timespec(entry.mtime)};
    if (::futimens(fd, times) != 0) return Error(errno, entry.path);
    return absl::OkStatus();
  }

  absl::Status FinishEntry(const FileInfo& f) {
    const LayerEntry& e = f.entry;
    switch (e.type) {
      case EntryType::kRegular:
        if (written_[f.id]) return absl::OkStatus();
        {
          BULWARK_ASSIGN_OR_RETURN(UniqueFd fd, CreateFile(e.path));
          BULWARK_RETURN_IF_ERROR(SetAttributes(fd.get(), e));
        }
        Skip(e.path, "content not received (created empty)");
        return absl::OkStatus();
      case EntryType::kSymlink:
        return MakeSymlink(e);
      case EntryType::kHardlink:
        return MakeHardlink(f);
      case EntryType::kCharDevice:
      case EntryType::kBlockDevice:
        if (!options_.devices) {
          Skip(e.path, "device node (ExtractOptions::devices is off)");
          return absl::OkStatus();
        }
        if (::geteuid() != 0) {
          Skip(e.path, "device node (needs root)");
          return absl::OkStatus();
        }
        return MakeNode(e, (e.type == EntryType::kCharDevice ? S_IFCHR : S_IFBLK),
                        makedev(e.device_major, e.device_minor));
      case EntryType::kFifo:
        return MakeNode(e, S_IFIFO, 0);
      case EntryType::kDirectory:
      case EntryType::kOther:
        break;
    }
    Skip(e.path, absl::StrCat("unsupported entry type ", EntryTypeName(e.type)));
    return absl::OkStatus();
  }

  absl::Status MakeSymlink(const LayerEntry& e) {
    SplitPath p = Split(e.path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDir(p.parent));
    BULWARK_RETURN_IF_ERROR(RemoveExisting(dir.get(), p.name, e.path));
    std::string name(p.name);
    if (::symlinkat(e.link_target.c_str(), dir.get(), name.c_str()) != 0) {
      return Error(errno, e.path);
    }
    if (options_.preserve_owners &&
        ::fchownat(dir.get(), name.c_str(), e.uid, e.gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error(errno, e.path);
    }
    struct timespec times[2] = {Timespec(e.mtime), Timespec(e.mtime)};
    if (::utimensat(dir.get(), name.c_str(), times, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error(errno, e.path);
    }
    ++result_.symlinks;
    return absl::OkStatus();
  }

  // Links only to a regular file this extraction wrote, and only when it is still the file the
  // hardlink's layer linked to.
  absl::Status MakeHardlink(const FileInfo& f) {
    const LayerEntry& e = f.entry;
    absl::StatusOr<FileInfo> target = fs_.Lookup(e.link_target);
    if (!target.ok() || target->entry.type != EntryType::kRegular || target->layer > f.layer ||
        !written_[target->id]) {
      Skip(e.path,
           absl::StrCat("hardlink target \"", e.link_target, "\" is not an extracted file"));
      return absl::OkStatus();
    }
    SplitPath t = Split(target->entry.path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd target_dir, OpenDir(t.parent));
    SplitPath p = Split(e.path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDir(p.parent));
    BULWARK_RETURN_IF_ERROR(RemoveExisting(dir.get(), p.name, e.path));
    std::string target_name(t.name), name(p.name);
    // No AT_SYMLINK_FOLLOW: a symlink at the target name would be linked itself, not followed.
    if (::linkat(target_dir.get(), target_name.c_str(), dir.get(), name.c_str(), 0) != 0) {
      return Error(errno, e.path);
    }
    ++result_.hardlinks;
    return absl::OkStatus();
  }

  absl::Status MakeNode(const LayerEntry& e, mode_t type, dev_t device) {
    SplitPath p = Split(e.path);
    BULWARK_ASSIGN_OR_RETURN(UniqueFd dir, OpenDir(p.parent));
    BULWARK_RETURN_IF_ERROR(RemoveExisting(dir.get(), p.name, e.path));
    std::string name(p.name);
    if (::mknodat(dir.get(), name.c_str(), type | 0600, device) != 0) {
      if (errno == EPERM) {  // No CAP_MKNOD (e.g. root in a user namespace).
        Skip(e.path, "special file (mknod not permitted)");
        return absl::OkStatus();
      }
      return Error(errno, e.path);
    }
    if (options_.preserve_owners &&
        ::fchownat(dir.get(), name.c_str(), e.uid, e.gid, AT_SYMLINK_NOFOLLOW) != 0) {
      return Error(errno, e.path);
    }
    // fchmodat follows symlinks, but the name is the node mknodat just made.
    if (::fchmodat(dir.get(), name.c_str(), Mode(e), 0) != 0) return Error(errno, e.path);
    ++result_.special_files;
    return absl::OkStatus();
  }

  const MergedFilesystem& fs_;
  const std::string dest_;
  const ExtractOptions options_;
  const UniqueFd root_;
  size_t layer_ = 0;
  std::vector<bool> written_;  // By FileInfo::id: regular files this extraction wrote.
  ExtractResult result_;
};

absl::StatusOr<std::unique_ptr<ExtractVisitor>> ExtractVisitor::Create(
    const MergedFilesystem& fs, const std::string& dest, const ExtractOptions& options) {
  int fd = ::open(dest.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return core::ErrnoToStatus(errno, absl::StrCat("extract to ", dest));
  auto impl = std::make_unique<Impl>(fs, dest, options, UniqueFd(fd));
  BULWARK_RETURN_IF_ERROR(impl->CreateDirectories());
  return std::unique_ptr<ExtractVisitor>(new ExtractVisitor(std::move(impl)));
}

ExtractVisitor::ExtractVisitor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
ExtractVisitor::~ExtractVisitor() = default;

bool ExtractVisitor::WantsContent(const LayerEntry& entry) const {
  return impl_->WantsContent(entry);
}

absl::Status ExtractVisitor::OnLayerStart(const LayerInfo& layer) {
  impl_->StartLayer(layer.index);
  return absl::OkStatus();
}

absl::Status ExtractVisitor::OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                                     ContentReader* content) {
  return impl_->WriteFile(entry, content);
}

absl::StatusOr<ExtractResult> ExtractVisitor::Finish() && { return impl_->Finish(); }

}  // namespace bulwark::image
