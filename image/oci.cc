// Descriptor, manifest, index and oci-layout parsers (descriptor.md, manifest.md, image-index.md,
// image-layout.md), accepting Docker schema 2 manifests and manifest lists too.
#include "bulwark/image/oci.h"

#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/document_reader.h"
#include "bulwark/image/internal/oci_values.h"

namespace bulwark::image {
namespace {

using internal::DocumentReader;
using internal::IndexPath;
using internal::kOptional;
using internal::kRequired;

// The document's own mediaType: optional in OCI ("SHOULD be used"), but when present it must be
// one of `allowed` (manifest.md: "when used, this field MUST contain ...").
absl::StatusOr<std::string> ReadOwnMediaType(const DocumentReader& reader, const core::Value& root,
                                             absl::string_view a, absl::string_view b) {
  BULWARK_ASSIGN_OR_RETURN(std::string media_type, reader.String(root, "", "mediaType", kOptional));
  if (!media_type.empty() && media_type != a && media_type != b) {
    return reader.Invalid(*root.Find("mediaType"), "mediaType",
                          absl::StrCat("expected \"", a, "\" or \"", b, "\""));
  }
  return media_type;
}

absl::StatusOr<std::optional<Descriptor>> ReadSubject(DocumentReader& reader,
                                                      const core::Value& root) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* subject,
                           reader.Field(root, "", "subject", kOptional));
  if (subject == nullptr) return std::nullopt;
  return internal::ReadDescriptor(reader, *subject, "subject");
}

// A list of descriptors at `key`; `min_items` is the schema's minItems.
absl::StatusOr<std::vector<Descriptor>> ReadDescriptors(DocumentReader& reader,
                                                        const core::Value& root,
                                                        absl::string_view key, size_t min_items) {
  BULWARK_ASSIGN_OR_RETURN(const core::Value* list, reader.Field(root, "", key, kRequired));
  if (!list->is_list()) {
    return reader.Invalid(*list, key,
                          absl::StrCat("expected an array, got ", core::KindName(list->kind())));
  }
  if (list->list_value().size() < min_items) {
    return reader.Invalid(*list, key, absl::StrCat("needs at least ", min_items, " entry"));
  }
  std::vector<Descriptor> descriptors;
  descriptors.reserve(list->list_value().size());
  for (size_t i = 0; i < list->list_value().size(); ++i) {
    BULWARK_ASSIGN_OR_RETURN(
        Descriptor descriptor,
        internal::ReadDescriptor(reader, list->list_value()[i], IndexPath(key, i)));
    descriptors.push_back(std::move(descriptor));
  }
  return descriptors;
}

}  // namespace

absl::StatusOr<Descriptor> ParseDescriptor(absl::string_view bytes, const core::Limits& limits,
                                           absl::string_view where) {
  DocumentReader reader(where);
  BULWARK_ASSIGN_OR_RETURN(core::Value root, internal::ParseRoot(bytes, limits, where, reader));
  BULWARK_ASSIGN_OR_RETURN(Descriptor descriptor, internal::ReadDescriptor(reader, root, ""));
  BULWARK_RETURN_IF_ERROR(reader.Finish());
  return descriptor;
}

absl::StatusOr<Manifest> ParseManifest(absl::string_view bytes, const core::Limits& limits,
                                       absl::string_view where) {
  DocumentReader reader(where);
  BULWARK_ASSIGN_OR_RETURN(core::Value root, internal::ParseRoot(bytes, limits, where, reader));
  Manifest manifest;
  BULWARK_RETURN_IF_ERROR(internal::CheckSchemaVersion(reader, root));
  BULWARK_ASSIGN_OR_RETURN(
      manifest.media_type,
      ReadOwnMediaType(reader, root, media_type::kOciManifest, media_type::kDockerManifest));
  BULWARK_ASSIGN_OR_RETURN(manifest.artifact_type,
                           internal::ReadMediaType(reader, root, "", "artifactType", kOptional));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* config, reader.Field(root, "", "config", kRequired));
  BULWARK_ASSIGN_OR_RETURN(manifest.config, internal::ReadDescriptor(reader, *config, "config"));
  // image-manifest-schema.json has "minItems": 1; an artifact without content uses the empty
  // descriptor as its one layer (manifest.md, "Guidance for an Empty Descriptor").
  BULWARK_ASSIGN_OR_RETURN(manifest.layers, ReadDescriptors(reader, root, "layers", 1));
  BULWARK_ASSIGN_OR_RETURN(manifest.subject, ReadSubject(reader, root));
  BULWARK_ASSIGN_OR_RETURN(manifest.annotations, reader.StringMap(root, "", "annotations"));
  BULWARK_RETURN_IF_ERROR(reader.Finish());
  return manifest;
}

absl::StatusOr<Index> ParseIndex(absl::string_view bytes, const core::Limits& limits,
                                 absl::string_view where) {
  DocumentReader reader(where);
  BULWARK_ASSIGN_OR_RETURN(core::Value root, internal::ParseRoot(bytes, limits, where, reader));
  Index index;
  BULWARK_RETURN_IF_ERROR(internal::CheckSchemaVersion(reader, root));
  BULWARK_ASSIGN_OR_RETURN(index.media_type, ReadOwnMediaType(reader, root, media_type::kOciIndex,
                                                              media_type::kDockerManifestList));
  BULWARK_ASSIGN_OR_RETURN(index.artifact_type,
                           internal::ReadMediaType(reader, root, "", "artifactType", kOptional));
  BULWARK_ASSIGN_OR_RETURN(index.manifests, ReadDescriptors(reader, root, "manifests", 0));
  BULWARK_ASSIGN_OR_RETURN(index.subject, ReadSubject(reader, root));
  BULWARK_ASSIGN_OR_RETURN(index.annotations, reader.StringMap(root, "", "annotations"));
  BULWARK_RETURN_IF_ERROR(reader.Finish());
  return index;
}

absl::StatusOr<ImageLayout> ParseImageLayout(absl::string_view bytes, const core::Limits& limits,
                                             absl::string_view where) {
  DocumentReader reader(where);
  BULWARK_ASSIGN_OR_RETURN(core::Value root, internal::ParseRoot(bytes, limits, where, reader));
  ImageLayout layout;
  BULWARK_ASSIGN_OR_RETURN(layout.version,
                           reader.String(root, "", "imageLayoutVersion", kRequired));
  if (layout.version != "1.0.0") {
    return reader.Unsupported(*root.Find("imageLayoutVersion"), "imageLayoutVersion",
                              absl::StrCat("version \"", layout.version,
                                           "\" is not supported (supported: 1.0.0)"));
  }
  BULWARK_RETURN_IF_ERROR(reader.Finish());
  return layout;
}

}  // namespace bulwark::image
