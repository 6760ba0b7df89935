// A dynamic document value (JSON/YAML data as analyzers and policies see it): null, bool, int64,
// uint64, double, string, bytes, list, and map with keys in document order. Each value remembers
// where it came from (line:column), so errors found later can point into the source.
//   BULWARK_ASSIGN_OR_RETURN(Value pod, ParseJson(text));
//   BULWARK_ASSIGN_OR_RETURN(const Value* image, pod.Lookup("spec.containers[0].image"));
//   if (image->is_string()) Use(image->string_value());
// Thread safety: const methods are safe to call concurrently; Value is a regular value type.
#ifndef BULWARK_CORE_VALUE_H_
#define BULWARK_CORE_VALUE_H_

#include <cstdint>
#include <string>
#include <utility>
#include <variant>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::core {

// A 1-based line and column in a source document; 0:0 when unknown (values built in code).
struct SourcePosition {
  uint32_t line = 0;
  uint32_t column = 0;

  bool known() const { return line != 0; }
  // "line:column".
  std::string ToString() const;
  friend bool operator==(const SourcePosition&, const SourcePosition&) = default;
};

class Value;

// Raw bytes, distinct from text (YAML !!binary, protobuf bytes fields).
struct Bytes {
  std::string data;
  friend bool operator==(const Bytes&, const Bytes&) = default;
};

using ValueList = std::vector<Value>;

// A map entry. Maps keep their entries in document order and hold no duplicate keys.
struct MapEntry;
using ValueMap = std::vector<MapEntry>;

class Value {
 public:
  enum class Kind { kNull, kBool, kInt, kUint, kDouble, kString, kBytes, kList, kMap };

  // Constructors are defined in value.cc, where MapEntry is complete: the variant's converting
  // constructor needs every alternative complete.
  Value() = default;  // null
  explicit Value(bool b);
  explicit Value(int i);
  explicit Value(int64_t i);
  explicit Value(uint64_t u);
  explicit Value(double d);
  explicit Value(std::string s);
  explicit Value(const char* s);
  explicit Value(Bytes b);
  explicit Value(ValueList l);
  explicit Value(ValueMap m);

  Kind kind() const { return static_cast<Kind>(data_.index()); }
  bool is_null() const { return kind() == Kind::kNull; }
  bool is_bool() const { return kind() == Kind::kBool; }
  bool is_int() const { return kind() == Kind::kInt; }
  bool is_uint() const { return kind() == Kind::kUint; }
  bool is_double() const { return kind() == Kind::kDouble; }
  bool is_string() const { return kind() == Kind::kString; }
  bool is_bytes() const { return kind() == Kind::kBytes; }
  bool is_list() const { return kind() == Kind::kList; }
  bool is_map() const { return kind() == Kind::kMap; }

  // Accessors; calling one for another kind is a programming error (std::bad_variant_access).
  bool bool_value() const { return std::get<bool>(data_); }
  int64_t int_value() const { return std::get<int64_t>(data_); }
  uint64_t uint_value() const { return std::get<uint64_t>(data_); }
  double double_value() const { return std::get<double>(data_); }
  const std::string& string_value() const { return std::get<std::string>(data_); }
  const Bytes& bytes_value() const { return std::get<Bytes>(data_); }
  const ValueList& list_value() const { return std::get<ValueList>(data_); }
  ValueList& mutable_list() { return std::get<ValueList>(data_); }
  const ValueMap& map_value() const { return std::get<ValueMap>(data_); }

  // The map entry for `key`, or nullptr when absent or when this is not a map.
  const Value* Find(absl::string_view key) const;

  // Follows a path such as `spec.containers[0].image` or
  // `metadata.labels["app.kubernetes.io/name"]`:
  // `.name` or a leading `name` selects a map key, `[N]` a list element, `["key"]` a key holding
  // dots or brackets. The returned pointer borrows from this Value.
  // Errors: InvalidArgument for a malformed path; NotFound naming the longest prefix that exists
  // and the position of the value where the path stopped.
  absl::StatusOr<const Value*> Lookup(absl::string_view path) const;

  // Where this value starts in its source document.
  SourcePosition position() const { return position_; }
  void set_position(SourcePosition position) { position_ = position; }

  // Compact JSON text. Bytes become base64 strings and non-finite doubles the strings "NaN",
  // "Infinity" and "-Infinity", as in protobuf's JSON mapping; doubles print in their shortest
  // form that reads back to the same value.
  std::string ToJson() const;

  // Deep equality of kind and contents (positions are ignored; maps compare in order).
  friend bool operator==(const Value& a, const Value& b);
  friend bool operator!=(const Value& a, const Value& b) { return !(a == b); }

 private:
  std::variant<std::monostate, bool, int64_t, uint64_t, double, std::string, Bytes, ValueList,
               ValueMap>
      data_;
  SourcePosition position_;
};

struct MapEntry {
  std::string key;
  Value value;
  friend bool operator==(const MapEntry&, const MapEntry&) = default;
};

// "null", "bool", "int", "uint", "double", "string", "bytes", "list" or "map".
absl::string_view KindName(Value::Kind kind);

// Appends `text` to `out` as a JSON string literal: quoted, with the two-character escapes for
// quote, backslash, \b, \f, \n, \r and \t, \u00xx (lower-case hex) for the other control
// characters, and every other byte as it is. This is the escaping both RFC 8259 output and
// RFC 8785 canonical JSON require; `text` is expected to be UTF-8.
void AppendJsonString(absl::string_view text, std::string* out);

}  // namespace bulwark::core

#endif  // BULWARK_CORE_VALUE_H_
