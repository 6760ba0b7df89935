#include "bulwark/runtime/event_types.h"

#include <string>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"

namespace bulwark::runtime {
namespace {

struct EventTypeNames {
  std::vector<std::string> by_number;
  absl::flat_hash_map<std::string, v1::EventType> by_name;
};

const EventTypeNames& Names() {
  static const EventTypeNames* const names = [] {
    auto* result = new EventTypeNames;
    const google::protobuf::EnumDescriptor* descriptor = v1::EventType_descriptor();
    result->by_number.resize(v1::EventType_MAX + 1);
    constexpr absl::string_view kPrefix = "EVENT_TYPE_";
    for (int i = 0; i < descriptor->value_count(); ++i) {
      const google::protobuf::EnumValueDescriptor* value = descriptor->value(i);
      if (value->number() == v1::EVENT_TYPE_UNSPECIFIED) continue;
      absl::string_view full = value->name();
      if (!absl::StartsWith(full, kPrefix)) continue;
      std::string name = absl::AsciiStrToLower(full.substr(kPrefix.size()));
      result->by_number[value->number()] = name;
      result->by_name.emplace(name, static_cast<v1::EventType>(value->number()));
    }
    return result;
  }();
  return *names;
}

}  // namespace

absl::string_view EventTypeName(v1::EventType type) {
  const EventTypeNames& names = Names();
  if (type < 0 || static_cast<size_t>(type) >= names.by_number.size()) return "";
  return names.by_number[type];
}

std::optional<v1::EventType> EventTypeFromName(absl::string_view name) {
  const EventTypeNames& names = Names();
  auto it = names.by_name.find(name);
  if (it == names.by_name.end()) return std::nullopt;
  return it->second;
}

int EventTypeLimit() { return v1::EventType_MAX + 1; }

}  // namespace bulwark::runtime
