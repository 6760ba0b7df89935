// Variable bindings for one CEL evaluation: values, borrowed JSON/YAML documents, protobuf
// messages.
//   cel::Activation activation;
//   activation.BindDocument("object", pod);
//   activation.Bind("limit", cel::Value::Int(3));
// Thread safety: not thread-safe; use one Activation per evaluation call (they are cheap).
#ifndef BULWARK_POLICY_CEL_ACTIVATION_H_
#define BULWARK_POLICY_CEL_ACTIVATION_H_

#include <memory>
#include <string>

#include "absl/container/inlined_vector.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/cel/value.h"

namespace google::protobuf {
class Message;
}

namespace bulwark::cel {

class Activation {
 public:
  // Binds `name` to a value (which may borrow; see Value).
  void Bind(std::string name, Value value) {
    for (auto& [bound, v] : values_) {
      if (bound == name) {
        v = std::move(value);
        return;
      }
    }
    values_.emplace_back(std::move(name), std::move(value));
  }
  // Binds a JSON/YAML document as maps and lists; `doc` is borrowed and must outlive the
  // evaluation and any result that came from it.
  void BindDocument(std::string name, const core::Value& doc) {
    Bind(std::move(name), Value::Document(&doc));
  }
  // Binds a protobuf message (borrowed, must outlive the evaluation and its result).
  void BindMessage(std::string name, const google::protobuf::Message& message);

  const Value* Find(absl::string_view name) const {
    for (const auto& [bound, v] : values_) {
      if (bound == name) return &v;
    }
    return nullptr;
  }

 private:
  // Activations hold a handful of variables and are built per call: a small inline vector
  // searched linearly avoids the hash table's allocation.
  absl::InlinedVector<std::pair<std::string, Value>, 4> values_;
};

// `message` as a CEL value: well-known types (wrappers, Timestamp, Duration, Struct, Value,
// ListValue, Any) become their CEL equivalents, other messages stay messages. Types inside Any
// are looked up in the generated descriptor pool.
Value ValueFromMessage(std::shared_ptr<const google::protobuf::Message> message);

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_ACTIVATION_H_
