// Fuzzes policy document loading and evaluation: the input is a YAML stream whose
// ValidatingAdmissionPolicy, ValidatingAdmissionPolicyBinding, ValidatingPolicy and
// PolicyException documents are compiled (with a small CEL cost budget), whose Kyverno CLI
// Context documents feed Kyverno's CEL libraries, and whose other documents become params and
// resources, each evaluated as a created object and as an AdmissionReview. Loading must end
// with a policy set or an error, and evaluation must terminate, never crash.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <vector>

#include "bulwark/core/document.h"
#include "bulwark/policy/admission/admission_review.h"
#include "bulwark/policy/admission/policy_set.h"

namespace {

bool IsPolicyDocument(const bulwark::core::Value& doc) {
  const bulwark::core::Value* kind = doc.Find("kind");
  if (kind == nullptr || !kind->is_string()) return false;
  const std::string& name = kind->string_value();
  return name == "ValidatingAdmissionPolicy" || name == "ValidatingAdmissionPolicyBinding" ||
         name == "ValidatingPolicy" || name == "NamespacedValidatingPolicy" ||
         name == "PolicyException";
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_entries = 100'000;
  limits.max_depth = 64;
  auto documents = bulwark::core::ParseYaml(text, limits, "fuzz.yaml");
  if (!documents.ok()) return 0;
  std::vector<bulwark::policy::SourceDocument> policies;
  std::vector<bulwark::policy::SourceDocument> others;
  bulwark::policy::kyverno::ExternalData external_data;
  for (bulwark::core::Value& doc : *documents) {
    const bulwark::core::Value* kind = doc.Find("kind");
    if (kind != nullptr && kind->is_string() && kind->string_value() == "Context") {
      (void)external_data.AddContextDocument(doc, "fuzz.yaml");
      continue;
    }
    auto& target = IsPolicyDocument(doc) ? policies : others;
    target.push_back({"fuzz.yaml", std::move(doc)});
  }
  bulwark::policy::LoadOptions options;
  options.cel_limits.cost_budget = 20'000;
  options.cel_limits.max_collection_size = 20'000;
  auto set = bulwark::policy::PolicySet::FromDocuments(policies, others, options);
  if (!set.ok()) return 0;
  bulwark::policy::EvaluationContext context;
  context.external_data = &external_data;
  for (const bulwark::policy::SourceDocument& doc : others) {
    auto results = (*set)->EvaluateObject(doc.document, context);
    if (results.ok()) {
      for (const bulwark::policy::Result& result : *results) (void)result.ToDocument().ToJson();
    }
    auto response = bulwark::policy::ReviewAdmission(**set, doc.document);
    if (response.ok()) (void)response->ToJson();
  }
  return 0;
}
