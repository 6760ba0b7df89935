// CEL runtime values: null, bool, int, uint, double, string, bytes, list, map, type, timestamp,
// duration, optional, protobuf message, error and unknown.
//   cel::Value v = cel::Value::Int(3);
//   if (v.is_int()) Use(v.int_value());
//   cel::Value doc = cel::Value::Document(&pod);   // borrows a core::Value (JSON/YAML) document
// A Value is a small handle (scalars inline, everything else shared and immutable), so copies are
// cheap. Values that borrow (Document, strings read from a document) must not outlive what they
// borrow; Detach() makes a value that owns all of its data.
// Thread safety: Values are immutable; share them freely across threads.
#ifndef BULWARK_POLICY_CEL_VALUE_H_
#define BULWARK_POLICY_CEL_VALUE_H_

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/value.h"

namespace google::protobuf {
class Message;
}

namespace bulwark::cel {

class Value;
class ListImpl;
class OpaqueValue;
class MapImpl;

enum class Kind : uint8_t {
  kNull,
  kBool,
  kInt,
  kUint,
  kDouble,
  kString,
  kBytes,
  kList,
  kMap,
  kType,
  kTimestamp,
  kDuration,
  kOptional,
  kMessage,
  kError,
  kUnknown,
  kOpaque,  // an extension type (net.IP, net.CIDR, ...) implemented by an OpaqueValue
};

// A value of an extension type. Immutable; implementations must be thread-safe for reads.
class OpaqueValue {
 public:
  virtual ~OpaqueValue() = default;
  // The CEL type name ("net.IP").
  virtual absl::string_view type_name() const = 0;
  // Equality with another opaque value (of any type).
  virtual bool Equals(const OpaqueValue& other) const = 0;
  // The text form that string() returns.
  virtual std::string ToString() const = 0;
};

// The CEL type name of a kind ("int", "list", "google.protobuf.Timestamp", ...).
absl::string_view KindTypeName(Kind kind);

class Value {
 public:
  Value() : kind_(Kind::kNull) { scalar_.i = 0; }

  static Value Null() { return Value(); }
  // Scalars and document views are built inline: they are on every evaluation's hot path.
  static Value Bool(bool b) {
    Value v;
    v.kind_ = Kind::kBool;
    v.scalar_.b = b;
    return v;
  }
  static Value Int(int64_t i) {
    Value v;
    v.kind_ = Kind::kInt;
    v.scalar_.i = i;
    return v;
  }
  static Value Uint(uint64_t u) {
    Value v;
    v.kind_ = Kind::kUint;
    v.scalar_.u = u;
    return v;
  }
  static Value Double(double d) {
    Value v;
    v.kind_ = Kind::kDouble;
    v.scalar_.d = d;
    return v;
  }
  // Owns a copy of `s`.
  static Value String(std::string s);
  // Borrows `s`, which `owner` keeps alive (null owner: the caller guarantees the lifetime).
  static Value StringView(absl::string_view s, std::shared_ptr<const void> owner);
  static Value Bytes(std::string b);
  static Value BytesView(absl::string_view b, std::shared_ptr<const void> owner);
  static Value List(std::vector<Value> elements);
  static Value ListOf(std::shared_ptr<const ListImpl> list);
  // Map from (key, value) pairs; duplicate keys are an error.
  static absl::StatusOr<Value> Map(std::vector<std::pair<Value, Value>> entries);
  static Value MapOf(std::shared_ptr<const MapImpl> map);
  // A type value named `name` ("int", "list", a message full name).
  static Value Type(std::string name);
  static Value Timestamp(absl::Time t);
  static Value Duration(absl::Duration d);
  static Value OptionalOf(Value v);
  static Value OptionalNone();
  // Borrows `message`, kept alive by `owner` (use the aliasing shared_ptr constructor).
  static Value Message(const google::protobuf::Message* message, std::shared_ptr<const void> owner);
  static Value Message(std::shared_ptr<const google::protobuf::Message> message);
  static Value Error(absl::Status status);
  static Value Unknown(std::vector<int64_t> expr_ids);
  static Value Opaque(std::shared_ptr<const OpaqueValue> value);
  // A view of a core::Value document (JSON/YAML), borrowed: `doc` must outlive every Value
  // derived from this one unless Detach() is called. Maps become CEL maps with string keys,
  // lists CEL lists, scalars the matching CEL scalar.
  static Value Document(const core::Value* doc) {
    if (!doc->is_list() && !doc->is_map()) return DocumentScalarValue(doc);
    Value v;
    v.kind_ = doc->is_list() ? Kind::kList : Kind::kMap;
    v.scalar_.doc = doc;
    return v;
  }
  // Makes this value Document(doc) in place. Comprehensions over documents rebind their
  // iteration variable this way: assigning a temporary costs a store-forwarding stall per element.
  void AssignDocument(const core::Value* doc) {
    if (!doc->is_list() && !doc->is_map()) {
      *this = DocumentScalarValue(doc);
      return;
    }
    heap_.reset();
    kind_ = doc->is_list() ? Kind::kList : Kind::kMap;
    scalar_.doc = doc;
  }
  // Converts a core::Value to an owning CEL value (deep copy).
  static Value FromCore(const core::Value& doc);

  Kind kind() const { return kind_; }
  bool is_null() const { return kind_ == Kind::kNull; }
  bool is_bool() const { return kind_ == Kind::kBool; }
  bool is_int() const { return kind_ == Kind::kInt; }
  bool is_uint() const { return kind_ == Kind::kUint; }
  bool is_double() const { return kind_ == Kind::kDouble; }
  bool is_string() const { return kind_ == Kind::kString; }
  bool is_bytes() const { return kind_ == Kind::kBytes; }
  bool is_list() const { return kind_ == Kind::kList; }
  bool is_map() const { return kind_ == Kind::kMap; }
  bool is_type() const { return kind_ == Kind::kType; }
  bool is_timestamp() const { return kind_ == Kind::kTimestamp; }
  bool is_duration() const { return kind_ == Kind::kDuration; }
  bool is_optional() const { return kind_ == Kind::kOptional; }
  bool is_message() const { return kind_ == Kind::kMessage; }
  bool is_error() const { return kind_ == Kind::kError; }
  bool is_unknown() const { return kind_ == Kind::kUnknown; }
  bool is_opaque() const { return kind_ == Kind::kOpaque; }
  bool is_number() const {
    return kind_ == Kind::kInt || kind_ == Kind::kUint || kind_ == Kind::kDouble;
  }

  // Accessors; each requires the matching kind.
  bool bool_value() const { return scalar_.b; }
  int64_t int_value() const { return scalar_.i; }
  uint64_t uint_value() const { return scalar_.u; }
  double double_value() const { return scalar_.d; }
  absl::string_view string_value() const { return scalar_.sv; }
  absl::string_view bytes_value() const { return scalar_.sv; }
  absl::Time timestamp_value() const { return scalar_.t; }
  absl::Duration duration_value() const { return scalar_.dur; }
  const std::string& type_name() const;
  const absl::Status& error() const;
  const std::vector<int64_t>& unknown_ids() const;
  const google::protobuf::Message* message() const { return scalar_.msg; }
  const OpaqueValue* opaque() const { return static_cast<const OpaqueValue*>(heap_.get()); }
  // For optionals: whether a value is present, and the value.
  bool optional_has_value() const;
  const Value& optional_value() const;

  // Lists and maps (of any backing: owned, document view, protobuf field).
  size_t ListSize() const;
  Value ListGet(size_t index) const;
  size_t MapSize() const;
  // The value under `key` (numeric keys compare by value across int/uint/double), or nullopt.
  std::optional<Value> MapFind(const Value& key) const;
  // Fast path for string keys.
  std::optional<Value> MapFindString(absl::string_view key) const;
  // All keys in iteration order.
  std::vector<Value> MapKeys() const;

  // The shared owner of borrowed data (message, string), for building aliasing values.
  const std::shared_ptr<const void>& owner() const { return heap_; }
  const core::Value* document() const { return scalar_.doc; }
  bool is_document() const {
    return (kind_ == Kind::kList || kind_ == Kind::kMap) && heap_ == nullptr;
  }

  // A value owning all of its data (documents and borrowed strings are copied).
  Value Detach() const;

  // Debug/diagnostic rendering in CEL literal syntax.
  std::string DebugString() const;

 private:
  static Value DocumentScalarValue(const core::Value* doc);

  union Scalar {
    bool b;
    int64_t i;
    uint64_t u;
    double d;
    absl::string_view sv;
    absl::Time t;
    absl::Duration dur;
    const core::Value* doc;
    const google::protobuf::Message* msg;
    const void* ptr;
    Scalar() : i(0) {}
  };

  Kind kind_;
  Scalar scalar_;
  std::shared_ptr<const void> heap_;
};

// A list backing (owned vector, protobuf repeated field, ...). Immutable after construction.
class ListImpl {
 public:
  virtual ~ListImpl() = default;
  virtual size_t size() const = 0;
  virtual Value Get(size_t index) const = 0;
};

// Inline: comprehensions call it once per element.
inline Value Value::ListGet(size_t index) const {
  if (heap_ == nullptr) return Document(&scalar_.doc->list_value()[index]);
  return static_cast<const ListImpl*>(scalar_.ptr)->Get(index);
}

// A map backing. Immutable after construction.
class MapImpl {
 public:
  virtual ~MapImpl() = default;
  virtual size_t size() const = 0;
  virtual std::optional<Value> Find(const Value& key) const = 0;
  virtual std::vector<Value> Keys() const = 0;
};

// The error for a CEL runtime failure (InvalidArgument with `message`).
Value ErrorValue(absl::string_view message);
// "no matching overload for 'name'" error.
Value NoOverload(absl::string_view function);

// Whether `v` is valid as a map key (bool, int, uint, string).
bool IsValidMapKey(const Value& v);

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_VALUE_H_
