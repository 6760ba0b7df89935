#include "bulwark/policy/cel/types.h"

#include "absl/strings/ascii.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"

namespace bulwark::cel {
namespace {

const std::string& EmptyName() {
  static const std::string* kEmpty = new std::string();
  return *kEmpty;
}

const std::vector<Type>& EmptyParams() {
  static const std::vector<Type>* kEmpty = new std::vector<Type>();
  return *kEmpty;
}

struct Primitive {
  absl::string_view name;
  Type::Kind kind;
};

constexpr Primitive kPrimitives[] = {
    {"dyn", Type::Kind::kDyn},
    {"null_type", Type::Kind::kNull},
    {"bool", Type::Kind::kBool},
    {"int", Type::Kind::kInt},
    {"uint", Type::Kind::kUint},
    {"double", Type::Kind::kDouble},
    {"string", Type::Kind::kString},
    {"bytes", Type::Kind::kBytes},
    {"timestamp", Type::Kind::kTimestamp},
    {"duration", Type::Kind::kDuration},
    {"any", Type::Kind::kAny},
    {"error", Type::Kind::kError},
};

// The protobuf wrapper message for a primitive wrapped type.
absl::string_view WrapperName(Type::Kind kind) {
  switch (kind) {
    case Type::Kind::kBool:
      return "google.protobuf.BoolValue";
    case Type::Kind::kInt:
      return "google.protobuf.Int64Value";
    case Type::Kind::kUint:
      return "google.protobuf.UInt64Value";
    case Type::Kind::kDouble:
      return "google.protobuf.DoubleValue";
    case Type::Kind::kString:
      return "google.protobuf.StringValue";
    case Type::Kind::kBytes:
      return "google.protobuf.BytesValue";
    default:
      return "";
  }
}

// Recursive-descent reader of the DebugString notation.
class TypeReader {
 public:
  explicit TypeReader(absl::string_view text) : text_(text) {}

  absl::StatusOr<Type> ReadAll() {
    absl::StatusOr<Type> type = Read(0);
    if (!type.ok()) return type;
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text");
    return type;
  }

 private:
  absl::Status Error(absl::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrCat("type '", text_, "': ", what, " at offset ", pos_));
  }
  void SkipSpace() {
    while (pos_ < text_.size() && text_[pos_] == ' ') ++pos_;
  }
  bool Consume(char c) {
    SkipSpace();
    if (pos_ < text_.size() && text_[pos_] == c) {
      ++pos_;
      return true;
    }
    return false;
  }

  absl::StatusOr<Type> Read(int depth) {
    if (depth > 32) return Error("nesting too deep");
    SkipSpace();
    size_t start = pos_;
    while (pos_ < text_.size() &&
           (absl::ascii_isalnum(text_[pos_]) || text_[pos_] == '_' || text_[pos_] == '.')) {
      ++pos_;
    }
    std::string name(text_.substr(start, pos_ - start));
    if (name.empty()) return Error("expected a type name");
    std::vector<Type> params;
    bool has_params = Consume('(');
    if (has_params && !Consume(')')) {
      do {
        absl::StatusOr<Type> param = Read(depth + 1);
        if (!param.ok()) return param;
        params.push_back(*std::move(param));
      } while (Consume(','));
      if (!Consume(')')) return Error("expected ')'");
    }
    auto arity = [&](size_t n) -> absl::Status {
      if (params.size() != n) return Error(absl::StrCat(name, " takes ", n, " parameter(s)"));
      return absl::OkStatus();
    };
    if (name == "list") {
      if (absl::Status s = arity(1); !s.ok()) return s;
      return Type::List(params[0]);
    }
    if (name == "map") {
      if (absl::Status s = arity(2); !s.ok()) return s;
      return Type::Map(params[0], params[1]);
    }
    if (name == "type") {
      if (!has_params) return Type::AnyTypeValue();
      if (absl::Status s = arity(1); !s.ok()) return s;
      return Type::TypeOf(params[0]);
    }
    if (name == "wrapper") {
      if (absl::Status s = arity(1); !s.ok()) return s;
      if (WrapperName(params[0].kind()).empty()) return Error("wrapper of a non-primitive");
      return Type::Wrapper(params[0]);
    }
    if (name == "optional" || name == "optional_type") {
      if (absl::Status s = arity(1); !s.ok()) return s;
      return Type::Optional(params[0]);
    }
    if (!has_params) {
      for (const Primitive& p : kPrimitives) {
        if (p.name == name) return Type::Builtin(p.kind);
      }
      for (Type::Kind k : {Type::Kind::kBool, Type::Kind::kInt, Type::Kind::kUint,
                           Type::Kind::kDouble, Type::Kind::kString, Type::Kind::kBytes}) {
        if (WrapperName(k) == name) return Type::Wrapper(Type::Builtin(k));
      }
      if (name == "google.protobuf.Int32Value") return Type::Wrapper(Type::Int());
      if (name == "google.protobuf.UInt32Value") return Type::Wrapper(Type::Uint());
      if (name == "google.protobuf.FloatValue") return Type::Wrapper(Type::Double());
      if (name == "google.protobuf.Timestamp") return Type::Timestamp();
      if (name == "google.protobuf.Duration") return Type::Duration();
      if (name == "google.protobuf.Any") return Type::Any();
      if (name == "google.protobuf.Value") return Type::Dyn();
      if (name == "google.protobuf.Struct") return Type::Map(Type::String(), Type::Dyn());
      if (name == "google.protobuf.ListValue") return Type::List(Type::Dyn());
      if (name[0] == '_' || (name.size() == 1 && absl::ascii_isupper(name[0]))) {
        return Type::Param(name);
      }
      if (name.find('.') != std::string::npos) return Type::Message(name);
    }
    return Type::Opaque(name, std::move(params));
  }

  absl::string_view text_;
  size_t pos_ = 0;
};

}  // namespace

Type::Type(Kind kind, std::string name, std::vector<Type> params)
    : kind_(kind),
      detail_(std::make_shared<const Detail>(Detail{std::move(name), std::move(params)})) {}

Type Type::Builtin(Kind kind) { return Type(kind); }
Type Type::List(Type element) { return Type(Kind::kList, "", {std::move(element)}); }
Type Type::Map(Type key, Type value) {
  return Type(Kind::kMap, "", {std::move(key), std::move(value)});
}
Type Type::Message(std::string full_name) { return Type(Kind::kMessage, std::move(full_name), {}); }
Type Type::Wrapper(Type primitive) { return Type(Kind::kWrapper, "", {std::move(primitive)}); }
Type Type::TypeOf(Type denoted) { return Type(Kind::kType, "", {std::move(denoted)}); }
Type Type::AnyTypeValue() { return Type(Kind::kType); }
Type Type::Opaque(std::string name, std::vector<Type> params) {
  return Type(Kind::kOpaque, std::move(name), std::move(params));
}
Type Type::Param(std::string name) { return Type(Kind::kTypeParam, std::move(name), {}); }

const std::string& Type::name() const { return detail_ ? detail_->name : EmptyName(); }
const std::vector<Type>& Type::params() const { return detail_ ? detail_->params : EmptyParams(); }

std::string Type::DebugString() const {
  switch (kind_) {
    case Kind::kList:
      return absl::StrCat("list(", params()[0].DebugString(), ")");
    case Kind::kMap:
      return absl::StrCat("map(", params()[0].DebugString(), ", ", params()[1].DebugString(), ")");
    case Kind::kWrapper:
      return absl::StrCat("wrapper(", params()[0].DebugString(), ")");
    case Kind::kType:
      if (params().empty()) return "type";
      return absl::StrCat("type(", params()[0].DebugString(), ")");
    case Kind::kMessage:
    case Kind::kTypeParam:
      return name();
    case Kind::kOpaque:
      if (params().empty()) return name();
      return absl::StrCat(
          name(), "(",
          absl::StrJoin(params(), ", ",
                        [](std::string* out, const Type& t) { out->append(t.DebugString()); }),
          ")");
    default:
      for (const Primitive& p : kPrimitives) {
        if (p.kind == kind_) return std::string(p.name);
      }
  }
  return "?";
}

bool operator==(const Type& a, const Type& b) {
  return a.kind_ == b.kind_ && a.name() == b.name() && a.params() == b.params();
}

absl::StatusOr<Type> Type::Parse(absl::string_view text) { return TypeReader(text).ReadAll(); }

}  // namespace bulwark::cel
