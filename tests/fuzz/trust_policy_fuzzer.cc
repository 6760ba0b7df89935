// Trust policy documents (YAML): parsing, scope matching and evaluation without signatures.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/core/digest.h"
#include "bulwark/image/sign/trust_policy.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  // keyFile and trustedRoot resolve below a directory that does not exist: nothing is read.
  absl::StatusOr<bulwark::sign::TrustPolicy> policy =
      bulwark::sign::ParseTrustPolicy(text, "/nonexistent-bulwark-fuzz", limits);
  if (!policy.ok()) return 0;
  const bulwark::core::Digest image =
      bulwark::core::DigestBytes(bulwark::core::DigestAlgorithm::kSha256, text);
  for (const char* reference : {"ghcr.io/example/app:v1", "nginx", "localhost:5000/a/b@sha256:0"}) {
    (void)bulwark::sign::EvaluateTrustPolicy(*policy, reference, image, {}, {}).Summary();
  }
  return 0;
}
