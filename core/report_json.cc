// The report's JSON form. Protobuf prints map fields in hash order, which differs from run to
// run; going through deterministic binary serialisation (map entries sorted by key) and the
// binary-to-JSON converter gives byte-identical JSON for equal reports.
#include <memory>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/report_writer.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/io/coded_stream.h"
#include "google/protobuf/io/zero_copy_stream_impl_lite.h"
#include "google/protobuf/util/json_util.h"
#include "google/protobuf/util/type_resolver.h"
#include "google/protobuf/util/type_resolver_util.h"

namespace bulwark::core {
namespace {

constexpr char kTypeUrlPrefix[] = "type.googleapis.com";

google::protobuf::util::TypeResolver* GeneratedTypes() {
  static google::protobuf::util::TypeResolver* const kResolver =
      google::protobuf::util::NewTypeResolverForDescriptorPool(
          kTypeUrlPrefix, google::protobuf::DescriptorPool::generated_pool());
  return kResolver;
}

std::string SerializeDeterministically(const google::protobuf::Message& message) {
  std::string bytes;
  {
    google::protobuf::io::StringOutputStream stream(&bytes);
    google::protobuf::io::CodedOutputStream coded(&stream);
    coded.SetSerializationDeterministic(true);
    message.SerializeToCodedStream(&coded);
  }
  return bytes;
}

}  // namespace

absl::StatusOr<std::string> ReportToJson(const v1::Report& report) {
  google::protobuf::util::JsonPrintOptions options;
  options.add_whitespace = true;
  std::string json;
  auto status = google::protobuf::util::BinaryToJsonString(
      GeneratedTypes(), absl::StrCat(kTypeUrlPrefix, "/", report.GetDescriptor()->full_name()),
      SerializeDeterministically(report), &json, options);
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
