#include "bulwark/runtime/event_source.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "google/protobuf/util/json_util.h"

namespace bulwark::runtime {

absl::StatusOr<v1::Event> ParseEventJson(absl::string_view json) {
  v1::Event event;
  google::protobuf::util::JsonParseOptions options;
  options.ignore_unknown_fields = false;
  google::protobuf::util::Status status =
      google::protobuf::util::JsonStringToMessage(std::string(json), &event, options);
  if (!status.ok()) {
    return absl::InvalidArgumentError(absl::StrCat("invalid event: ", status.message().ToString()));
  }
  return event;
}

absl::Status ReadEventLines(absl::string_view text, absl::string_view source_name,
                            const core::Limits& limits,
                            const std::function<absl::Status(v1::Event&&)>& consume) {
  size_t line_number = 0;
  uint64_t events = 0;
  while (!text.empty()) {
    size_t end = text.find('\n');
    absl::string_view line = text.substr(0, end);
    text = end == absl::string_view::npos ? absl::string_view() : text.substr(end + 1);
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.find_first_not_of(" \t") == absl::string_view::npos) continue;
    const std::string where = absl::StrCat(source_name, ":", line_number);
    if (line.size() > limits.max_file_bytes) {
      return core::LimitExceeded("max_file_bytes", limits.max_file_bytes, where);
    }
    if (++events > limits.max_entries) {
      return core::LimitExceeded("max_entries", limits.max_entries, where);
    }
    absl::StatusOr<v1::Event> event = ParseEventJson(line);
    if (!event.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(where, ": ", event.status().message()));
    }
    BULWARK_RETURN_IF_ERROR(consume(*std::move(event)));
  }
  return absl::OkStatus();
}

absl::StatusOr<std::vector<v1::Event>> ReadEventsFile(const std::string& path,
                                                      const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  std::vector<v1::Event> events;
  BULWARK_RETURN_IF_ERROR(ReadEventLines(text, path, limits, [&events](v1::Event&& event) {
    events.push_back(std::move(event));
    return absl::OkStatus();
  }));
  return events;
}

std::string EventToJsonLine(const v1::Event& event) {
  std::string json;
  (void)google::protobuf::util::MessageToJsonString(event, &json);
  return json;
}

}  // namespace bulwark::runtime
