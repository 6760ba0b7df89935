// What the `bulwark image` commands share: opening the image named by PATH with --platform and
// --ref, and the JSON helpers for what they print.
//   BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> img, OpenImageFromArgs(args));
//   object.push_back({"digest", JsonString(img->config_digest()->ToString())});
// Thread safety: the functions share no state.
#ifndef BULWARK_EXAMPLES_CLI_IMAGE_ARGS_H_
#define BULWARK_EXAMPLES_CLI_IMAGE_ARGS_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/flags.h"
#include "bulwark/image/image.h"

namespace bulwark::cli {

// Opens args.positional[0] with --platform and --ref. Errors: InvalidArgument for a malformed
// --platform; those of image::Image::Open, passed through NameImage.
absl::StatusOr<std::unique_ptr<const image::Image>> OpenImageFromArgs(const ParsedArgs& args);

// `status` with its message prefixed by "image PATH: " unless it already names `path`.
absl::Status NameImage(const absl::Status& status, absl::string_view path);

// A JSON string value of untrusted text (see ValidUtf8 in text_table.h).
core::Value JsonString(absl::string_view text);
// A JSON list of JsonString values.
core::Value JsonStrings(const std::vector<std::string>& texts);

// The mode bits as four octal digits ("0755", "4755").
std::string OctalMode(uint32_t mode);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_IMAGE_ARGS_H_
