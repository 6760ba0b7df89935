#include "bulwark/policy/cel/internal/proto_value.h"

#include <cmath>
#include <limits>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_format.h"
#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/time/time.h"
#include "google/protobuf/util/message_differencer.h"

namespace bulwark::cel::internal {
namespace {

using google::protobuf::Descriptor;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

constexpr absl::string_view kTypeUrlPrefix = "type.googleapis.com/";

bool IsWrapper(absl::string_view name) {
  return name == "google.protobuf.BoolValue" || name == "google.protobuf.BytesValue" ||
         name == "google.protobuf.DoubleValue" || name == "google.protobuf.FloatValue" ||
         name == "google.protobuf.Int32Value" || name == "google.protobuf.Int64Value" ||
         name == "google.protobuf.StringValue" || name == "google.protobuf.UInt32Value" ||
         name == "google.protobuf.UInt64Value";
}

Value StringField(const Message& m, const Reflection* r, const FieldDescriptor* f, int index,
                  const std::shared_ptr<const void>& owner) {
  std::string scratch;
  const std::string& ref = index < 0 ? r->GetStringReference(m, f, &scratch)
                                     : r->GetRepeatedStringReference(m, f, index, &scratch);
  bool bytes = f->type() == FieldDescriptor::TYPE_BYTES;
  if (&ref == &scratch) return bytes ? Value::Bytes(scratch) : Value::String(scratch);
  return bytes ? Value::BytesView(ref, owner) : Value::StringView(ref, owner);
}

// The value of a singular field, or of element `index` of a repeated one (index >= 0).
Value FieldValue(const Message& m, const FieldDescriptor* f, int index,
                 const std::shared_ptr<const void>& owner, const TypeProvider& types) {
  const Reflection* r = m.GetReflection();
  bool rep = index >= 0;
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32:
      return Value::Int(rep ? r->GetRepeatedInt32(m, f, index) : r->GetInt32(m, f));
    case FieldDescriptor::CPPTYPE_INT64:
      return Value::Int(rep ? r->GetRepeatedInt64(m, f, index) : r->GetInt64(m, f));
    case FieldDescriptor::CPPTYPE_UINT32:
      return Value::Uint(rep ? r->GetRepeatedUInt32(m, f, index) : r->GetUInt32(m, f));
    case FieldDescriptor::CPPTYPE_UINT64:
      return Value::Uint(rep ? r->GetRepeatedUInt64(m, f, index) : r->GetUInt64(m, f));
    case FieldDescriptor::CPPTYPE_FLOAT:
      return Value::Double(rep ? r->GetRepeatedFloat(m, f, index) : r->GetFloat(m, f));
    case FieldDescriptor::CPPTYPE_DOUBLE:
      return Value::Double(rep ? r->GetRepeatedDouble(m, f, index) : r->GetDouble(m, f));
    case FieldDescriptor::CPPTYPE_BOOL:
      return Value::Bool(rep ? r->GetRepeatedBool(m, f, index) : r->GetBool(m, f));
    case FieldDescriptor::CPPTYPE_ENUM:
      if (f->enum_type()->full_name() == "google.protobuf.NullValue") return Value::Null();
      return Value::Int(rep ? r->GetRepeatedEnumValue(m, f, index) : r->GetEnumValue(m, f));
    case FieldDescriptor::CPPTYPE_STRING:
      return StringField(m, r, f, index, owner);
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      if (!rep && !r->HasField(m, f)) {
        absl::string_view type = f->message_type()->full_name();
        if (IsWrapper(type) || type == "google.protobuf.Value" || type == "google.protobuf.Any") {
          return Value::Null();
        }
      }
      const Message& sub = rep ? r->GetRepeatedMessage(m, f, index) : r->GetMessage(m, f);
      return MessageToValue(&sub, owner, types);
    }
  }
  return Value::Null();
}

class RepeatedFieldList final : public ListImpl {
 public:
  RepeatedFieldList(const Message* m, const FieldDescriptor* f, std::shared_ptr<const void> owner,
                    const TypeProvider& types)
      : message_(m), field_(f), owner_(std::move(owner)), types_(types) {}
  size_t size() const override {
    return static_cast<size_t>(message_->GetReflection()->FieldSize(*message_, field_));
  }
  Value Get(size_t index) const override {
    return FieldValue(*message_, field_, static_cast<int>(index), owner_, types_);
  }

 private:
  const Message* message_;
  const FieldDescriptor* field_;
  std::shared_ptr<const void> owner_;
  TypeProvider types_;
};

Value MapField(const Message& m, const FieldDescriptor* f, const std::shared_ptr<const void>& owner,
               const TypeProvider& types) {
  const Reflection* r = m.GetReflection();
  const FieldDescriptor* key_field = f->message_type()->map_key();
  const FieldDescriptor* value_field = f->message_type()->map_value();
  std::vector<std::pair<Value, Value>> entries;
  int n = r->FieldSize(m, f);
  entries.reserve(n);
  for (int i = 0; i < n; ++i) {
    const Message& entry = r->GetRepeatedMessage(m, f, i);
    entries.emplace_back(FieldValue(entry, key_field, -1, owner, types),
                         FieldValue(entry, value_field, -1, owner, types));
  }
  absl::StatusOr<Value> map = Value::Map(std::move(entries));
  return map.ok() ? *map : Value::Error(map.status());
}

Value FieldOf(const Message& m, const FieldDescriptor* f, const std::shared_ptr<const void>& owner,
              const TypeProvider& types) {
  if (f->is_map()) return MapField(m, f, owner, types);
  if (f->is_repeated()) {
    return Value::ListOf(std::make_shared<const RepeatedFieldList>(&m, f, owner, types));
  }
  return FieldValue(m, f, -1, owner, types);
}

const FieldDescriptor* Field(const Message& m, absl::string_view name) {
  return m.GetDescriptor()->FindFieldByName(std::string(name));
}

// A field or, for a qualified name, an extension of the message's type.
const FieldDescriptor* FieldOrExtension(const Message& m, absl::string_view name) {
  const FieldDescriptor* f = Field(m, name);
  if (f != nullptr || !absl::StrContains(name, '.')) return f;
  const FieldDescriptor* ext = m.GetDescriptor()->file()->pool()->FindExtensionByName(std::string(name));
  if (ext != nullptr && ext->containing_type() == m.GetDescriptor()) return ext;
  return nullptr;
}

Value UnpackAny(const Message& any, const TypeProvider& types) {
  const Reflection* r = any.GetReflection();
  std::string url = r->GetString(any, Field(any, "type_url"));
  absl::string_view name = url;
  size_t slash = name.rfind('/');
  if (slash != absl::string_view::npos) name.remove_prefix(slash + 1);
  const Descriptor* d = types.pool->FindMessageTypeByName(std::string(name));
  if (d == nullptr) return ErrorValue(absl::StrCat("unknown type in Any: ", url));
  std::shared_ptr<Message> unpacked(types.factory->GetPrototype(d)->New());
  if (!unpacked->ParseFromString(r->GetString(any, Field(any, "value")))) {
    return ErrorValue(absl::StrCat("malformed Any of type ", url));
  }
  const Message* raw = unpacked.get();
  return MessageToValue(raw, std::move(unpacked), types);
}

// --- Building messages from CEL values. ---

absl::Status AssignMessage(Message* dst, const Value& v, const TypeProvider& types);

absl::Status TypeMismatch(const FieldDescriptor* f, const Value& v) {
  return absl::InvalidArgumentError(absl::StrCat("field '", f->name(), "': cannot assign ",
                                                 KindTypeName(v.kind()), " value"));
}

absl::StatusOr<int64_t> AsInt(const FieldDescriptor* f, const Value& v) {
  if (v.is_int()) return v.int_value();
  return TypeMismatch(f, v);
}

absl::Status SetScalar(Message* m, const FieldDescriptor* f, const Value& v, bool add,
                       const TypeProvider& types) {
  const Reflection* r = m->GetReflection();
  switch (f->cpp_type()) {
    case FieldDescriptor::CPPTYPE_INT32: {
      if (!v.is_int()) return TypeMismatch(f, v);
      int64_t i = v.int_value();
      if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
        return absl::OutOfRangeError(absl::StrCat("field '", f->name(), "': int32 out of range"));
      }
      add ? r->AddInt32(m, f, static_cast<int32_t>(i)) : r->SetInt32(m, f, static_cast<int32_t>(i));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_INT64:
      if (!v.is_int()) return TypeMismatch(f, v);
      add ? r->AddInt64(m, f, v.int_value()) : r->SetInt64(m, f, v.int_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_UINT32: {
      if (!v.is_uint()) return TypeMismatch(f, v);
      if (v.uint_value() > std::numeric_limits<uint32_t>::max()) {
        return absl::OutOfRangeError(absl::StrCat("field '", f->name(), "': uint32 out of range"));
      }
      auto u = static_cast<uint32_t>(v.uint_value());
      add ? r->AddUInt32(m, f, u) : r->SetUInt32(m, f, u);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_UINT64:
      if (!v.is_uint()) return TypeMismatch(f, v);
      add ? r->AddUInt64(m, f, v.uint_value()) : r->SetUInt64(m, f, v.uint_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_FLOAT: {
      if (!v.is_double()) return TypeMismatch(f, v);
      auto fl = static_cast<float>(v.double_value());
      add ? r->AddFloat(m, f, fl) : r->SetFloat(m, f, fl);
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_DOUBLE:
      if (!v.is_double()) return TypeMismatch(f, v);
      add ? r->AddDouble(m, f, v.double_value()) : r->SetDouble(m, f, v.double_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_BOOL:
      if (!v.is_bool()) return TypeMismatch(f, v);
      add ? r->AddBool(m, f, v.bool_value()) : r->SetBool(m, f, v.bool_value());
      return absl::OkStatus();
    case FieldDescriptor::CPPTYPE_ENUM: {
      int64_t i = 0;
      if (f->enum_type()->full_name() == "google.protobuf.NullValue") {
        if (!v.is_null() && !v.is_int()) return TypeMismatch(f, v);
        i = v.is_int() ? v.int_value() : 0;
      } else {
        absl::StatusOr<int64_t> e = AsInt(f, v);
        if (!e.ok()) return e.status();
        i = *e;
      }
      if (i < std::numeric_limits<int32_t>::min() || i > std::numeric_limits<int32_t>::max()) {
        return absl::OutOfRangeError(absl::StrCat("field '", f->name(), "': enum out of range"));
      }
      add ? r->AddEnumValue(m, f, static_cast<int>(i)) : r->SetEnumValue(m, f, static_cast<int>(i));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_STRING: {
      bool bytes = f->type() == FieldDescriptor::TYPE_BYTES;
      if (bytes ? !v.is_bytes() : !v.is_string()) return TypeMismatch(f, v);
      std::string s(v.string_value());
      add ? r->AddString(m, f, std::move(s)) : r->SetString(m, f, std::move(s));
      return absl::OkStatus();
    }
    case FieldDescriptor::CPPTYPE_MESSAGE: {
      Message* sub = add ? r->AddMessage(m, f) : r->MutableMessage(m, f);
      absl::Status s = AssignMessage(sub, v, types);
      if (!s.ok()) return absl::InvalidArgumentError(absl::StrCat("field '", f->name(), "': ", s.message()));
      return absl::OkStatus();
    }
  }
  return TypeMismatch(f, v);
}

void SetTimeFields(Message* dst, int64_t seconds, int32_t nanos) {
  const Reflection* r = dst->GetReflection();
  r->SetInt64(dst, Field(*dst, "seconds"), seconds);
  r->SetInt32(dst, Field(*dst, "nanos"), nanos);
}

absl::Status AssignJsonValue(Message* dst, const Value& v, const TypeProvider& types);

absl::Status AssignStruct(Message* dst, const Value& v, const TypeProvider& types) {
  if (!v.is_map()) return absl::InvalidArgumentError("expected a map for google.protobuf.Struct");
  const Reflection* r = dst->GetReflection();
  const FieldDescriptor* fields = Field(*dst, "fields");
  for (const Value& key : v.MapKeys()) {
    if (!key.is_string()) {
      return absl::InvalidArgumentError("google.protobuf.Struct keys must be strings");
    }
    Message* entry = r->AddMessage(dst, fields);
    const Reflection* er = entry->GetReflection();
    er->SetString(entry, entry->GetDescriptor()->map_key(), std::string(key.string_value()));
    absl::Status s = AssignJsonValue(
        er->MutableMessage(entry, entry->GetDescriptor()->map_value()), *v.MapFind(key), types);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

absl::Status AssignListValue(Message* dst, const Value& v, const TypeProvider& types) {
  if (!v.is_list()) return absl::InvalidArgumentError("expected a list for google.protobuf.ListValue");
  const Reflection* r = dst->GetReflection();
  const FieldDescriptor* values = Field(*dst, "values");
  for (size_t i = 0; i < v.ListSize(); ++i) {
    absl::Status s = AssignJsonValue(r->AddMessage(dst, values), v.ListGet(i), types);
    if (!s.ok()) return s;
  }
  return absl::OkStatus();
}

std::string FormatTimestamp(absl::Time t) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E*SZ", t, absl::UTCTimeZone());
}

absl::Status AssignJsonValue(Message* dst, const Value& v, const TypeProvider& types) {
  const Reflection* r = dst->GetReflection();
  auto set_number = [&](double d) { r->SetDouble(dst, Field(*dst, "number_value"), d); };
  auto set_string = [&](std::string s) { r->SetString(dst, Field(*dst, "string_value"), std::move(s)); };
  switch (v.kind()) {
    case Kind::kNull:
      r->SetEnumValue(dst, Field(*dst, "null_value"), 0);
      return absl::OkStatus();
    case Kind::kBool:
      r->SetBool(dst, Field(*dst, "bool_value"), v.bool_value());
      return absl::OkStatus();
    case Kind::kInt:
      if (std::abs(static_cast<double>(v.int_value())) > 9007199254740991.0) {
        set_string(absl::StrCat(v.int_value()));
      } else {
        set_number(static_cast<double>(v.int_value()));
      }
      return absl::OkStatus();
    case Kind::kUint:
      if (static_cast<double>(v.uint_value()) > 9007199254740991.0) {
        set_string(absl::StrCat(v.uint_value()));
      } else {
        set_number(static_cast<double>(v.uint_value()));
      }
      return absl::OkStatus();
    case Kind::kDouble:
      set_number(v.double_value());
      return absl::OkStatus();
    case Kind::kString:
      set_string(std::string(v.string_value()));
      return absl::OkStatus();
    case Kind::kBytes:
      set_string(absl::Base64Escape(v.bytes_value()));
      return absl::OkStatus();
    case Kind::kTimestamp:
      set_string(FormatTimestamp(v.timestamp_value()));
      return absl::OkStatus();
    case Kind::kDuration: {
      int64_t nanos = absl::ToInt64Nanoseconds(v.duration_value());
      std::string text = absl::StrCat(nanos / 1000000000);
      if (nanos % 1000000000 != 0) {
        std::string frac = absl::StrFormat("%09d", std::abs(nanos % 1000000000));
        while (frac.back() == '0') frac.pop_back();
        absl::StrAppend(&text, ".", frac);
      }
      set_string(absl::StrCat(text, "s"));
      return absl::OkStatus();
    }
    case Kind::kList:
      return AssignListValue(r->MutableMessage(dst, Field(*dst, "list_value")), v, types);
    case Kind::kMap:
      return AssignStruct(r->MutableMessage(dst, Field(*dst, "struct_value")), v, types);
    case Kind::kMessage: {
      const std::string& type = v.message()->GetDescriptor()->full_name();
      const Reflection* vr = v.message()->GetReflection();
      if (type == "google.protobuf.Value") {
        dst->CopyFrom(*v.message());
        return absl::OkStatus();
      }
      if (type == "google.protobuf.Empty") {
        r->MutableMessage(dst, Field(*dst, "struct_value"));
        return absl::OkStatus();
      }
      if (type == "google.protobuf.FieldMask") {
        const FieldDescriptor* paths = Field(*v.message(), "paths");
        std::vector<std::string> parts;
        for (int i = 0; i < vr->FieldSize(*v.message(), paths); ++i) {
          parts.push_back(vr->GetRepeatedString(*v.message(), paths, i));
        }
        set_string(absl::StrJoin(parts, ","));
        return absl::OkStatus();
      }
      break;
    }
    default:
      break;
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot convert ", KindTypeName(v.kind()), " to google.protobuf.Value"));
}

absl::Status PackAny(Message* any, const Value& v, const TypeProvider& types) {
  std::string type;
  std::string payload;
  if (v.is_message()) {
    type = v.message()->GetDescriptor()->full_name();
    payload = v.message()->SerializeAsString();
  } else {
    const char* wrapper = nullptr;
    switch (v.kind()) {
      case Kind::kBool: wrapper = "google.protobuf.BoolValue"; break;
      case Kind::kInt: wrapper = "google.protobuf.Int64Value"; break;
      case Kind::kUint: wrapper = "google.protobuf.UInt64Value"; break;
      case Kind::kDouble: wrapper = "google.protobuf.DoubleValue"; break;
      case Kind::kString: wrapper = "google.protobuf.StringValue"; break;
      case Kind::kBytes: wrapper = "google.protobuf.BytesValue"; break;
      case Kind::kTimestamp: wrapper = "google.protobuf.Timestamp"; break;
      case Kind::kDuration: wrapper = "google.protobuf.Duration"; break;
      case Kind::kList: wrapper = "google.protobuf.ListValue"; break;
      case Kind::kMap: wrapper = "google.protobuf.Struct"; break;
      case Kind::kNull: wrapper = "google.protobuf.Value"; break;
      default:
        return absl::InvalidArgumentError(
            absl::StrCat("cannot pack ", KindTypeName(v.kind()), " into google.protobuf.Any"));
    }
    const Descriptor* d = types.pool->FindMessageTypeByName(wrapper);
    if (d == nullptr) return absl::InternalError(absl::StrCat("missing type ", wrapper));
    std::unique_ptr<Message> inner(types.factory->GetPrototype(d)->New());
    absl::Status s = AssignMessage(inner.get(), v, types);
    if (!s.ok()) return s;
    type = wrapper;
    payload = inner->SerializeAsString();
  }
  const Reflection* r = any->GetReflection();
  r->SetString(any, Field(*any, "type_url"), absl::StrCat(kTypeUrlPrefix, type));
  r->SetString(any, Field(*any, "value"), std::move(payload));
  return absl::OkStatus();
}

absl::Status AssignMessage(Message* dst, const Value& v, const TypeProvider& types) {
  const Descriptor* d = dst->GetDescriptor();
  const std::string& name = d->full_name();
  if (v.is_message() && v.message()->GetDescriptor() == d) {
    dst->CopyFrom(*v.message());
    return absl::OkStatus();
  }
  if (name == "google.protobuf.Any") return PackAny(dst, v, types);
  if (name == "google.protobuf.Value") return AssignJsonValue(dst, v, types);
  if (name == "google.protobuf.Struct") return AssignStruct(dst, v, types);
  if (name == "google.protobuf.ListValue") return AssignListValue(dst, v, types);
  if (name == "google.protobuf.Timestamp" && v.is_timestamp()) {
    absl::Duration since = v.timestamp_value() - absl::UnixEpoch();
    int64_t seconds = absl::IDivDuration(since, absl::Seconds(1), &since);
    int64_t nanos = absl::ToInt64Nanoseconds(since);
    if (nanos < 0) {
      nanos += 1000000000;
      --seconds;
    }
    SetTimeFields(dst, seconds, static_cast<int32_t>(nanos));
    return absl::OkStatus();
  }
  if (name == "google.protobuf.Duration" && v.is_duration()) {
    absl::Duration rem = v.duration_value();
    int64_t seconds = absl::IDivDuration(rem, absl::Seconds(1), &rem);
    SetTimeFields(dst, seconds, static_cast<int32_t>(absl::ToInt64Nanoseconds(rem)));
    return absl::OkStatus();
  }
  if (IsWrapper(name)) {
    if (v.is_null()) return absl::OkStatus();
    return SetScalar(dst, Field(*dst, "value"), v, false, types);
  }
  return absl::InvalidArgumentError(
      absl::StrCat("cannot assign ", KindTypeName(v.kind()), " to message ", name));
}

// Whether a null element of message field `f` is dropped (wrappers, Timestamp, Duration, plain
// messages) rather than stored (google.protobuf.Value and Any keep a JSON null).
bool PrunesNull(const FieldDescriptor* f) {
  if (f->cpp_type() != FieldDescriptor::CPPTYPE_MESSAGE) return false;
  const std::string& type = f->message_type()->full_name();
  return type != "google.protobuf.Value" && type != "google.protobuf.Any";
}

absl::Status SetField(Message* m, const FieldDescriptor* f, const Value& v,
                      const TypeProvider& types) {
  const Reflection* r = m->GetReflection();
  if (f->is_map()) {
    if (!v.is_map()) return TypeMismatch(f, v);
    const FieldDescriptor* value_field = f->message_type()->map_value();
    for (const Value& key : v.MapKeys()) {
      if (v.MapFind(key)->is_null() && PrunesNull(value_field)) continue;
      Message* entry = r->AddMessage(m, f);
      absl::Status s = SetScalar(entry, f->message_type()->map_key(), key, false, types);
      if (s.ok()) s = SetScalar(entry, f->message_type()->map_value(), *v.MapFind(key), false, types);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (f->is_repeated()) {
    if (!v.is_list()) return TypeMismatch(f, v);
    for (size_t i = 0; i < v.ListSize(); ++i) {
      if (v.ListGet(i).is_null() && PrunesNull(f)) continue;
      absl::Status s = SetScalar(m, f, v.ListGet(i), true, types);
      if (!s.ok()) return s;
    }
    return absl::OkStatus();
  }
  if (v.is_null() && f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
    const std::string& type = f->message_type()->full_name();
    if (type == "google.protobuf.Value") return SetScalar(m, f, v, false, types);
    if (type == "google.protobuf.ListValue" || type == "google.protobuf.Struct") {
      return TypeMismatch(f, v);
    }
    r->ClearField(m, f);
    return absl::OkStatus();
  }
  return SetScalar(m, f, v, false, types);
}

}  // namespace

Value MessageToValue(const Message* message, std::shared_ptr<const void> owner,
                     const TypeProvider& types) {
  const std::string& name = message->GetDescriptor()->full_name();
  if (absl::StartsWith(name, "google.protobuf.")) {
    const Reflection* r = message->GetReflection();
    if (name == "google.protobuf.Timestamp" || name == "google.protobuf.Duration") {
      int64_t seconds = r->GetInt64(*message, Field(*message, "seconds"));
      int32_t nanos = r->GetInt32(*message, Field(*message, "nanos"));
      absl::Duration d = absl::Seconds(seconds) + absl::Nanoseconds(nanos);
      return name == "google.protobuf.Duration" ? Value::Duration(d)
                                                : Value::Timestamp(absl::UnixEpoch() + d);
    }
    if (IsWrapper(name)) return FieldValue(*message, Field(*message, "value"), -1, owner, types);
    if (name == "google.protobuf.Any") return UnpackAny(*message, types);
    if (name == "google.protobuf.Struct") {
      return MapField(*message, Field(*message, "fields"), owner, types);
    }
    if (name == "google.protobuf.ListValue") {
      return FieldOf(*message, Field(*message, "values"), owner, types);
    }
    if (name == "google.protobuf.Value") {
      const google::protobuf::OneofDescriptor* kind = message->GetDescriptor()->FindOneofByName("kind");
      const FieldDescriptor* set = r->GetOneofFieldDescriptor(*message, kind);
      if (set == nullptr) return Value::Null();
      return FieldValue(*message, set, -1, owner, types);
    }
  }
  return Value::Message(message, std::move(owner));
}

Value SelectField(const Value& message, absl::string_view field, const TypeProvider& types) {
  const Message& m = *message.message();
  const FieldDescriptor* f = FieldOrExtension(m, field);
  if (f == nullptr) {
    return ErrorValue(absl::StrCat("no such field '", field, "' in ", m.GetTypeName()));
  }
  return FieldOf(m, f, message.owner(), types);
}

Value HasField(const Value& message, absl::string_view field) {
  const Message& m = *message.message();
  const FieldDescriptor* f = FieldOrExtension(m, field);
  if (f == nullptr) {
    return ErrorValue(absl::StrCat("no such field '", field, "' in ", m.GetTypeName()));
  }
  const Reflection* r = m.GetReflection();
  if (f->is_repeated()) return Value::Bool(r->FieldSize(m, f) > 0);
  return Value::Bool(r->HasField(m, f));
}

absl::StatusOr<Value> BuildMessage(const Descriptor* type,
                                   const std::vector<std::pair<std::string, Value>>& fields,
                                   const TypeProvider& types) {
  std::shared_ptr<Message> message(types.factory->GetPrototype(type)->New());
  for (const auto& [name, value] : fields) {
    const FieldDescriptor* f = type->FindFieldByName(name);
    if (f == nullptr) {
      return absl::NotFoundError(absl::StrCat("no such field '", name, "' in ", type->full_name()));
    }
    absl::Status s = SetField(message.get(), f, value, types);
    if (!s.ok()) return s;
  }
  const Message* raw = message.get();
  return MessageToValue(raw, std::move(message), types);
}

bool MessagesEqual(const Message& a, const Message& b) {
  if (a.GetDescriptor() != b.GetDescriptor()) return false;
  return google::protobuf::util::MessageDifferencer::Equals(a, b);
}

bool IsDefaultMessage(const Message& message) {
  std::vector<const FieldDescriptor*> set;
  message.GetReflection()->ListFields(message, &set);
  return set.empty();
}

}  // namespace bulwark::cel::internal
