#include "bulwark/image/risk/internal/file_analyzer.h"

#include <cstdint>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/risk/internal/findings.h"

namespace bulwark::image::internal {
namespace {

using core::v1::SEVERITY_HIGH;
using core::v1::SEVERITY_LOW;
using core::v1::SEVERITY_MEDIUM;

constexpr absl::string_view kCategory = "file";
constexpr uint32_t kSetuid = 04000;
constexpr uint32_t kSetgid = 02000;
constexpr uint32_t kSticky = 01000;
constexpr uint32_t kOtherWrite = 0002;
constexpr uint32_t kAnyExecute = 0111;
constexpr size_t kMaxExamples = 5;

absl::string_view BaseName(absl::string_view path) {
  const size_t slash = path.rfind('/');
  return slash == absl::string_view::npos ? path : path.substr(slash + 1);
}

// "core" or "core.<pid>": the names the kernel gives core dumps by default.
bool CoreDumpName(absl::string_view path) {
  absl::string_view name = BaseName(path);
  if (name == "core") return true;
  uint64_t pid;
  return absl::ConsumePrefix(&name, "core.") && absl::SimpleAtoi(name, &pid);
}

// ELF header with e_type ET_CORE (4), in either byte order.
bool IsElfCore(absl::string_view head) {
  if (head.size() < 18 || !absl::StartsWith(head,
                                            "\x7f"
                                            "ELF"))
    return false;
  const bool little_endian = head[5] == 1;
  const auto lo = static_cast<unsigned char>(head[little_endian ? 16 : 17]);
  const auto hi = static_cast<unsigned char>(head[little_endian ? 17 : 16]);
  return lo == 4 && hi == 0;
}

bool UnderTemporaryDirectory(absl::string_view path) {
  return absl::StartsWith(path, "tmp/") || absl::StartsWith(path, "var/tmp/") ||
         absl::StartsWith(path, "dev/shm/") || absl::StartsWith(path, "run/shm/");
}

bool SshPrivateKey(absl::string_view path) {
  const absl::string_view name = BaseName(path);
  if (absl::EndsWith(name, ".pub")) return false;
  if (absl::StartsWith(path, "etc/ssh/") && absl::StartsWith(name, "ssh_host_") &&
      absl::EndsWith(name, "_key")) {
    return true;
  }
  return absl::StrContains(path, ".ssh/") && absl::StartsWith(name, "id_");
}

// Credential stores of well-known tools, in home directories (not packaged samples in usr/).
bool CredentialFile(absl::string_view path) {
  if (absl::StartsWith(path, "usr/")) return false;
  for (absl::string_view suffix : {".aws/credentials", ".docker/config.json", ".kube/config",
                                   ".config/gcloud/credentials.db", ".azure/accessTokens.json"}) {
    if (absl::EndsWith(path, suffix)) return true;
  }
  const absl::string_view name = BaseName(path);
  for (absl::string_view file :
       {".npmrc", ".pypirc", ".netrc", ".git-credentials", ".pgpass", ".my.cnf", ".htpasswd"}) {
    if (name == file) return true;
  }
  return false;
}

// Numeric ids (field `id_field`) of a passwd- or group-format file.
std::set<uint32_t> ReadIds(absl::string_view content, size_t id_field) {
  std::set<uint32_t> ids;
  for (absl::string_view line : absl::StrSplit(content, '\n')) {
    std::vector<absl::string_view> fields = absl::StrSplit(line, ':');
    uint32_t id;
    if (fields.size() > id_field && absl::SimpleAtoi(fields[id_field], &id)) ids.insert(id);
  }
  return ids;
}

std::string OctalMode(uint32_t mode) { return absl::StrFormat("%04o", mode & 07777); }

class FileVisitor : public LayerVisitor {
 public:
  bool WantsContent(const LayerEntry& entry) const override {
    return entry.path == "etc/passwd" || entry.path == "etc/group" || CoreDumpName(entry.path);
  }

  absl::Status OnEntry(const LayerInfo& layer, const LayerEntry& entry,
                       ContentReader* content) override {
    if (content == nullptr) return absl::OkStatus();
    if (CoreDumpName(entry.path)) {
      char head[18];
      size_t got = 0;
      while (got < sizeof(head)) {
        BULWARK_ASSIGN_OR_RETURN(size_t n, content->Read(head + got, sizeof(head) - got));
        if (n == 0) break;
        got += n;
      }
      if (IsElfCore(absl::string_view(head, got))) core_dumps_.insert({entry.path, layer.index});
      return absl::OkStatus();
    }
    BULWARK_ASSIGN_OR_RETURN(std::string text, content->ReadAll());
    id_files_[entry.path] = {layer.index, std::move(text)};
    return absl::OkStatus();
  }

  // The content of `path` when the merged tree's version is the one read.
  const std::string* FinalContent(const MergedFilesystem& filesystem,
                                  const std::string& path) const {
    auto it = id_files_.find(path);
    absl::StatusOr<FileInfo> info = filesystem.Lookup(path);
    if (it == id_files_.end() || !info.ok() || info->layer != it->second.first) return nullptr;
    return &it->second.second;
  }

  const std::set<std::pair<std::string, size_t>>& core_dumps() const { return core_dumps_; }

 private:
  std::map<std::string, std::pair<size_t, std::string>> id_files_;
  std::set<std::pair<std::string, size_t>> core_dumps_;
};

// Files owned by one unknown id, reported once.
struct UnknownOwner {
  size_t files = 0;
  std::vector<std::string> examples;
  size_t layer = 0;
  std::string first_path;
};

class FileAnalyzer : public Analyzer {
 public:
  LayerVisitor* visitor() override { return &visitor_; }

  absl::Status Finish(const ScanContext& context, core::v1::Report& report) override {
    const MergedFilesystem& fs = context.filesystem;
    const std::string* passwd = visitor_.FinalContent(fs, "etc/passwd");
    const std::string* group = visitor_.FinalContent(fs, "etc/group");
    const std::set<uint32_t> uids = passwd ? ReadIds(*passwd, 2) : std::set<uint32_t>();
    const std::set<uint32_t> gids = group ? ReadIds(*group, 2) : std::set<uint32_t>();
    std::map<std::pair<std::string, uint32_t>, UnknownOwner> unknown;

    auto add = [&](absl::string_view id, core::v1::Severity severity, std::string title,
                   const FileInfo& info) -> core::v1::Finding& {
      core::v1::Finding& finding = AddFinding(report, id, severity, kCategory, title);
      SetFileLocation(context.image, info.entry.path, info.layer, finding);
      auto& properties = *finding.mutable_properties();
      properties["mode"] = OctalMode(info.entry.mode);
      properties["owner"] = absl::StrCat(info.entry.uid, ":", info.entry.gid);
      return finding;
    };

    fs.ForEach([&](const FileInfo& info) {
      if (info.implicit) return;
      const LayerEntry& entry = info.entry;
      const std::string path = ImagePath(entry.path);
      const bool regular = entry.type == EntryType::kRegular;
      const bool directory = entry.type == EntryType::kDirectory;
      if (regular && (entry.mode & (kSetuid | kSetgid)) != 0) {
        const std::string bits = (entry.mode & kSetuid) && (entry.mode & kSetgid) ? "setuid+setgid"
                                 : (entry.mode & kSetuid)                         ? "setuid"
                                                                                  : "setgid";
        core::v1::Finding& finding =
            add("BWK-FILE-001", info.layer == 0 ? SEVERITY_LOW : SEVERITY_MEDIUM,
                absl::StrCat(bits, " executable ", path, " (", OctalMode(entry.mode), ", owner ",
                             entry.uid, ":", entry.gid, ")"),
                info);
        (*finding.mutable_properties())["bits"] = bits;
        (*finding.mutable_properties())["cis_docker"] = "4.8";
        (*finding.mutable_properties())["dockle"] = "CIS-DI-0008";
      }
      if ((regular || directory) && (entry.mode & kOtherWrite) != 0 &&
          !(directory && (entry.mode & kSticky) != 0)) {
        add("BWK-FILE-002", SEVERITY_MEDIUM,
            absl::StrCat(directory ? "World-writable directory without the sticky bit "
                                   : "World-writable file ",
                         path, " (", OctalMode(entry.mode), ")"),
            info);
      }
      if (passwd != nullptr && !uids.contains(entry.uid)) {
        UnknownOwner& owner = unknown[{"uid", entry.uid}];
        if (owner.files++ < kMaxExamples) owner.examples.push_back(path);
        if (owner.files == 1) owner.layer = info.layer, owner.first_path = entry.path;
      }
      if (group != nullptr && !gids.contains(entry.gid)) {
        UnknownOwner& owner = unknown[{"gid", entry.gid}];
        if (owner.files++ < kMaxExamples) owner.examples.push_back(path);
        if (owner.files == 1) owner.layer = info.layer, owner.first_path = entry.path;
      }
      if (regular && (entry.mode & kAnyExecute) != 0 && UnderTemporaryDirectory(entry.path)) {
        add("BWK-FILE-004", SEVERITY_HIGH,
            absl::StrCat("Executable in a temporary directory: ", path), info);
      }
      if (regular && SshPrivateKey(entry.path)) {
        add("BWK-FILE-005", SEVERITY_HIGH, absl::StrCat("SSH private key file ", path), info);
      }
      if (regular && CredentialFile(entry.path)) {
        add("BWK-FILE-006", SEVERITY_MEDIUM, absl::StrCat("Credential file ", path), info);
      }
      if (directory && BaseName(entry.path) == ".git") {
        add("BWK-FILE-007", SEVERITY_MEDIUM, absl::StrCat("Git repository data ", path), info);
      }
      if (regular && visitor_.core_dumps().contains({entry.path, info.layer})) {
        add("BWK-FILE-008", SEVERITY_MEDIUM, absl::StrCat("Core dump ", path), info);
      }
    });

    for (const auto& [key, owner] : unknown) {
      const auto& [kind, id] = key;
      core::v1::Finding& finding =
          AddFinding(report, "BWK-FILE-003", SEVERITY_LOW, kCategory,
                     absl::StrCat(owner.files, owner.files == 1 ? " file" : " files", " owned by ",
                                  kind, " ", id, ", which /etc/",
                                  kind == "uid" ? "passwd" : "group", " does not define"));
      SetFileLocation(context.image, owner.first_path, owner.layer, finding);
      auto& properties = *finding.mutable_properties();
      properties[kind] = absl::StrCat(id);
      properties["files"] = absl::StrCat(owner.files);
      properties["examples"] = absl::StrJoin(owner.examples, ",");
    }
    return absl::OkStatus();
  }

 private:
  FileVisitor visitor_;
};

}  // namespace

absl::StatusOr<std::unique_ptr<Analyzer>> CreateFileAnalyzer(const ScanOptions& options) {
  return std::make_unique<FileAnalyzer>();
}

}  // namespace bulwark::image::internal
