#include "bulwark/examples/cli/image_args.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/image/oci.h"

namespace bulwark::cli {

absl::StatusOr<std::unique_ptr<const image::Image>> OpenImageFromArgs(const ParsedArgs& args) {
  const std::string& path = args.positional.at(0);
  image::OpenOptions options;
  if (const std::string* platform = args.Find("platform")) {
    absl::StatusOr<image::Platform> parsed = image::Platform::Parse(*platform);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(absl::StrCat("--platform: ", parsed.status().message()));
    }
    options.platform = *platform;
  }
  if (const std::string* reference = args.Find("ref")) options.reference = *reference;
  absl::StatusOr<std::unique_ptr<const image::Image>> opened = image::Image::Open(path, options);
  if (!opened.ok()) return NameImage(opened.status(), path);
  return opened;
}

absl::Status NameImage(const absl::Status& status, absl::string_view path) {
  if (status.ok() || absl::StrContains(status.message(), path)) return status;
  return absl::Status(status.code(), absl::StrCat("image ", path, ": ", status.message()));
}

core::Value JsonString(absl::string_view text) { return core::Value(ValidUtf8(text)); }

core::Value JsonStrings(const std::vector<std::string>& texts) {
  core::ValueList list;
  for (const std::string& text : texts) list.push_back(JsonString(text));
  return core::Value(std::move(list));
}

std::string OctalMode(uint32_t mode) { return absl::StrFormat("%04o", mode & 07777); }

}  // namespace bulwark::cli
