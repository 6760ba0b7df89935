// Bulwark's own SBOM JSON: the protobuf JSON mapping of bulwark.sbom.v1.Sbom. The message has no
// map fields, so protobuf's printer is deterministic.
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom_writer.h"
#include "google/protobuf/util/json_util.h"

namespace bulwark::sbom {

absl::StatusOr<std::string> SbomToJson(const v1::Sbom& sbom) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  const auto status = google::protobuf::util::MessageToJsonString(sbom, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print SBOM as JSON: ", status.ToString()));
  }
  return json;
}

absl::StatusOr<v1::Sbom> SbomFromJson(absl::string_view json) {
  v1::Sbom sbom;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  const auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &sbom, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a Bulwark SBOM: ", std::string(status.message())));
  }
  return sbom;
}

}  // namespace bulwark::sbom
