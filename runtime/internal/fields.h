// The Falco fields the rule engine understands (proc.*, thread.*, user.*, group.*, fd.*, evt.*,
// container.*, k8s.*), bound at compile time and extracted from an event and the runtime state.
//   BULWARK_ASSIGN_OR_RETURN(BoundField f, BindField(field_expr));
//   FieldValues values; ExtractField(f, context, values);
// Extraction borrows text from the event, the state or the context's scratch storage; values are
// valid while those are. Thread safety: BoundField is immutable; an ExtractContext is per call.
#ifndef BULWARK_RUNTIME_INTERNAL_FIELDS_H_
#define BULWARK_RUNTIME_INTERNAL_FIELDS_H_

#include <cstdint>
#include <forward_list>
#include <optional>
#include <string>
#include <vector>

#include "absl/container/inlined_vector.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/runtime/event.pb.h"
#include "bulwark/runtime/internal/condition_ast.h"
#include "bulwark/runtime/state.h"
#include "google/protobuf/descriptor.h"

namespace bulwark::runtime::internal {

enum class FieldType { kString, kNumber, kBool, kIpAddr, kIpNet };

struct FieldSpecEntry;

// A field name resolved against the field table, with its argument parsed.
struct BoundField {
  int id = 0;  // Index into the field table.
  FieldType type = FieldType::kString;
  std::string name;    // As written, for messages and output_fields ("proc.aname[2]").
  int64_t index = -1;  // Numeric argument ([2]); -1 when absent.
  std::string key;     // Text argument ([/var/run/docker.sock], evt.arg.<name>).
  bool has_arg = false;
  // proc.ns[kind] and proc.ns_is_host[kind]: the v1::Namespaces field of the kind.
  const google::protobuf::FieldDescriptor* namespace_field = nullptr;
  // Applied innermost first (tolower, toupper, b64, basename, len); `len` makes the value numeric.
  std::vector<std::string> transformers;
};

// What a field yields: text or a number (bools are 0/1).
struct FieldValue {
  bool is_number = false;
  int64_t number = 0;
  absl::string_view text;
};
using FieldValues = absl::InlinedVector<FieldValue, 4>;

// Results of macros already evaluated for the current event, so that a macro many rules use
// (open_write, spawned_process, container) runs once per event. Owned by an Engine; a new event
// starts with NextEvent(), which invalidates every slot without clearing the arrays.
class MacroMemo {
 public:
  explicit MacroMemo(size_t slots) : entries_(slots, 0) {}
  void NextEvent() { current_ += 2; }
  // The cached result of `slot` for this event, if any.
  std::optional<bool> Find(int slot) const {
    const uint64_t entry = entries_[slot];
    if ((entry & ~uint64_t{1}) != current_) return std::nullopt;
    return (entry & 1) != 0;
  }
  void Store(int slot, bool value) { entries_[slot] = current_ | (value ? 1 : 0); }

 private:
  // One word per slot: the event's stamp (even) with the result in the low bit, so a lookup
  // reads one place.
  std::vector<uint64_t> entries_;
  uint64_t current_ = 2;
};

// Values of argument-less fields already extracted for the current event, keyed by field id, so
// that fd.name or proc.name that dozens of rules read is extracted once per event. Owned by an
// Engine; NextEvent() invalidates every slot without clearing (or freeing) the entries.
class FieldCache {
 public:
  FieldCache();
  void NextEvent() { ++current_; }
  const FieldValues* Find(int id) const { return stamps_[id] == current_ ? &values_[id] : nullptr; }
  // The emptied entry for `id`, marked valid for this event.
  FieldValues& Store(int id) {
    stamps_[id] = current_;
    values_[id].clear();
    return values_[id];
  }

 private:
  std::vector<uint64_t> stamps_;
  std::vector<FieldValues> values_;
  uint64_t current_ = 1;
};

// Everything a field may read for one event. Not thread-safe; one per evaluation.
class ExtractContext {
 public:
  // `memo` and `fields` (optional) must have been advanced with NextEvent() for this event.
  ExtractContext(const v1::Event& event, const ProcessInfo* process, const RuntimeState* state,
                 const v1::Container* container, MacroMemo* memo = nullptr,
                 FieldCache* fields = nullptr)
      : event_(event),
        process_(process),
        state_(state),
        container_(container),
        memo_(memo),
        fields_(fields) {}

  MacroMemo* memo() const { return memo_; }
  FieldCache* field_cache() const { return fields_; }

  const v1::Event& event() const { return event_; }
  const ProcessInfo* process() const { return process_; }
  const RuntimeState* state() const { return state_; }
  const v1::Container* container() const { return container_; }
  // Keeps `text` alive for the rest of this evaluation and returns a view of it.
  absl::string_view Own(std::string text) {
    owned_.push_front(std::move(text));
    return owned_.front();
  }
  // Ancestors beyond this many generations are not followed (a bound on parent-pid loops).
  static constexpr int kMaxAncestors = 64;
  // The ancestor `generation` levels up (1 = parent), or nullptr. The chain is looked up once
  // per context: rules read proc.pname, proc.aname[2..4] and proc.aname many times per event.
  const ProcessInfo* Ancestor(int generation) const;
  // The descriptor the event acts on: the state's (the event's fd merged with its fd table) or
  // the event's own, or nullptr.
  const v1::FileDescriptor* fd() const;

 private:
  const v1::Event& event_;
  const ProcessInfo* process_;
  const RuntimeState* state_;
  const v1::Container* container_;
  MacroMemo* memo_;
  FieldCache* fields_;
  std::forward_list<std::string> owned_;
  // ancestors_[i] is generation i + 1, for i < ancestors_known_; the chain ends there when
  // ancestors_complete_ (a root or an unknown parent was reached).
  mutable const ProcessInfo* ancestors_[kMaxAncestors];
  mutable int ancestors_known_ = 0;
  mutable bool ancestors_complete_ = false;
};

// Resolves `field`. Errors: InvalidArgument "filter_check called with nonexistent field <name>"
// (Falco's wording) for unknown fields, or naming a missing or malformed argument.
absl::StatusOr<BoundField> BindField(const FieldExpr& field);

// The field's values (empty when the event has none): the context's FieldCache entry when there
// is one, otherwise `scratch` filled. Valid until the next extraction into `scratch` or the next
// event.
const FieldValues& ExtractFieldValuesSlow(const BoundField& field, ExtractContext& context,
                                          FieldValues& scratch);
inline const FieldValues& ExtractFieldValues(const BoundField& field, ExtractContext& context,
                                             FieldValues& scratch) {
  // Hot path: an argument-less field without transformers already extracted for this event.
  if (!field.has_arg && field.transformers.empty() && context.field_cache() != nullptr) {
    if (const FieldValues* cached = context.field_cache()->Find(field.id)) return *cached;
  }
  return ExtractFieldValuesSlow(field, context, scratch);
}

// Whether `field` is one of the event's single-valued numbers (fd.num, evt.rawres, evt.failed,
// evt.is_open_read, evt.is_open_write) without arguments or transformers: ScalarNumber() reads
// it without a FieldValues round trip, as the open_read/open_write macros do on every open.
bool HasScalarNumber(const BoundField& field);
// The value of a field for which HasScalarNumber() holds, or nullopt when the event has none;
// always what ExtractField would yield.
std::optional<int64_t> ScalarNumber(const BoundField& field, const ExtractContext& context);

// Appends the field's values (none when the event has no such value).
void ExtractField(const BoundField& field, ExtractContext& context, FieldValues& out);

// The field as Falco prints it in outputs: values joined by ',', "<NA>" when absent.
std::string RenderField(const BoundField& field, ExtractContext& context);
// RenderField appended to `out`.
void AppendRenderedField(const BoundField& field, ExtractContext& context, std::string& out);

// Names of every field the table knows, for documentation and tests.
std::vector<std::string> KnownFieldNames();

}  // namespace bulwark::runtime::internal

#endif  // BULWARK_RUNTIME_INTERNAL_FIELDS_H_
