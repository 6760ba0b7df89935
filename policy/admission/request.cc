#include "bulwark/policy/admission/request.h"

#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"

namespace bulwark::policy {
namespace {

using internal::FieldError;

// Built-in kinds whose plural is not Kubernetes' guess from the kind name.
const absl::flat_hash_map<std::string, std::string>& IrregularResources() {
  static const auto* const kResources = new absl::flat_hash_map<std::string, std::string>{
      {"Endpoints", "endpoints"},
      {"ComponentStatus", "componentstatuses"},
  };
  return *kResources;
}

const absl::flat_hash_set<std::string>& ClusterScopedKinds() {
  static const auto* const kKinds = new absl::flat_hash_set<std::string>{
      "APIService",
      "CertificateSigningRequest",
      "ClusterPolicy",
      "ClusterRole",
      "ClusterRoleBinding",
      "ComponentStatus",
      "CSIDriver",
      "CSINode",
      "CustomResourceDefinition",
      "FlowSchema",
      "ImageValidatingPolicy",
      "IngressClass",
      "MutatingAdmissionPolicy",
      "MutatingAdmissionPolicyBinding",
      "MutatingWebhookConfiguration",
      "Namespace",
      "Node",
      "PersistentVolume",
      "PodSecurityPolicy",
      "PriorityClass",
      "PriorityLevelConfiguration",
      "RuntimeClass",
      "StorageClass",
      "ValidatingAdmissionPolicy",
      "ValidatingAdmissionPolicyBinding",
      "ValidatingPolicy",
      "ValidatingWebhookConfiguration",
      "VolumeAttachment",
  };
  return *kKinds;
}

core::Value MapOf(std::vector<std::pair<std::string, core::Value>> entries) {
  core::ValueMap map;
  for (auto& [key, value] : entries) map.push_back({key, std::move(value)});
  return core::Value(std::move(map));
}

core::Value KindDocument(const GroupVersionKind& gvk) {
  return MapOf({{"group", core::Value(gvk.group)},
                {"version", core::Value(gvk.version)},
                {"kind", core::Value(gvk.kind)}});
}

core::Value ResourceDocument(const GroupVersionResource& gvr) {
  return MapOf({{"group", core::Value(gvr.group)},
                {"version", core::Value(gvr.version)},
                {"resource", core::Value(gvr.resource)}});
}

absl::StatusOr<GroupVersionKind> ParseGroupVersionKind(const core::Value& doc,
                                                       absl::string_view where) {
  if (!doc.is_map()) return FieldError(where, doc, "expected a map");
  GroupVersionKind gvk;
  BULWARK_ASSIGN_OR_RETURN(gvk.group, internal::OptionalString(doc, "group", where));
  BULWARK_ASSIGN_OR_RETURN(gvk.version, internal::OptionalString(doc, "version", where));
  BULWARK_ASSIGN_OR_RETURN(gvk.kind, internal::OptionalString(doc, "kind", where));
  if (gvk.version.empty() || gvk.kind.empty()) {
    return FieldError(where, doc, "version and kind are required");
  }
  return gvk;
}

absl::StatusOr<GroupVersionResource> ParseGroupVersionResource(const core::Value& doc,
                                                               absl::string_view where) {
  if (!doc.is_map()) return FieldError(where, doc, "expected a map");
  GroupVersionResource gvr;
  BULWARK_ASSIGN_OR_RETURN(gvr.group, internal::OptionalString(doc, "group", where));
  BULWARK_ASSIGN_OR_RETURN(gvr.version, internal::OptionalString(doc, "version", where));
  BULWARK_ASSIGN_OR_RETURN(gvr.resource, internal::OptionalString(doc, "resource", where));
  if (gvr.version.empty() || gvr.resource.empty()) {
    return FieldError(where, doc, "version and resource are required");
  }
  return gvr;
}

}  // namespace

core::Value AdmissionRequest::ToDocument() const {
  return MapOf({
      {"uid", core::Value(uid)},
      {"kind", KindDocument(kind)},
      {"resource", ResourceDocument(resource)},
      {"subResource", core::Value(sub_resource)},
      {"requestKind", KindDocument(kind)},
      {"requestResource", ResourceDocument(resource)},
      {"requestSubResource", core::Value(sub_resource)},
      {"name", core::Value(name)},
      {"namespace", core::Value(namespace_name)},
      {"operation", core::Value(operation)},
      {"userInfo", user_info.is_null() ? core::Value(core::ValueMap{}) : user_info},
      {"dryRun", core::Value(dry_run)},
      {"options", options},
  });
}

std::string AdmissionRequest::ResourceLabel() const {
  if (namespace_name.empty()) return absl::StrCat(kind.kind, " ", name);
  return absl::StrCat(kind.kind, " ", namespace_name, "/", name);
}

absl::StatusOr<std::pair<std::string, std::string>> SplitApiVersion(absl::string_view api_version) {
  std::vector<std::string> parts = absl::StrSplit(api_version, '/');
  if (api_version.empty() || parts.size() > 2 || parts.back().empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("malformed apiVersion '", api_version, "' (expected group/version or v1)"));
  }
  if (parts.size() == 1) return std::make_pair(std::string(), parts[0]);
  return std::make_pair(parts[0], parts[1]);
}

std::string ResourceForKind(absl::string_view kind) {
  auto it = IrregularResources().find(kind);
  if (it != IrregularResources().end()) return it->second;
  std::string lower = absl::AsciiStrToLower(kind);
  if (lower.empty()) return lower;
  char last = lower.back();
  if (last == 's') return lower + "es";
  if (last == 'y' && lower.size() >= 2 && !absl::StrContains("aeiou", lower[lower.size() - 2])) {
    lower.pop_back();
    return lower + "ies";
  }
  return lower + "s";
}

bool IsClusterScopedKind(absl::string_view kind) { return ClusterScopedKinds().contains(kind); }

absl::StatusOr<AdmissionRequest> RequestForObject(const core::Value& object,
                                                  absl::string_view operation) {
  if (!object.is_map()) return FieldError("resource", object, "expected a Kubernetes object map");
  std::string api_version = internal::StringAt(object, "apiVersion");
  std::string kind = internal::StringAt(object, "kind");
  if (api_version.empty() || kind.empty()) {
    return FieldError("resource", object, "apiVersion and kind are required");
  }
  absl::StatusOr<std::pair<std::string, std::string>> group_version = SplitApiVersion(api_version);
  if (!group_version.ok())
    return FieldError("apiVersion", object, group_version.status().message());
  const core::Value* metadata = object.Find("metadata");
  if (metadata != nullptr && !metadata->is_null() && !metadata->is_map()) {
    return FieldError("metadata", *metadata, "expected a map");
  }
  AdmissionRequest request;
  request.operation = std::string(operation);
  request.kind = {group_version->first, group_version->second, kind};
  request.resource = {group_version->first, group_version->second, ResourceForKind(kind)};
  request.name = internal::StringAt(object, "metadata.name");
  if (request.name.empty()) request.name = internal::StringAt(object, "metadata.generateName");
  std::string namespace_name = internal::StringAt(object, "metadata.namespace");
  request.namespaced = !IsClusterScopedKind(kind);
  if (request.namespaced)
    request.namespace_name = namespace_name.empty() ? "default" : namespace_name;
  if (operation == "DELETE") {
    request.old_object = object;
  } else {
    request.object = object;
  }
  return request;
}

absl::StatusOr<AdmissionRequest> RequestFromAdmissionReview(const core::Value& review) {
  if (!review.is_map()) return FieldError("AdmissionReview", review, "expected a map");
  if (internal::StringAt(review, "apiVersion") != "admission.k8s.io/v1" ||
      internal::StringAt(review, "kind") != "AdmissionReview") {
    return FieldError("AdmissionReview", review,
                      "expected apiVersion admission.k8s.io/v1 and kind AdmissionReview");
  }
  const core::Value* doc = review.Find("request");
  if (doc == nullptr || !doc->is_map()) {
    return FieldError("request", doc == nullptr ? review : *doc, "request is required");
  }
  AdmissionRequest request;
  BULWARK_ASSIGN_OR_RETURN(request.uid, internal::OptionalString(*doc, "uid", "request"));
  if (request.uid.empty()) return FieldError("request.uid", *doc, "uid is required");
  const core::Value* kind = doc->Find("kind");
  const core::Value* resource = doc->Find("resource");
  if (kind == nullptr || resource == nullptr) {
    return FieldError("request", *doc, "kind and resource are required");
  }
  BULWARK_ASSIGN_OR_RETURN(request.kind, ParseGroupVersionKind(*kind, "request.kind"));
  BULWARK_ASSIGN_OR_RETURN(request.resource,
                           ParseGroupVersionResource(*resource, "request.resource"));
  BULWARK_ASSIGN_OR_RETURN(request.sub_resource,
                           internal::OptionalString(*doc, "subResource", "request"));
  BULWARK_ASSIGN_OR_RETURN(request.name, internal::OptionalString(*doc, "name", "request"));
  BULWARK_ASSIGN_OR_RETURN(request.namespace_name,
                           internal::OptionalString(*doc, "namespace", "request"));
  BULWARK_ASSIGN_OR_RETURN(request.operation,
                           internal::OptionalString(*doc, "operation", "request"));
  if (request.operation != "CREATE" && request.operation != "UPDATE" &&
      request.operation != "DELETE" && request.operation != "CONNECT") {
    return FieldError(
        "request.operation", *doc,
        absl::StrCat("expected CREATE, UPDATE, DELETE or CONNECT, got '", request.operation, "'"));
  }
  // Scope is not part of the request; a request without a namespace is for a cluster-scoped
  // resource (the API server sets it for every namespaced one).
  request.namespaced = !request.namespace_name.empty();
  if (const core::Value* v = doc->Find("dryRun"); v != nullptr && v->is_bool()) {
    request.dry_run = v->bool_value();
  }
  if (const core::Value* v = doc->Find("userInfo")) request.user_info = *v;
  if (const core::Value* v = doc->Find("object")) request.object = *v;
  if (const core::Value* v = doc->Find("oldObject")) request.old_object = *v;
  if (const core::Value* v = doc->Find("options")) request.options = *v;
  return request;
}

}  // namespace bulwark::policy
