#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/report_writer.h"
#include "google/protobuf/util/json_util.h"

namespace bulwark::core {

absl::StatusOr<std::string> ReportToJson(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  auto status = google::protobuf::util::MessageToJsonString(report, &json, options);
  if (!status.ok()) {
    return absl::InternalError(absl::StrCat("cannot print report as JSON: ", status.ToString()));
  }
  return json;
}

absl::StatusOr<v1::Report> ReportFromJson(absl::string_view json) {
  v1::Report report;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  auto status = google::protobuf::util::JsonStringToMessage(
      google::protobuf::StringPiece(json.data(), json.size()), &report, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("not a Bulwark report: ", std::string(status.message())));
  }
  return report;
}

}  // namespace bulwark::core
