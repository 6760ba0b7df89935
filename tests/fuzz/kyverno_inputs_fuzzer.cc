// Fuzzes the Kyverno CLI inputs Bulwark reads for Kyverno CEL policies: the whole input as an
// image reference (Kyverno's image(), parseImageReference), then as a YAML stream whose
// documents are read as Context (resources, image data, global context), Values and UserInfo
// documents, with lookups over what was accepted. Every call must return a value or an error.
#include <cstdint>
#include <cstdlib>
#include <map>
#include <string>

#include "bulwark/core/document.h"
#include "bulwark/policy/admission/kyverno_cli_inputs.h"
#include "bulwark/policy/kyverno/external_data.h"
#include "bulwark/policy/kyverno/image_reference.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view text(reinterpret_cast<const char*>(data), size);
  auto ref = bulwark::policy::kyverno::ParseImageReference(text);
  if (ref.ok()) {
    // A reference is by tag or by digest, never both, and always identifies something.
    if (ref->identifier.empty() || ref->tag.empty() == ref->digest.empty() ||
        ref->registry.empty() || ref->repository.size() < 2) {
      std::abort();
    }
  }
  bulwark::core::Limits limits;
  limits.max_entries = 100'000;
  limits.max_depth = 64;
  auto documents = bulwark::core::ParseYaml(text, limits, "fuzz.yaml");
  if (!documents.ok()) return 0;
  bulwark::policy::kyverno::ExternalData external_data;
  for (const bulwark::core::Value& doc : *documents) {
    (void)external_data.AddContextDocument(doc, "fuzz.yaml");
    (void)bulwark::policy::ParseKyvernoValues(doc, "fuzz.yaml");
    (void)bulwark::policy::ParseKyvernoUserInfo(doc, "fuzz.yaml");
  }
  (void)external_data.GetResource("v1", "configmaps", "default", "x");
  (void)external_data.ListResources("v1", "configmaps", "", {{"app", "x"}});
  (void)external_data.ImageData("nginx");
  (void)external_data.GlobalContextEntry("x");
  return 0;
}
