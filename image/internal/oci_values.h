// Readers for the pieces the OCI documents share (descriptors, platforms, media types), from a
// parsed core::Value, with errors through a DocumentReader.
//   DocumentReader reader(where);
//   BULWARK_ASSIGN_OR_RETURN(core::Value root, ParseRoot(bytes, limits, where, reader));
//   BULWARK_ASSIGN_OR_RETURN(Descriptor d, ReadDescriptor(reader, root, ""));
// Thread safety: no shared state.
#ifndef BULWARK_IMAGE_INTERNAL_OCI_VALUES_H_
#define BULWARK_IMAGE_INTERNAL_OCI_VALUES_H_

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/image/internal/document_reader.h"
#include "bulwark/image/oci.h"

namespace bulwark::image::internal {

// Parses `bytes` as JSON (errors named after `where`) and checks that the root is an object.
absl::StatusOr<core::Value> ParseRoot(absl::string_view bytes, const core::Limits& limits,
                                      absl::string_view where, const DocumentReader& reader);

// True when `text` matches the image-spec media type grammar (RFC 6838 type/subtype, each part
// 1 to 127 characters):
// ^[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}/[A-Za-z0-9][A-Za-z0-9!#$&^_.+-]{0,126}$
bool IsMediaType(absl::string_view text);

// The optional media-type field `key` of `parent`; when present it must match IsMediaType.
absl::StatusOr<std::string> ReadMediaType(const DocumentReader& reader, const core::Value& parent,
                                          absl::string_view parent_path, absl::string_view key,
                                          Presence presence);

// A content descriptor (descriptor.md) at `path`, including an index entry's platform.
absl::StatusOr<Descriptor> ReadDescriptor(DocumentReader& reader, const core::Value& value,
                                          absl::string_view path);

// The platform fields (os, architecture, variant, os.version, os.features) of the map `parent`:
// an index entry's `platform` object, or the root of an image config.
absl::StatusOr<Platform> ReadPlatform(const DocumentReader& reader, const core::Value& parent,
                                      absl::string_view path);

// schemaVersion, which must be 2 (manifests and indexes). Docker schema 1 (version 1) is
// well-formed but unsupported: Unimplemented.
absl::Status CheckSchemaVersion(const DocumentReader& reader, const core::Value& root);

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_OCI_VALUES_H_
