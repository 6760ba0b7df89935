// Kubernetes ValidatingAdmissionPolicy + ValidatingAdmissionPolicyBinding
// (admissionregistration.k8s.io/v1) and Kyverno ValidatingPolicy (policies.kyverno.io, CEL),
// compiled once and evaluated offline against admission requests.
//   BULWARK_ASSIGN_OR_RETURN(auto policies, PolicySet::Load({"policies/"}, {"params.yaml"}));
//   BULWARK_ASSIGN_OR_RETURN(std::vector<Result> results, policies->EvaluateObject(pod));
//   for (const Result& r : results) if (r.Denies()) ...
// Evaluation follows the API server: matchConstraints and the binding's matchResources, then
// matchConditions, then validations (with lazily evaluated variables) and auditAnnotations,
// failurePolicy for errors, validationActions for failures. Kyverno ValidatingPolicies are also
// evaluated for the pod controllers Kyverno generates rules for (autogen).
// Thread safety: a PolicySet is immutable; Evaluate is const and may run concurrently.
#ifndef BULWARK_POLICY_ADMISSION_POLICY_SET_H_
#define BULWARK_POLICY_ADMISSION_POLICY_SET_H_

#include <memory>
#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/admission/request.h"
#include "bulwark/policy/admission/result.h"
#include "bulwark/policy/cel/cel.h"
#include "bulwark/policy/kyverno/external_data.h"

namespace bulwark::policy {

namespace internal {
struct CompiledPolicy;
struct CompiledBinding;
struct CompiledException;
}  // namespace internal

// One parsed document and where it came from ("file.yaml#2" for the third document).
struct SourceDocument {
  std::string source;
  core::Value document;
};

// Reads every YAML/JSON document of `paths` (directories: their *.yaml, *.yml and *.json files,
// recursively, in name order; multi-document YAML; `kind: List` items are flattened).
// Errors: NotFound/PermissionDenied for paths, InvalidArgument "<file>: <line:col>: ..." for
// malformed documents, ResourceExhausted past `limits`.
absl::StatusOr<std::vector<SourceDocument>> ReadDocuments(absl::Span<const std::string> paths,
                                                          const core::Limits& limits = {});

// How documents are read and expressions compiled.
struct LoadOptions {
  // Caps for reading policy, param and resource files. Default: core::Limits defaults.
  core::Limits limits;
  // Cost and size bounds of every CEL evaluation (one per expression). Default: 1,000,000 cost
  // units, Kubernetes' per-call limit.
  cel::RuntimeLimits cel_limits;
};

// Extra objects an evaluation may look up.
struct EvaluationContext {
  // Namespace objects for namespaceSelector and `namespaceObject`, besides those the PolicySet
  // was given. Borrowed for the call. A namespace found nowhere is taken to be a Namespace with
  // only the label kubernetes.io/metadata.name (which the API server always sets).
  std::vector<const core::Value*> namespaces;
  // What Kyverno's CEL libraries read offline (resource.Get/List, globalContext.Get,
  // image.GetMetadata); borrowed for the call. nullptr: nothing supplied (resource.Get finds
  // nothing, resource.List is empty, globalContext.Get is null, image.GetMetadata fails).
  const kyverno::ExternalData* external_data = nullptr;
};

class PolicySet {
 public:
  ~PolicySet();
  PolicySet(const PolicySet&) = delete;
  PolicySet& operator=(const PolicySet&) = delete;

  // Builds a set from policy documents (ValidatingAdmissionPolicy,
  // ValidatingAdmissionPolicyBinding, Kyverno ValidatingPolicy and the policies.kyverno.io
  // PolicyExceptions that except resources from them; other kinds are an error) and param
  // documents (any objects; Namespace objects also serve namespaceSelector). Every CEL expression
  // is compiled here. Errors: InvalidArgument naming the source, field path and line:column
  // (malformed documents, compile errors with the CEL caret excerpt, a binding naming an unknown
  // policy, Deny combined with Warn).
  static absl::StatusOr<std::unique_ptr<const PolicySet>> FromDocuments(
      std::vector<SourceDocument> policies, std::vector<SourceDocument> params = {},
      const LoadOptions& options = {});

  // ReadDocuments + FromDocuments.
  static absl::StatusOr<std::unique_ptr<const PolicySet>> Load(
      absl::Span<const std::string> policy_paths, absl::Span<const std::string> param_paths = {},
      const LoadOptions& options = {});

  // One Result per (policy, binding, param object) for `request`, in load order: skip when not
  // matched. A ValidatingAdmissionPolicy without any binding in the set is evaluated as if bound
  // by a binding named "" with validationActions [Deny] (as `kyverno apply` does), unless it
  // needs params.
  std::vector<Result> Evaluate(const AdmissionRequest& request,
                               const EvaluationContext& context = {}) const;

  // Evaluate(RequestForObject(object, "CREATE")). Errors: as RequestForObject.
  absl::StatusOr<std::vector<Result>> EvaluateObject(const core::Value& object,
                                                     const EvaluationContext& context = {}) const;

  // Names of the policies, in load order.
  std::vector<std::string> PolicyNames() const;
  size_t binding_count() const { return bindings_.size(); }
  size_t exception_count() const { return exceptions_.size(); }

 private:
  PolicySet();

  std::vector<std::unique_ptr<const internal::CompiledPolicy>> policies_;
  std::vector<std::unique_ptr<const internal::CompiledBinding>> bindings_;
  std::vector<std::unique_ptr<const internal::CompiledException>> exceptions_;
  std::vector<core::Value> params_;
};

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_POLICY_SET_H_
