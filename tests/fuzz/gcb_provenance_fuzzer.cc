// Google Cloud Build provenance JSON (gcloud --show-provenance): structure, DSSE envelope,
// in-toto statement, keyid and subject checks, and the signature step with a fixed key.
#include <cstddef>
#include <cstdint>
#include <string>

#include "bulwark/core/digest.h"
#include "bulwark/image/sign/gcb.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  static const bulwark::sign::GcbVerifyOptions* const kOptions = [] {
    auto* options = new bulwark::sign::GcbVerifyOptions;
    absl::StatusOr<bulwark::sign::PrivateKey> key =
        bulwark::sign::PrivateKey::Generate(bulwark::sign::KeyAlgorithm::kEcdsaP256);
    if (key.ok()) options->keys.emplace("us-west2", key->public_key());
    return options;
  }();
  const std::string text(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  const bulwark::core::Digest image = *bulwark::core::Digest::Parse(
      "sha256:f472ca4b68898c951ac3b476cba919d0d56fca4ced631fabcead51e4b2b690e7");
  (void)bulwark::sign::VerifyGcbProvenance(text, image, *kOptions, limits);
  (void)bulwark::sign::VerifyGcbProvenance(text, image, {}, limits);
  return 0;
}
