#include "bulwark/image/docker_archive.h"

#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/status.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/image/blob_source.h"

namespace bulwark::image {
namespace {

// Docker's media type for an uncompressed layer (not in oci.h: the walker reads it as OCI tar).
constexpr absl::string_view kUncompressedLayer = media_type::kOciLayerTar;

absl::Status Invalid(absl::string_view where, const core::Value& value, absl::string_view path,
                     absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(where, ":", value.position().ToString(), ": ", path, ": ", problem));
}

absl::StatusOr<std::vector<std::string>> StringList(absl::string_view where,
                                                    const core::Value& value,
                                                    absl::string_view path) {
  if (!value.is_list()) return Invalid(where, value, path, "expected a list of strings");
  std::vector<std::string> result;
  for (size_t i = 0; i < value.list_value().size(); ++i) {
    const core::Value& item = value.list_value()[i];
    if (!item.is_string()) {
      return Invalid(where, item, absl::StrCat(path, "[", i, "]"), "expected a string");
    }
    result.push_back(item.string_value());
  }
  return result;
}

// The digest a docker-archive member name states: "<hex>.json" (docker save's config name),
// "blobs/sha256/<hex>" (Docker >= 25) or "sha256:<hex>" (go-containerregistry).
std::optional<core::Digest> DigestFromName(absl::string_view name) {
  absl::string_view base = name.substr(name.rfind('/') + 1);
  absl::StatusOr<core::Digest> digest;
  if (absl::StartsWith(name, "blobs/sha256/")) {
    digest = core::Digest::Parse(absl::StrCat("sha256:", base));
  } else if (absl::ConsumeSuffix(&base, ".json")) {
    digest = core::Digest::Parse(absl::StrCat("sha256:", base));
  } else {
    digest = core::Digest::Parse(base);
  }
  if (!digest.ok()) return std::nullopt;
  return *digest;
}

// The media type for a layer whose blob starts with `magic`.
absl::string_view LayerMediaType(absl::string_view magic) {
  if (absl::StartsWith(magic, "\x1f\x8b")) return media_type::kDockerLayerGzip;
  if (absl::StartsWith(magic, "\x28\xb5\x2f\xfd")) return media_type::kOciLayerZstd;
  return kUncompressedLayer;
}

absl::StatusOr<std::string> ReadMagic(const TarArchive& archive, absl::string_view member) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader, archive.OpenMember(member));
  char buffer[4];
  size_t filled = 0;
  while (filled < sizeof buffer) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader->Read(buffer + filled, sizeof buffer - filled));
    if (n == 0) break;
    filled += n;
  }
  return std::string(buffer, filled);
}

absl::StatusOr<core::Digest> DigestMember(const TarArchive& archive, absl::string_view member) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobReader> reader, archive.OpenMember(member));
  core::Hasher hasher(core::DigestAlgorithm::kSha256);
  char buffer[64 * 1024];
  for (;;) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, reader->Read(buffer, sizeof buffer));
    if (n == 0) return hasher.Finish();
    hasher.Update(absl::string_view(buffer, n));
  }
}

}  // namespace

std::string FamiliarReference(absl::string_view reference) {
  absl::string_view name = reference;
  if (!absl::ConsumePrefix(&name, "docker.io/")) return std::string(reference);
  absl::ConsumePrefix(&name, "library/");
  return std::string(name);
}

absl::StatusOr<std::vector<DockerArchiveEntry>> ParseDockerManifest(absl::string_view bytes,
                                                                    const core::Limits& limits,
                                                                    absl::string_view where) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(bytes, limits, where));
  if (!root.is_list() || root.list_value().empty()) {
    return Invalid(where, root, "$", "expected a non-empty list of images");
  }
  std::vector<DockerArchiveEntry> entries;
  for (size_t i = 0; i < root.list_value().size(); ++i) {
    const core::Value& item = root.list_value()[i];
    const std::string path = absl::StrCat("$[", i, "]");
    if (!item.is_map()) return Invalid(where, item, path, "expected an object");
    DockerArchiveEntry entry;
    const core::Value* config = item.Find("Config");
    if (config == nullptr || !config->is_string() || config->string_value().empty()) {
      return Invalid(where, config ? *config : item, absl::StrCat(path, ".Config"),
                     "expected a non-empty string");
    }
    entry.config = config->string_value();
    const core::Value* layers = item.Find("Layers");
    if (layers == nullptr) return Invalid(where, item, absl::StrCat(path, ".Layers"), "missing");
    BULWARK_ASSIGN_OR_RETURN(entry.layers,
                             StringList(where, *layers, absl::StrCat(path, ".Layers")));
    if (const core::Value* tags = item.Find("RepoTags"); tags != nullptr && !tags->is_null()) {
      BULWARK_ASSIGN_OR_RETURN(entry.repo_tags,
                               StringList(where, *tags, absl::StrCat(path, ".RepoTags")));
    }
    entries.push_back(std::move(entry));
  }
  return entries;
}

absl::StatusOr<DockerArchiveImage> LoadDockerArchiveImage(const TarArchive& archive,
                                                          const DockerArchiveEntry& entry,
                                                          const core::Limits& limits) {
  DockerArchiveImage image;
  image.repo_tags = entry.repo_tags;
  const std::string where = absl::StrCat(archive.path(), ": ", entry.config);
  BULWARK_ASSIGN_OR_RETURN(std::string config_bytes,
                           archive.ReadMember(entry.config, limits.max_file_bytes));
  core::Digest config_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, config_bytes);
  if (std::optional<core::Digest> named = DigestFromName(entry.config);
      named.has_value() && *named != config_digest) {
    return absl::DataLossError(absl::StrCat(where, ": config digest mismatch: expected ",
                                            named->ToString(), ", actual ",
                                            config_digest.ToString()));
  }
  BULWARK_ASSIGN_OR_RETURN(image.config, ParseImageConfig(config_bytes, limits, where));
  if (image.config.diff_ids.size() != entry.layers.size()) {
    return absl::InvalidArgumentError(
        absl::StrCat(where, ": config has ", image.config.diff_ids.size(),
                     " rootfs.diff_ids but manifest.json lists ", entry.layers.size(), " layers"));
  }
  image.manifest.media_type = std::string(media_type::kDockerManifest);
  image.manifest.config.media_type = std::string(media_type::kDockerConfig);
  image.manifest.config.digest = config_digest;
  image.manifest.config.size = static_cast<int64_t>(config_bytes.size());
  image.members_by_digest[config_digest.ToString()] = entry.config;
  for (size_t i = 0; i < entry.layers.size(); ++i) {
    const std::string& member = entry.layers[i];
    Descriptor layer;
    BULWARK_ASSIGN_OR_RETURN(layer.size, archive.MemberSize(member));
    // Kept in its StatusOr: moving the short string out trips GCC 12's -Wmaybe-uninitialized
    // at -O2 (a false positive).
    absl::StatusOr<std::string> magic = ReadMagic(archive, member);
    if (!magic.ok()) return magic.status();
    layer.media_type = std::string(LayerMediaType(*magic));
    if (layer.media_type == kUncompressedLayer) {
      // The config's diff_id is the digest of the uncompressed tar, i.e. of this very blob; the
      // walker checks it while reading, so the archive is read once.
      layer.digest = image.config.diff_ids[i];
    } else {
      BULWARK_ASSIGN_OR_RETURN(layer.digest, DigestMember(archive, member));
    }
    image.members_by_digest[layer.digest.ToString()] = member;
    image.manifest.layers.push_back(std::move(layer));
  }
  return image;
}

}  // namespace bulwark::image
