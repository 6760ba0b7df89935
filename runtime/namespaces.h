// Linux namespace kinds and the ids (/proc/<pid>/ns/<kind> inode numbers) a v1::Namespaces holds.
//   std::optional<uint64_t> mnt = NamespaceId(process.namespaces(), "mnt");
// Thread safety: pure functions.
#ifndef BULWARK_RUNTIME_NAMESPACES_H_
#define BULWARK_RUNTIME_NAMESPACES_H_

#include <cstdint>
#include <optional>

#include "absl/strings/string_view.h"
#include "absl/types/span.h"
#include "bulwark/runtime/event.pb.h"
#include "google/protobuf/descriptor.h"

namespace bulwark::runtime {

// "mnt", "pid", "net", "ipc", "uts", "user", "cgroup", "time": the names of /proc/<pid>/ns/*.
absl::Span<const absl::string_view> NamespaceKinds();

// The id of namespace `kind` in `namespaces` (0 when unknown); nullopt for an unknown kind.
std::optional<uint64_t> NamespaceId(const v1::Namespaces& namespaces, absl::string_view kind);

// The v1::Namespaces field holding namespace `kind`'s id, or nullptr for an unknown kind: resolve
// a kind once, then read many messages with NamespaceIdOf (no lookup by name per read).
const google::protobuf::FieldDescriptor* NamespaceField(absl::string_view kind);

// The id in `namespaces` of the field NamespaceField() returned (0 when unknown).
uint64_t NamespaceIdOf(const v1::Namespaces& namespaces,
                       const google::protobuf::FieldDescriptor& field);

// Sets the id of namespace `kind`; false for an unknown kind.
bool SetNamespaceId(v1::Namespaces& namespaces, absl::string_view kind, uint64_t id);

}  // namespace bulwark::runtime

#endif  // BULWARK_RUNTIME_NAMESPACES_H_
