#include "bulwark/policy/kyverno/library.h"

#include <map>
#include <memory>
#include <utility>

#include "absl/strings/match.h"
#include "absl/strings/strip.h"
#include "absl/strings/str_cat.h"
#include "bulwark/policy/kyverno/image_reference.h"

namespace bulwark::policy::kyverno {
namespace {

using cel::Value;

// The receivers of the library's member functions: views of the supplied data.
class DataContext : public cel::OpaqueValue {
 public:
  DataContext(absl::string_view type_name, const ExternalData* data)
      : type_name_(type_name), data_(data) {}
  absl::string_view type_name() const override { return type_name_; }
  bool Equals(const cel::OpaqueValue& other) const override { return &other == this; }
  std::string ToString() const override { return std::string(type_name_); }
  const ExternalData* data() const { return data_; }

 private:
  absl::string_view type_name_;
  const ExternalData* data_;
};

constexpr absl::string_view kResourceType = "kyverno.resource";
constexpr absl::string_view kGlobalContextType = "kyverno.globalcontext";
constexpr absl::string_view kImageDataType = "kyverno.imagedata";
constexpr absl::string_view kImageType = "kyverno.image";

// The receiver's context when it is one of type `type`, else nullptr.
const DataContext* ContextOf(const Value& receiver, absl::string_view type) {
  if (!receiver.is_opaque() || receiver.opaque()->type_name() != type) return nullptr;
  return static_cast<const DataContext*>(receiver.opaque());
}

class ImageValue : public cel::OpaqueValue {
 public:
  explicit ImageValue(ImageReference ref) : ref_(std::move(ref)) {}
  absl::string_view type_name() const override { return kImageType; }
  bool Equals(const cel::OpaqueValue& other) const override {
    return other.type_name() == kImageType && static_cast<const ImageValue&>(other).ref_ == ref_;
  }
  std::string ToString() const override { return ref_.image; }
  const ImageReference& ref() const { return ref_; }

 private:
  ImageReference ref_;
};

bool AllStrings(absl::Span<const Value> args, size_t from) {
  for (size_t i = from; i < args.size(); ++i) {
    if (!args[i].is_string()) return false;
  }
  return true;
}

Value ParseImage(absl::Span<const Value> args) {
  if (!args[0].is_string()) return cel::NoOverload("image");
  absl::StatusOr<ImageReference> ref = ParseImageReference(args[0].string_value());
  if (!ref.ok()) return Value::Error(ref.status());
  return Value::Opaque(std::make_shared<const ImageValue>(*std::move(ref)));
}

Value IsImage(absl::Span<const Value> args) {
  if (!args[0].is_string()) return cel::NoOverload("isImage");
  return Value::Bool(ParseImageReference(args[0].string_value()).ok());
}

// registry(), repository(), ... on an image.
template <std::string ImageReference::*kField>
Value ImageField(absl::Span<const Value> args) {
  if (!args[0].is_opaque() || args[0].opaque()->type_name() != kImageType) {
    return cel::NoOverload("image accessor");
  }
  return Value::String(static_cast<const ImageValue*>(args[0].opaque())->ref().*kField);
}

Value ContainsDigest(absl::Span<const Value> args) {
  if (!args[0].is_opaque() || args[0].opaque()->type_name() != kImageType) {
    return cel::NoOverload("containsDigest");
  }
  return Value::Bool(!static_cast<const ImageValue*>(args[0].opaque())->ref().digest.empty());
}

Value ResourceGet(absl::Span<const Value> args) {
  const DataContext* context = ContextOf(args[0], kResourceType);
  if (context == nullptr || !AllStrings(args, 1)) return cel::NoOverload("Get");
  if (context->data() == nullptr) {
    return Value::Error(absl::NotFoundError(
        absl::StrCat(args[2].string_value(), " \"", args[4].string_value(),
                     "\" not found (no resources were supplied for resource.Get offline)")));
  }
  absl::StatusOr<const core::Value*> object =
      context->data()->GetResource(args[1].string_value(), args[2].string_value(),
                                   args[3].string_value(), args[4].string_value());
  if (!object.ok()) return Value::Error(object.status());
  return Value::Document(*object);
}

Value ResourceList(absl::Span<const Value> args) {
  const DataContext* context = ContextOf(args[0], kResourceType);
  if (context == nullptr || !AllStrings(args.subspan(0, 4), 1)) return cel::NoOverload("List");
  std::map<std::string, std::string> labels;
  if (args.size() == 5) {
    if (!args[4].is_map()) return cel::NoOverload("List");
    for (const Value& key : args[4].MapKeys()) {
      std::optional<Value> value = args[4].MapFind(key);
      if (!key.is_string() || !value.has_value() || !value->is_string()) {
        return cel::ErrorValue("resource.List: labels must map strings to strings");
      }
      labels.emplace(std::string(key.string_value()), std::string(value->string_value()));
    }
  }
  std::vector<Value> items;
  if (context->data() != nullptr) {
    for (const core::Value* object : context->data()->ListResources(
             args[1].string_value(), args[2].string_value(), args[3].string_value(), labels)) {
      items.push_back(Value::Document(object));
    }
  }
  std::vector<std::pair<Value, Value>> entries;
  entries.emplace_back(Value::String("items"), Value::List(std::move(items)));
  absl::StatusOr<Value> list = Value::Map(std::move(entries));
  return list.ok() ? *std::move(list) : Value::Error(list.status());
}

Value ResourcePost(absl::Span<const Value> args) {
  if (ContextOf(args[0], kResourceType) == nullptr) return cel::NoOverload("Post");
  return Value::Error(absl::UnimplementedError(
      "resource.Post is not available offline: it sends a request to the Kubernetes API server"));
}

Value GlobalContextGet(absl::Span<const Value> args) {
  const DataContext* context = ContextOf(args[0], kGlobalContextType);
  if (context == nullptr || !AllStrings(args, 1)) return cel::NoOverload("Get");
  const core::Value* entry = context->data() == nullptr
                                 ? nullptr
                                 : context->data()->GlobalContextEntry(args[1].string_value());
  if (entry == nullptr) return Value::Null();  // as the kyverno CLI: an absent entry is null
  absl::string_view projection = args[2].string_value();
  if (projection.empty() || !entry->is_map()) return Value::Document(entry);
  const core::Value* projected = entry->Find(projection);
  if (projected == nullptr) {
    return cel::ErrorValue(absl::StrCat("projection \"", projection,
                                        "\" not found in global context entry \"",
                                        args[1].string_value(), "\""));
  }
  return Value::Document(projected);
}

Value GetImageMetadata(absl::Span<const Value> args) {
  const DataContext* context = ContextOf(args[0], kImageDataType);
  if (context == nullptr || !args[1].is_string()) return cel::NoOverload("GetMetadata");
  const core::Value* data =
      context->data() == nullptr ? nullptr : context->data()->ImageData(args[1].string_value());
  if (data == nullptr) {
    return Value::Error(absl::NotFoundError(absl::StrCat(
        "image data for ", args[1].string_value(),
        " not found in the context: image.GetMetadata reads registries, which an offline "
        "evaluation cannot; supply it in the context file's spec.images")));
  }
  return Value::Document(data);
}

Value OfflineHttp(absl::Span<const Value>) {
  return Value::Error(absl::UnimplementedError(
      "http.Get/http.Post are not available offline: Bulwark evaluates policies without "
      "network access"));
}

Value ParseServiceAccount(absl::Span<const Value> args) {
  if (!args[0].is_string()) return cel::NoOverload("parseServiceAccount");
  constexpr absl::string_view kPrefix = "system:serviceaccount:";
  absl::string_view user = args[0].string_value();
  std::string namespace_name;
  std::string name;
  if (absl::ConsumePrefix(&user, kPrefix)) {
    if (size_t colon = user.find(':'); colon != absl::string_view::npos) {
      namespace_name = std::string(user.substr(0, colon));
      name = std::string(user.substr(colon + 1));
    }
  }
  std::vector<std::pair<Value, Value>> entries;
  entries.emplace_back(Value::String("Name"), Value::String(std::move(name)));
  entries.emplace_back(Value::String("Namespace"), Value::String(std::move(namespace_name)));
  return *Value::Map(std::move(entries));
}

Value StringList(const std::vector<std::string>& items) {
  std::vector<Value> values;
  for (const std::string& item : items) values.push_back(Value::String(item));
  return Value::List(std::move(values));
}

}  // namespace

const cel::FunctionLibrary& Library() {
  static const cel::FunctionLibrary* const kLibrary = [] {
    auto* library = new cel::FunctionLibrary();
    library->AddGlobal<&ParseImage>("image", 1)
        .AddGlobal<&ParseImage>("parseImageReference", 1)
        .AddGlobal<&IsImage>("isImage", 1)
        .AddMember<&ImageField<&ImageReference::registry>>("registry", 1)
        .AddMember<&ImageField<&ImageReference::repository>>("repository", 1)
        .AddMember<&ImageField<&ImageReference::identifier>>("identifier", 1)
        .AddMember<&ImageField<&ImageReference::tag>>("tag", 1)
        .AddMember<&ImageField<&ImageReference::digest>>("digest", 1)
        .AddMember<&ContainsDigest>("containsDigest", 1)
        .AddMember<&ResourceGet>("Get", 5)
        .AddMember<&ResourceList>("List", 4)
        .AddMember<&ResourceList>("List", 5)
        .AddMember<&ResourcePost>("Post", 4)
        .AddMember<&GlobalContextGet>("Get", 3)
        .AddMember<&GetImageMetadata>("GetMetadata", 2)
        .AddGlobal<&OfflineHttp>("http.Get", 1)
        .AddGlobal<&OfflineHttp>("http.Get", 2)
        .AddGlobal<&OfflineHttp>("http.Post", 2)
        .AddGlobal<&OfflineHttp>("http.Post", 3)
        .AddGlobal<&ParseServiceAccount>("parseServiceAccount", 1);
    return library;
  }();
  return *kLibrary;
}

void DeclareVariables(cel::Env& env) {
  for (const char* name : {"resource", "globalContext", "image", "exceptions"}) {
    env.DeclareVariable(name);
  }
}

void BindVariables(const ExternalData* data, const ExceptionAllowances& allowances,
                   cel::Activation& activation) {
  activation.Bind("resource",
                  Value::Opaque(std::make_shared<const DataContext>(kResourceType, data)));
  activation.Bind("globalContext",
                  Value::Opaque(std::make_shared<const DataContext>(kGlobalContextType, data)));
  activation.Bind("image",
                  Value::Opaque(std::make_shared<const DataContext>(kImageDataType, data)));
  std::vector<std::pair<Value, Value>> exceptions;
  exceptions.emplace_back(Value::String("allowedImages"), StringList(allowances.images));
  exceptions.emplace_back(Value::String("allowedValues"), StringList(allowances.values));
  activation.Bind("exceptions", *Value::Map(std::move(exceptions)));
}

}  // namespace bulwark::policy::kyverno
