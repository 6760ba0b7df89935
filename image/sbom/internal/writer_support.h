// What the CycloneDX and SPDX writers share: building JSON as core::Value, content-derived
// UUIDs, RFC 3339 times and the text of a package's layer and locations.
// Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_INTERNAL_WRITER_SUPPORT_H_
#define BULWARK_IMAGE_SBOM_INTERNAL_WRITER_SUPPORT_H_

#include <string>

#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom::internal {

// A JSON object under construction, keys in insertion order.
class JsonObject {
 public:
  JsonObject& Set(std::string key, core::Value value);
  JsonObject& Set(std::string key, absl::string_view text);
  // Sets `key` only when `text` is not empty.
  JsonObject& SetIfNotEmpty(std::string key, absl::string_view text);
  // The object; leaves this one empty.
  core::Value Build();

 private:
  core::ValueMap entries_;
};

// A UUID (RFC 4122 variant, version 5 layout) made from the SHA-256 of `seed`.
std::string UuidFromContent(absl::string_view seed);

// "2026-11-29T01:02:03Z".
std::string Rfc3339Seconds(absl::Time time);

// The name of the image for documents: Sbom.image, or "image" when empty.
std::string ImageName(const v1::Sbom& sbom);

}  // namespace bulwark::sbom::internal

#endif  // BULWARK_IMAGE_SBOM_INTERNAL_WRITER_SUPPORT_H_
