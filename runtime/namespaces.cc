#include "bulwark/runtime/namespaces.h"

#include <string>
#include <vector>

#include "google/protobuf/descriptor.h"

namespace bulwark::runtime {

// The id fields of v1::Namespaces are its uint64 fields, named like /proc/<pid>/ns/*.
const google::protobuf::FieldDescriptor* NamespaceField(absl::string_view kind) {
  const google::protobuf::FieldDescriptor* field =
      v1::Namespaces::descriptor()->FindFieldByName(std::string(kind));
  if (field == nullptr || field->cpp_type() != google::protobuf::FieldDescriptor::CPPTYPE_UINT64) {
    return nullptr;
  }
  return field;
}

uint64_t NamespaceIdOf(const v1::Namespaces& namespaces,
                       const google::protobuf::FieldDescriptor& field) {
  return namespaces.GetReflection()->GetUInt64(namespaces, &field);
}

absl::Span<const absl::string_view> NamespaceKinds() {
  static const auto* const kinds = [] {
    auto* names = new std::vector<absl::string_view>();
    const google::protobuf::Descriptor* descriptor = v1::Namespaces::descriptor();
    for (int i = 0; i < descriptor->field_count(); ++i) {
      if (NamespaceField(descriptor->field(i)->name()) != nullptr) {
        names->push_back(descriptor->field(i)->name());
      }
    }
    return names;
  }();
  return *kinds;
}

std::optional<uint64_t> NamespaceId(const v1::Namespaces& namespaces, absl::string_view kind) {
  const google::protobuf::FieldDescriptor* field = NamespaceField(kind);
  if (field == nullptr) return std::nullopt;
  return NamespaceIdOf(namespaces, *field);
}

bool SetNamespaceId(v1::Namespaces& namespaces, absl::string_view kind, uint64_t id) {
  const google::protobuf::FieldDescriptor* field = NamespaceField(kind);
  if (field == nullptr) return false;
  namespaces.GetReflection()->SetUInt64(&namespaces, field, id);
  return true;
}

}  // namespace bulwark::runtime
