// Protobuf messages as CEL values, through reflection: field selection and presence, the
// well-known types (wrappers, Any, Struct/Value/ListValue, Timestamp, Duration) converted to
// their CEL forms, enums as ints, and message construction from CEL values.
// Internal. Thread safety: functions only read the messages they are given.
#ifndef BULWARK_POLICY_CEL_INTERNAL_PROTO_VALUE_H_
#define BULWARK_POLICY_CEL_INTERNAL_PROTO_VALUE_H_

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "bulwark/policy/cel/internal/eval_context.h"
#include "bulwark/policy/cel/value.h"
#include "google/protobuf/descriptor.h"
#include "google/protobuf/message.h"

namespace bulwark::cel::internal {

// `message` as a CEL value: well-known types become their CEL equivalents (an Any is unpacked
// with `types`), other messages stay messages. `owner` keeps `message` alive.
Value MessageToValue(const google::protobuf::Message* message, std::shared_ptr<const void> owner,
                     const TypeProvider& types);

// `message.field`; an error naming the field when it does not exist.
Value SelectField(const Value& message, absl::string_view field, const TypeProvider& types);
// has(message.field).
Value HasField(const Value& message, absl::string_view field);

// A new message of `type` with `fields` set (CEL values converted to the field types with range
// checks); the result goes through MessageToValue. Errors name the offending field.
absl::StatusOr<Value> BuildMessage(const google::protobuf::Descriptor* type,
                                   const std::vector<std::pair<std::string, Value>>& fields,
                                   const TypeProvider& types);

// Protobuf equality (Any unpacked where the type is known).
bool MessagesEqual(const google::protobuf::Message& a, const google::protobuf::Message& b);

// Whether a message field would read as its default (for optional.ofNonZeroValue and ==).
bool IsDefaultMessage(const google::protobuf::Message& message);

}  // namespace bulwark::cel::internal

#endif  // BULWARK_POLICY_CEL_INTERNAL_PROTO_VALUE_H_
