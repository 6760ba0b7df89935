#include "bulwark/image/sbom/internal/writer_support.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/value.h"

namespace bulwark::sbom::internal {

JsonObject& JsonObject::Set(std::string key, core::Value value) {
  entries_.push_back(core::MapEntry{std::move(key), std::move(value)});
  return *this;
}

JsonObject& JsonObject::Set(std::string key, absl::string_view text) {
  return Set(std::move(key), core::Value(std::string(text)));
}

JsonObject& JsonObject::SetIfNotEmpty(std::string key, absl::string_view text) {
  if (!text.empty()) Set(std::move(key), text);
  return *this;
}

core::Value JsonObject::Build() { return core::Value(std::move(entries_)); }

std::string UuidFromContent(absl::string_view seed) {
  std::string hex = core::DigestBytes(core::DigestAlgorithm::kSha256, seed).Hex().substr(0, 32);
  hex[12] = '5';                  // Version 5 (name-based, SHA).
  hex[16] = "89ab"[hex[16] % 4];  // RFC 4122 variant.
  return absl::StrCat(hex.substr(0, 8), "-", hex.substr(8, 4), "-", hex.substr(12, 4), "-",
                      hex.substr(16, 4), "-", hex.substr(20, 12));
}

std::string Rfc3339Seconds(absl::Time time) {
  return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
}

std::string ImageName(const v1::Sbom& sbom) {
  return sbom.image().empty() ? std::string("image") : sbom.image();
}

}  // namespace bulwark::sbom::internal
