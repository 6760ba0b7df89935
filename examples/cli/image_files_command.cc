// `bulwark image files`: the merged filesystem of an image (every layer walked once, verified,
// with the OCI whiteout rules applied), or with --deleted the files its layers ship that the
// merged tree hides. The JSON shape is documented in the command's usage (commands.cc).
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/report_writer.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/examples/cli/report_output.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/image/filesystem.h"
#include "bulwark/image/image.h"

namespace bulwark::cli {
namespace {

using image::LayerEntry;

// --layer N, checked against the image's layer count; nullopt when not given.
absl::StatusOr<std::optional<size_t>> ParseLayerFlag(const ParsedArgs& args, size_t layers) {
  const std::string* text = args.Find("layer");
  if (text == nullptr) return std::nullopt;
  uint64_t layer;
  if (!absl::SimpleAtoi(*text, &layer) || layer >= layers) {
    return absl::InvalidArgumentError(
        absl::StrCat("--layer: \"", *text, "\" is not a layer index of ", args.positional[0],
                     " (it has ", layers, layers == 1 ? " layer)" : " layers)"));
  }
  return static_cast<size_t>(layer);
}

std::string DisplayPath(const std::string& path) { return absl::StrCat("/", path); }

// A symlink's target as written; a hardlink's as an absolute path of the image.
std::string LinkTarget(const LayerEntry& entry) {
  if (entry.type == image::EntryType::kHardlink) return DisplayPath(entry.link_target);
  return entry.link_target;
}

// The keys every file and deleted file has, in the documented order.
core::ValueMap EntryJson(const LayerEntry& entry, size_t layer) {
  core::ValueMap object;
  object.push_back({"path", JsonString(DisplayPath(entry.path))});
  object.push_back({"type", core::Value(std::string(EntryTypeName(entry.type)))});
  object.push_back({"mode", core::Value(OctalMode(entry.mode))});
  object.push_back({"uid", core::Value(static_cast<uint64_t>(entry.uid))});
  object.push_back({"gid", core::Value(static_cast<uint64_t>(entry.gid))});
  object.push_back({"size", core::Value(entry.size)});
  object.push_back({"layer", core::Value(static_cast<uint64_t>(layer))});
  return object;
}

std::vector<std::string> EntryCells(const LayerEntry& entry, size_t layer) {
  return {DisplayPath(entry.path),  std::string(EntryTypeName(entry.type)),
          OctalMode(entry.mode),    absl::StrCat(entry.uid, ":", entry.gid),
          absl::StrCat(entry.size), absl::StrCat(layer)};
}

// One output format's accumulated rows; Print writes them out.
class Listing {
 public:
  Listing(core::ReportFormat format, std::string path, bool deleted)
      : format_(format), path_(std::move(path)), deleted_(deleted) {
    rows_.push_back({"PATH", "TYPE", "MODE", "UID:GID", "SIZE", "LAYER"});
    if (deleted_) {
      rows_.back().push_back("HIDDEN BY");
    } else {
      rows_.back().push_back("LINK TARGET");
    }
  }

  void AddFile(const image::FileInfo& file) {
    if (format_ == core::ReportFormat::kJson) {
      core::ValueMap object = EntryJson(file.entry, file.layer);
      object.push_back({"link_target", JsonString(LinkTarget(file.entry))});
      object.push_back({"implicit", core::Value(file.implicit)});
      json_.push_back(core::Value(std::move(object)));
      return;
    }
    rows_.push_back(EntryCells(file.entry, file.layer));
    rows_.back().push_back(LinkTarget(file.entry));
  }

  void AddDeleted(const image::DeletedFile& file) {
    std::string hidden_by(HiddenByName(file.hidden_by));
    if (format_ == core::ReportFormat::kJson) {
      core::ValueMap object = EntryJson(file.entry, file.layer);
      object.push_back(
          {"hidden_by_layer", core::Value(static_cast<uint64_t>(file.hidden_by_layer))});
      object.push_back({"hidden_by", core::Value(std::move(hidden_by))});
      json_.push_back(core::Value(std::move(object)));
      return;
    }
    rows_.push_back(EntryCells(file.entry, file.layer));
    rows_.back().push_back(absl::StrCat(hidden_by, " in layer ", file.hidden_by_layer));
  }

  void Print() && {
    if (format_ == core::ReportFormat::kJson) {
      core::ValueMap object;
      object.push_back({"image", JsonString(path_)});
      object.push_back({deleted_ ? "deleted" : "files", core::Value(std::move(json_))});
      WriteToStdout(core::Value(std::move(object)).ToJson() + "\n");
      return;
    }
    WriteToStdout(FormatTable(rows_));
  }

 private:
  core::ReportFormat format_;
  std::string path_;
  bool deleted_;
  core::ValueList json_;
  std::vector<std::vector<std::string>> rows_;
};

}  // namespace

absl::StatusOr<ExitCode> RunImageFiles(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(core::ReportFormat format, ParseFormatFlag(args));
  if (format == core::ReportFormat::kSarif) {
    return absl::InvalidArgumentError("--format: image files prints table or json, not sarif");
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image, OpenImageFromArgs(args));
  BULWARK_ASSIGN_OR_RETURN(std::optional<size_t> layer,
                           ParseLayerFlag(args, image->layers().size()));
  image::FilesystemBuilder builder;
  image::LayerVisitor* visitors[] = {&builder};
  BULWARK_RETURN_IF_ERROR(NameImage(image->Walk(visitors).status(), args.positional[0]));
  image::MergedFilesystem filesystem = std::move(builder).Finish();

  const bool deleted = args.Find("deleted") != nullptr;
  Listing listing(format, args.positional[0], deleted);
  if (deleted) {
    for (const image::DeletedFile& file : filesystem.DeletedFiles()) {
      if (!layer.has_value() || file.layer == *layer) listing.AddDeleted(file);
    }
  } else {
    filesystem.ForEach([&](const image::FileInfo& file) {
      if (!layer.has_value() || (file.layer == *layer && !file.implicit)) listing.AddFile(file);
    });
  }
  std::move(listing).Print();
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
