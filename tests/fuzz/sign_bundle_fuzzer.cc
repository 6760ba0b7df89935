// Sigstore bundle JSON and trusted-root JSON: parsing and verification must end in a Status for
// any input (no crash, no hang, bounded memory).
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/trust_root.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string text(reinterpret_cast<const char*>(data), size);
  static const std::shared_ptr<const bulwark::sign::TrustedRoot> kEmptyRoot =
      *bulwark::sign::TrustedRoot::Parse(
          R"({"mediaType":"application/vnd.dev.sigstore.trustedroot+json;version=0.1"})");
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  (void)bulwark::sign::TrustedRoot::Parse(text, limits);
  (void)bulwark::sign::VerifyBundle(text, bulwark::sign::Artifact::FromBytes("artifact"),
                                    *kEmptyRoot, {}, limits);
  return 0;
}
