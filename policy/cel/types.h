// CEL types as the type checker sees them (cel-spec "checked" types): primitives, well-known
// types, list/map, messages, wrappers, type values, opaque/abstract types with parameters,
// type parameters and dyn.
//   BULWARK_ASSIGN_OR_RETURN(Type t, Type::Parse("map(string, list(int))"));
//   Type::List(Type::Int()).DebugString();   // "list(int)"
// Thread safety: a Type is an immutable value; copy and share it freely.
#ifndef BULWARK_POLICY_CEL_TYPES_H_
#define BULWARK_POLICY_CEL_TYPES_H_

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::cel {

class Type {
 public:
  enum class Kind : uint8_t {
    kDyn,
    kNull,
    kBool,
    kInt,
    kUint,
    kDouble,
    kString,
    kBytes,
    kTimestamp,
    kDuration,
    kAny,        // google.protobuf.Any
    kList,       // params: element
    kMap,        // params: key, value
    kMessage,    // name: full protobuf message name
    kWrapper,    // params: the wrapped primitive (google.protobuf.Int64Value → wrapper(int))
    kType,       // params: the type denoted, or none for "any type"
    kOpaque,     // name + params: optional_type(T), net.IP, abstract types of declarations
    kTypeParam,  // name: a type variable of an overload ("A") or of the checker ("_var3")
    kError,
  };

  Type() = default;  // dyn
  static Type Dyn() { return Type(Kind::kDyn); }
  static Type Null() { return Type(Kind::kNull); }
  static Type Bool() { return Type(Kind::kBool); }
  static Type Int() { return Type(Kind::kInt); }
  static Type Uint() { return Type(Kind::kUint); }
  static Type Double() { return Type(Kind::kDouble); }
  static Type String() { return Type(Kind::kString); }
  static Type Bytes() { return Type(Kind::kBytes); }
  static Type Timestamp() { return Type(Kind::kTimestamp); }
  static Type Duration() { return Type(Kind::kDuration); }
  static Type Any() { return Type(Kind::kAny); }
  static Type Error() { return Type(Kind::kError); }
  // A type of a kind without name or parameters (dyn, null, primitives, timestamp, ...).
  static Type Builtin(Kind kind);
  static Type List(Type element);
  static Type Map(Type key, Type value);
  static Type Message(std::string full_name);
  static Type Wrapper(Type primitive);
  static Type TypeOf(Type denoted);
  static Type AnyTypeValue();  // `type` without a parameter
  static Type Opaque(std::string name, std::vector<Type> params = {});
  static Type Optional(Type value) { return Opaque("optional_type", {std::move(value)}); }
  static Type Param(std::string name);

  // Parses the notation DebugString prints: int, uint, double, bool, string, bytes, null_type,
  // dyn, any, timestamp, duration, list(T), map(K, V), type(T), type, optional(T) /
  // optional_type(T), wrapper(int), google.protobuf.Int64Value..., a single upper-case letter or
  // a name starting with '_' for a type parameter, otherwise a message or opaque name with
  // optional parameters `name(T, U)`; a dotted name without parameters is a message.
  // Errors: InvalidArgument naming the position.
  static absl::StatusOr<Type> Parse(absl::string_view text);

  Kind kind() const { return kind_; }
  const std::string& name() const;
  const std::vector<Type>& params() const;
  bool is_dyn() const { return kind_ == Kind::kDyn; }
  bool is_param() const { return kind_ == Kind::kTypeParam; }
  bool is_optional() const { return kind_ == Kind::kOpaque && name() == "optional_type"; }

  // "int", "list(string)", "map(string, dyn)", "wrapper(int)", "type(int)", message names.
  std::string DebugString() const;

  friend bool operator==(const Type& a, const Type& b);
  friend bool operator!=(const Type& a, const Type& b) { return !(a == b); }

 private:
  struct Detail {
    std::string name;
    std::vector<Type> params;
  };
  explicit Type(Kind kind) : kind_(kind) {}
  Type(Kind kind, std::string name, std::vector<Type> params);

  Kind kind_ = Kind::kDyn;
  std::shared_ptr<const Detail> detail_;  // null for types without name and parameters
};

}  // namespace bulwark::cel

#endif  // BULWARK_POLICY_CEL_TYPES_H_
