// Fuzzes the OCI document parsers (descriptor, manifest, index, image config) with the same bytes:
// none may crash, errors must use the documented codes, and accepted documents must hold what the
// parsers promise (non-negative sizes, media types of the type/subtype form, digests that print
// back to themselves, at least one manifest layer, rootfs type "layers", Env as NAME=value).
#include <cstdint>
#include <cstdlib>
#include <string>

#include "bulwark/image/oci.h"

namespace {

using bulwark::image::Descriptor;

void Check(bool ok) {
  if (!ok) std::abort();
}

void CheckStatus(const absl::Status& status) {
  Check(status.ok() || status.code() == absl::StatusCode::kInvalidArgument ||
        status.code() == absl::StatusCode::kResourceExhausted ||
        status.code() == absl::StatusCode::kUnimplemented);
}

void CheckDescriptor(const Descriptor& d) {
  Check(d.size >= 0);
  Check(d.media_type.find('/') != std::string::npos);
  auto digest = bulwark::core::Digest::Parse(d.digest.ToString());
  Check(digest.ok() && *digest == d.digest);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  absl::string_view bytes(reinterpret_cast<const char*>(data), size);
  bulwark::core::Limits limits;
  limits.max_depth = 64;
  limits.max_entries = 100'000;

  auto descriptor = bulwark::image::ParseDescriptor(bytes, limits, "fuzz");
  CheckStatus(descriptor.status());
  if (descriptor.ok()) CheckDescriptor(*descriptor);

  auto manifest = bulwark::image::ParseManifest(bytes, limits, "fuzz");
  CheckStatus(manifest.status());
  if (manifest.ok()) {
    Check(!manifest->layers.empty());
    CheckDescriptor(manifest->config);
    for (const Descriptor& layer : manifest->layers) CheckDescriptor(layer);
    if (manifest->subject.has_value()) CheckDescriptor(*manifest->subject);
  }

  auto index = bulwark::image::ParseIndex(bytes, limits, "fuzz");
  CheckStatus(index.status());
  if (index.ok()) {
    for (const Descriptor& entry : index->manifests) CheckDescriptor(entry);
  }

  auto config = bulwark::image::ParseImageConfig(bytes, limits, "fuzz");
  CheckStatus(config.status());
  if (config.ok()) {
    Check(config->rootfs_type == "layers");
    for (const std::string& env : config->env) Check(env.find('=') != std::string::npos);
    for (const auto& diff_id : config->diff_ids) {
      Check(bulwark::core::Digest::Parse(diff_id.ToString()).ok());
    }
  }
  return 0;
}
