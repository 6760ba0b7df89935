#include "bulwark/policy/cel/value.h"

#include <cmath>
#include <limits>

#include "absl/container/flat_hash_map.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/time/time.h"
#include "google/protobuf/message.h"
#include "google/protobuf/text_format.h"

namespace bulwark::cel {
namespace {

struct TypeObject {
  std::string name;
};
struct OptionalObject {
  bool has_value;
  Value value;
};
struct ErrorObject {
  absl::Status status;
};
struct UnknownObject {
  std::vector<int64_t> ids;
};

class OwnedList final : public ListImpl {
 public:
  explicit OwnedList(std::vector<Value> elements) : elements_(std::move(elements)) {}
  size_t size() const override { return elements_.size(); }
  Value Get(size_t index) const override { return elements_[index]; }

 private:
  std::vector<Value> elements_;
};

// A hashable form of a map key in which equal numbers of different kinds coincide.
struct NormalKey {
  uint8_t tag = 0;  // 0 bool, 1 signed-range number, 2 uint above INT64_MAX, 3 string
  uint64_t number = 0;
  absl::string_view text;

  friend bool operator==(const NormalKey& a, const NormalKey& b) {
    return a.tag == b.tag && a.number == b.number && a.text == b.text;
  }
  template <typename H>
  friend H AbslHashValue(H h, const NormalKey& k) {
    return H::combine(std::move(h), k.tag, k.number, k.text);
  }
};

std::optional<NormalKey> Normalize(const Value& key) {
  switch (key.kind()) {
    case Kind::kBool:
      return NormalKey{0, key.bool_value() ? 1u : 0u, {}};
    case Kind::kInt:
      return NormalKey{1, static_cast<uint64_t>(key.int_value()), {}};
    case Kind::kUint:
      if (key.uint_value() <= static_cast<uint64_t>(std::numeric_limits<int64_t>::max())) {
        return NormalKey{1, key.uint_value(), {}};
      }
      return NormalKey{2, key.uint_value(), {}};
    case Kind::kDouble: {
      double d = key.double_value();
      if (d != std::trunc(d)) return std::nullopt;
      if (d >= -9223372036854775808.0 && d < 9223372036854775808.0) {
        return NormalKey{1, static_cast<uint64_t>(static_cast<int64_t>(d)), {}};
      }
      if (d >= 0 && d < 18446744073709551616.0) {
        return NormalKey{2, static_cast<uint64_t>(d), {}};
      }
      return std::nullopt;
    }
    case Kind::kString:
      return NormalKey{3, 0, key.string_value()};
    default:
      return std::nullopt;
  }
}

class OwnedMap final : public MapImpl {
 public:
  static absl::StatusOr<std::shared_ptr<const OwnedMap>> Make(
      std::vector<std::pair<Value, Value>> entries) {
    auto map = std::shared_ptr<OwnedMap>(new OwnedMap());
    map->entries_ = std::move(entries);
    map->index_.reserve(map->entries_.size());
    for (size_t i = 0; i < map->entries_.size(); ++i) {
      const Value& key = map->entries_[i].first;
      std::optional<NormalKey> normal = IsValidMapKey(key) ? Normalize(key) : std::nullopt;
      if (!normal) {
        return absl::InvalidArgumentError(
            absl::StrCat("unsupported key type: ", KindTypeName(key.kind())));
      }
      if (!map->index_.emplace(*normal, i).second) {
        return absl::InvalidArgumentError(
            absl::StrCat("Failed with repeated key: ", key.DebugString()));
      }
    }
    return map;
  }
  size_t size() const override { return entries_.size(); }
  std::optional<Value> Find(const Value& key) const override {
    std::optional<NormalKey> normal = Normalize(key);
    if (!normal) return std::nullopt;
    auto it = index_.find(*normal);
    if (it == index_.end()) return std::nullopt;
    return entries_[it->second].second;
  }
  std::vector<Value> Keys() const override {
    std::vector<Value> keys;
    keys.reserve(entries_.size());
    for (const auto& [k, v] : entries_) keys.push_back(k);
    return keys;
  }

 private:
  OwnedMap() = default;
  std::vector<std::pair<Value, Value>> entries_;
  absl::flat_hash_map<NormalKey, size_t> index_;
};

Value DocumentScalar(const core::Value* doc) {
  switch (doc->kind()) {
    case core::Value::Kind::kNull:
      return Value::Null();
    case core::Value::Kind::kBool:
      return Value::Bool(doc->bool_value());
    case core::Value::Kind::kInt:
      return Value::Int(doc->int_value());
    case core::Value::Kind::kUint:
      return Value::Uint(doc->uint_value());
    case core::Value::Kind::kDouble:
      return Value::Double(doc->double_value());
    case core::Value::Kind::kString:
      return Value::StringView(doc->string_value(), nullptr);
    case core::Value::Kind::kBytes:
      return Value::BytesView(doc->bytes_value().data, nullptr);
    case core::Value::Kind::kList:
    case core::Value::Kind::kMap:
      return Value::Document(doc);
  }
  return Value::Null();
}

std::string QuoteString(absl::string_view s) { return absl::StrCat("\"", absl::CEscape(s), "\""); }

}  // namespace

absl::string_view KindTypeName(Kind kind) {
  switch (kind) {
    case Kind::kNull:
      return "null_type";
    case Kind::kBool:
      return "bool";
    case Kind::kInt:
      return "int";
    case Kind::kUint:
      return "uint";
    case Kind::kDouble:
      return "double";
    case Kind::kString:
      return "string";
    case Kind::kBytes:
      return "bytes";
    case Kind::kList:
      return "list";
    case Kind::kMap:
      return "map";
    case Kind::kType:
      return "type";
    case Kind::kTimestamp:
      return "google.protobuf.Timestamp";
    case Kind::kDuration:
      return "google.protobuf.Duration";
    case Kind::kOptional:
      return "optional_type";
    case Kind::kMessage:
      return "message";
    case Kind::kError:
      return "error";
    case Kind::kUnknown:
      return "unknown";
    case Kind::kOpaque:
      return "opaque";
  }
  return "unknown";
}

Value Value::String(std::string s) {
  auto owned = std::make_shared<const std::string>(std::move(s));
  Value v;
  v.kind_ = Kind::kString;
  v.scalar_.sv = *owned;
  v.heap_ = std::move(owned);
  return v;
}
Value Value::StringView(absl::string_view s, std::shared_ptr<const void> owner) {
  Value v;
  v.kind_ = Kind::kString;
  v.scalar_.sv = s;
  v.heap_ = std::move(owner);
  return v;
}
Value Value::Bytes(std::string b) {
  Value v = String(std::move(b));
  v.kind_ = Kind::kBytes;
  return v;
}
Value Value::BytesView(absl::string_view b, std::shared_ptr<const void> owner) {
  Value v = StringView(b, std::move(owner));
  v.kind_ = Kind::kBytes;
  return v;
}
Value Value::List(std::vector<Value> elements) {
  return ListOf(std::make_shared<const OwnedList>(std::move(elements)));
}
Value Value::ListOf(std::shared_ptr<const ListImpl> list) {
  Value v;
  v.kind_ = Kind::kList;
  v.scalar_.ptr = list.get();
  v.heap_ = std::move(list);
  return v;
}
absl::StatusOr<Value> Value::Map(std::vector<std::pair<Value, Value>> entries) {
  auto map = OwnedMap::Make(std::move(entries));
  if (!map.ok()) return map.status();
  return MapOf(*std::move(map));
}
Value Value::MapOf(std::shared_ptr<const MapImpl> map) {
  Value v;
  v.kind_ = Kind::kMap;
  v.scalar_.ptr = map.get();
  v.heap_ = std::move(map);
  return v;
}
Value Value::Type(std::string name) {
  Value v;
  v.kind_ = Kind::kType;
  v.heap_ = std::make_shared<const TypeObject>(TypeObject{std::move(name)});
  return v;
}
Value Value::Timestamp(absl::Time t) {
  Value v;
  v.kind_ = Kind::kTimestamp;
  v.scalar_.t = t;
  return v;
}
Value Value::Duration(absl::Duration d) {
  Value v;
  v.kind_ = Kind::kDuration;
  v.scalar_.dur = d;
  return v;
}
Value Value::OptionalOf(Value inner) {
  Value v;
  v.kind_ = Kind::kOptional;
  v.heap_ = std::make_shared<const OptionalObject>(OptionalObject{true, std::move(inner)});
  return v;
}
Value Value::OptionalNone() {
  static const auto* none =
      new std::shared_ptr<const OptionalObject>(new OptionalObject{false, Value()});
  Value v;
  v.kind_ = Kind::kOptional;
  v.heap_ = *none;
  return v;
}
Value Value::Message(const google::protobuf::Message* message, std::shared_ptr<const void> owner) {
  Value v;
  v.kind_ = Kind::kMessage;
  v.scalar_.msg = message;
  v.heap_ = std::move(owner);
  return v;
}
Value Value::Message(std::shared_ptr<const google::protobuf::Message> message) {
  const google::protobuf::Message* raw = message.get();
  return Message(raw, std::move(message));
}
Value Value::Error(absl::Status status) {
  Value v;
  v.kind_ = Kind::kError;
  v.heap_ = std::make_shared<const ErrorObject>(ErrorObject{std::move(status)});
  return v;
}
Value Value::Unknown(std::vector<int64_t> expr_ids) {
  Value v;
  v.kind_ = Kind::kUnknown;
  v.heap_ = std::make_shared<const UnknownObject>(UnknownObject{std::move(expr_ids)});
  return v;
}
Value Value::Opaque(std::shared_ptr<const OpaqueValue> value) {
  Value v;
  v.kind_ = Kind::kOpaque;
  v.heap_ = std::move(value);
  return v;
}

Value Value::DocumentScalarValue(const core::Value* doc) { return DocumentScalar(doc); }

Value Value::FromCore(const core::Value& doc) { return Document(&doc).Detach(); }

const std::string& Value::type_name() const {
  return static_cast<const TypeObject*>(heap_.get())->name;
}
const absl::Status& Value::error() const {
  return static_cast<const ErrorObject*>(heap_.get())->status;
}
const std::vector<int64_t>& Value::unknown_ids() const {
  return static_cast<const UnknownObject*>(heap_.get())->ids;
}
bool Value::optional_has_value() const {
  return static_cast<const OptionalObject*>(heap_.get())->has_value;
}
const Value& Value::optional_value() const {
  return static_cast<const OptionalObject*>(heap_.get())->value;
}

size_t Value::ListSize() const {
  if (heap_ == nullptr) return scalar_.doc->list_value().size();
  return static_cast<const ListImpl*>(scalar_.ptr)->size();
}
size_t Value::MapSize() const {
  if (heap_ == nullptr) return scalar_.doc->map_value().size();
  return static_cast<const MapImpl*>(scalar_.ptr)->size();
}
std::optional<Value> Value::MapFind(const Value& key) const {
  if (heap_ == nullptr) {
    if (!key.is_string()) return std::nullopt;
    return MapFindString(key.string_value());
  }
  return static_cast<const MapImpl*>(scalar_.ptr)->Find(key);
}
std::optional<Value> Value::MapFindString(absl::string_view key) const {
  if (heap_ == nullptr) {
    const core::Value* found = scalar_.doc->Find(key);
    if (found == nullptr) return std::nullopt;
    return DocumentScalar(found);
  }
  return static_cast<const MapImpl*>(scalar_.ptr)->Find(Value::StringView(key, nullptr));
}
std::vector<Value> Value::MapKeys() const {
  if (heap_ == nullptr) {
    std::vector<Value> keys;
    keys.reserve(scalar_.doc->map_value().size());
    for (const core::MapEntry& e : scalar_.doc->map_value()) {
      keys.push_back(Value::StringView(e.key, nullptr));
    }
    return keys;
  }
  return static_cast<const MapImpl*>(scalar_.ptr)->Keys();
}

Value Value::Detach() const {
  switch (kind_) {
    case Kind::kString:
      return heap_ ? *this : String(std::string(string_value()));
    case Kind::kBytes:
      return heap_ ? *this : Bytes(std::string(bytes_value()));
    case Kind::kList: {
      if (heap_) return *this;
      std::vector<Value> elements;
      elements.reserve(ListSize());
      for (size_t i = 0; i < ListSize(); ++i) elements.push_back(ListGet(i).Detach());
      return List(std::move(elements));
    }
    case Kind::kMap: {
      if (heap_) return *this;
      std::vector<std::pair<Value, Value>> entries;
      for (const core::MapEntry& e : scalar_.doc->map_value()) {
        entries.emplace_back(String(e.key), DocumentScalar(&e.value).Detach());
      }
      auto map = Map(std::move(entries));
      return map.ok() ? *map : Error(map.status());
    }
    case Kind::kOptional:
      return optional_has_value() ? OptionalOf(optional_value().Detach()) : *this;
    default:
      return *this;
  }
}

std::string Value::DebugString() const {
  switch (kind_) {
    case Kind::kNull:
      return "null";
    case Kind::kBool:
      return bool_value() ? "true" : "false";
    case Kind::kInt:
      return absl::StrCat(int_value());
    case Kind::kUint:
      return absl::StrCat(uint_value(), "u");
    case Kind::kDouble:
      return absl::StrCat(double_value());
    case Kind::kString:
      return QuoteString(string_value());
    case Kind::kBytes:
      return absl::StrCat("b", QuoteString(bytes_value()));
    case Kind::kList: {
      std::vector<std::string> parts;
      for (size_t i = 0; i < ListSize(); ++i) parts.push_back(ListGet(i).DebugString());
      return absl::StrCat("[", absl::StrJoin(parts, ", "), "]");
    }
    case Kind::kMap: {
      std::vector<std::string> parts;
      for (const Value& k : MapKeys()) {
        parts.push_back(absl::StrCat(k.DebugString(), ": ", MapFind(k)->DebugString()));
      }
      return absl::StrCat("{", absl::StrJoin(parts, ", "), "}");
    }
    case Kind::kType:
      return type_name();
    case Kind::kTimestamp:
      return absl::StrCat(
          "timestamp(\"",
          absl::FormatTime(absl::RFC3339_full, timestamp_value(), absl::UTCTimeZone()), "\")");
    case Kind::kDuration:
      return absl::StrCat("duration(\"", absl::FormatDuration(duration_value()), "\")");
    case Kind::kOptional:
      return optional_has_value()
                 ? absl::StrCat("optional.of(", optional_value().DebugString(), ")")
                 : "optional.none()";
    case Kind::kMessage: {
      std::string text;
      google::protobuf::TextFormat::Printer printer;
      printer.SetSingleLineMode(true);
      printer.PrintToString(*message(), &text);
      return absl::StrCat(message()->GetTypeName(), "{", text, "}");
    }
    case Kind::kError:
      return absl::StrCat("error(", error().message(), ")");
    case Kind::kUnknown:
      return "unknown";
    case Kind::kOpaque:
      return absl::StrCat(opaque()->type_name(), "(", opaque()->ToString(), ")");
  }
  return "";
}

Value ErrorValue(absl::string_view message) {
  return Value::Error(absl::InvalidArgumentError(message));
}

Value NoOverload(absl::string_view function) {
  return ErrorValue(absl::StrCat("no such overload: ", function));
}

bool IsValidMapKey(const Value& v) {
  return v.is_bool() || v.is_int() || v.is_uint() || v.is_string();
}

}  // namespace bulwark::cel
