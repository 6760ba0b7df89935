// The attributes of one admission request (admission.k8s.io/v1 AdmissionRequest), built from an
// AdmissionReview or, offline, from a resource document as `kubectl create` would send it.
//   BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request, RequestForObject(pod));
//   request.resource.resource;   // "pods"
//   core::Value cel_request = request.ToDocument();   // what CEL sees as `request`
// Thread safety: a plain value type.
#ifndef BULWARK_POLICY_ADMISSION_REQUEST_H_
#define BULWARK_POLICY_ADMISSION_REQUEST_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"

namespace bulwark::policy {

struct GroupVersionKind {
  std::string group;  // "" for the core group
  std::string version;
  std::string kind;
};

struct GroupVersionResource {
  std::string group;
  std::string version;
  std::string resource;  // plural, lower case: "pods", "deployments"
};

struct AdmissionRequest {
  std::string uid;
  GroupVersionKind kind;
  GroupVersionResource resource;
  std::string sub_resource;
  std::string name;
  std::string namespace_name;        // "" for cluster-scoped resources
  std::string operation = "CREATE";  // CREATE, UPDATE, DELETE or CONNECT
  bool namespaced = true;            // scope of the resource (resourceRules' `scope`)
  bool dry_run = false;
  core::Value user_info;   // authentication.k8s.io/v1 UserInfo; null when unknown
  core::Value object;      // null for DELETE
  core::Value old_object;  // null for CREATE
  core::Value options;     // null when absent

  // The request as the CEL variable `request` sees it (AdmissionRequest's JSON field names:
  // kind, resource, subResource, requestKind, requestResource, name, namespace, operation,
  // userInfo, dryRun, options, uid). object and oldObject are left out (they have their own
  // variables).
  core::Value ToDocument() const;

  // "Kind namespace/name" (or "Kind name" when cluster-scoped), for messages and reports.
  std::string ResourceLabel() const;
};

// Splits "group/version" ("v1" is the core group). Errors: InvalidArgument when empty or with
// more than one slash.
absl::StatusOr<std::pair<std::string, std::string>> SplitApiVersion(absl::string_view api_version);

// The plural resource name of a built-in kind ("NetworkPolicy" -> "networkpolicies"), or
// Kubernetes' guess for other kinds (lower case, "s", "es" after s, "ies" after a consonant + y).
std::string ResourceForKind(absl::string_view kind);

// Whether `kind` is a cluster-scoped built-in kind (Namespace, Node, ClusterRole, ...).
bool IsClusterScopedKind(absl::string_view kind);

// The request that creating `object` (a Kubernetes resource: apiVersion, kind, metadata) makes:
// `operation` (CREATE by default; for DELETE the object becomes oldObject), GVK from
// apiVersion/kind, GVR from ResourceForKind, namespace from metadata.namespace or "default" for
// namespaced kinds (what `kubectl create` without -n does), name from metadata.name.
// Errors: InvalidArgument naming the missing or malformed apiVersion, kind or metadata.
absl::StatusOr<AdmissionRequest> RequestForObject(const core::Value& object,
                                                  absl::string_view operation = "CREATE");

// The request of an admission.k8s.io/v1 AdmissionReview document (its `request` field).
// Errors: InvalidArgument naming the field when the review is not an AdmissionReview v1 or a
// required field (uid, kind, resource, operation) is missing.
absl::StatusOr<AdmissionRequest> RequestFromAdmissionReview(const core::Value& review);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_REQUEST_H_
