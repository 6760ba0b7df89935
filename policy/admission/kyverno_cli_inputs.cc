#include "bulwark/policy/admission/kyverno_cli_inputs.h"

#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"

namespace bulwark::policy {
namespace {

using internal::FieldError;
using internal::StringAt;

absl::Status WithSource(absl::string_view source, const absl::Status& status) {
  return absl::Status(status.code(), absl::StrCat(source, ": ", status.message()));
}

absl::StatusOr<core::Value> ReadSingleDocument(const std::string& path,
                                               const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents, core::ParseYamlFile(path, limits));
  if (documents.size() != 1 || !documents[0].is_map()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": expected one YAML document (a map)"));
  }
  return std::move(documents[0]);
}

bool IsCliDocument(const core::Value& doc, absl::string_view kind) {
  return StringAt(doc, "apiVersion") == "cli.kyverno.io/v1alpha1" && StringAt(doc, "kind") == kind;
}

core::Value NamespaceWithLabels(const std::string& name, core::Value labels) {
  core::ValueMap metadata{{"name", core::Value(name)}, {"labels", std::move(labels)}};
  return core::Value(core::ValueMap{{"apiVersion", core::Value("v1")},
                                    {"kind", core::Value("Namespace")},
                                    {"metadata", core::Value(std::move(metadata))}});
}

absl::Status ParseValues(const core::Value& values, KyvernoValues& out) {
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* namespaces,
                           internal::OptionalList(values, "namespaces", ""));
  if (namespaces != nullptr) {
    for (size_t i = 0; i < namespaces->size(); ++i) {
      const core::Value& ns = (*namespaces)[i];
      if (!ns.is_map() || StringAt(ns, "metadata.name").empty()) {
        return FieldError(absl::StrCat("namespaces[", i, "].metadata.name"), ns, "is required");
      }
      core::Value copy = ns;
      if (copy.Find("kind") == nullptr) {
        core::ValueMap map = copy.map_value();
        map.push_back({"apiVersion", core::Value("v1")});
        map.push_back({"kind", core::Value("Namespace")});
        copy = core::Value(std::move(map));
      }
      out.namespaces.push_back(std::move(copy));
    }
  }
  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* selectors,
                           internal::OptionalList(values, "namespaceSelector", ""));
  if (selectors != nullptr) {
    for (size_t i = 0; i < selectors->size(); ++i) {
      const core::Value& selector = (*selectors)[i];
      std::string path = absl::StrCat("namespaceSelector[", i, "]");
      std::string name = StringAt(selector, "name");
      if (name.empty()) return FieldError(absl::StrCat(path, ".name"), selector, "is required");
      const core::Value* labels = selector.Find("labels");
      if (labels != nullptr && !labels->is_null() && !labels->is_map()) {
        return FieldError(absl::StrCat(path, ".labels"), *labels, "expected a map");
      }
      bool shadowed = false;  // `namespaces` take precedence, as in the Kyverno CLI
      for (const core::Value& ns : out.namespaces) {
        shadowed = shadowed || StringAt(ns, "metadata.name") == name;
      }
      if (shadowed) continue;
      out.namespaces.push_back(NamespaceWithLabels(
          name, labels == nullptr || labels->is_null() ? core::Value(core::ValueMap{}) : *labels));
    }
  }
  const core::Value* global = values.Find("globalValues");
  if (global != nullptr && !global->is_null()) {
    if (!global->is_map()) return FieldError("globalValues", *global, "expected a map");
    if (const core::Value* operation = global->Find("request.operation"); operation != nullptr) {
      if (!operation->is_string() ||
          (operation->string_value() != "CREATE" && operation->string_value() != "UPDATE" &&
           operation->string_value() != "DELETE")) {
        return FieldError("globalValues[\"request.operation\"]", *operation,
                          "expected CREATE, UPDATE or DELETE");
      }
      out.operation = operation->string_value();
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<KyvernoValues> ParseKyvernoValues(const core::Value& values,
                                                 absl::string_view source) {
  if (!values.is_map()) {
    return WithSource(source, FieldError("", values, "expected a Values document (a map)"));
  }
  if (values.Find("kind") != nullptr && !IsCliDocument(values, "Values")) {
    return WithSource(source,
                      FieldError("kind", values, "expected a cli.kyverno.io/v1alpha1 Values"));
  }
  KyvernoValues out;
  absl::Status status = ParseValues(values, out);
  if (!status.ok()) return WithSource(source, status);
  return out;
}

absl::StatusOr<KyvernoValues> ReadKyvernoValues(const std::string& path,
                                                const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, ReadSingleDocument(path, limits));
  return ParseKyvernoValues(document, path);
}

absl::StatusOr<core::Value> ParseKyvernoUserInfo(const core::Value& document,
                                                 absl::string_view source) {
  if (!IsCliDocument(document, "UserInfo")) {
    return WithSource(source,
                      FieldError("kind", document, "expected a cli.kyverno.io/v1alpha1 UserInfo"));
  }
  const core::Value* user = document.Find("userInfo");
  if (user == nullptr || user->is_null()) return core::Value(core::ValueMap{});
  if (!user->is_map()) return WithSource(source, FieldError("userInfo", *user, "expected a map"));
  return *user;
}

absl::StatusOr<core::Value> ReadKyvernoUserInfo(const std::string& path,
                                                const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, ReadSingleDocument(path, limits));
  return ParseKyvernoUserInfo(document, path);
}

absl::Status ReadKyvernoContext(const std::string& path, kyverno::ExternalData& data,
                                const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents, core::ParseYamlFile(path, limits));
  for (size_t i = 0; i < documents.size(); ++i) {
    if (documents[i].is_null()) continue;
    std::string source = documents.size() == 1 ? path : absl::StrCat(path, "#", i);
    BULWARK_RETURN_IF_ERROR(data.AddContextDocument(documents[i], source));
  }
  return absl::OkStatus();
}

absl::StatusOr<AdmissionRequest> KyvernoCliRequest(const core::Value& object,
                                                   absl::string_view operation,
                                                   const core::Value& user_info) {
  BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request, RequestForObject(object, operation));
  if (operation == "UPDATE") request.old_object = object;
  request.user_info = user_info;
  return request;
}

}  // namespace bulwark::policy
