#include "bulwark/image/internal/oci_values.h"

#include <string>
#include <utility>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image::internal {
namespace {

bool IsMediaTypePart(absl::string_view part) {
  if (part.empty() || part.size() > 127 || !absl::ascii_isalnum(part[0])) return false;
  for (char c : part) {
    if (!absl::ascii_isalnum(c) &&
        absl::string_view("!#$&^_.+-").find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// An absolute URI per RFC 3986 (the schema's `"format": "uri"`): a scheme, ':', and only
// characters a URI may hold, with well-formed percent escapes.
bool IsAbsoluteUri(absl::string_view text) {
  size_t colon = text.find(':');
  if (colon == 0 || colon == absl::string_view::npos || !absl::ascii_isalpha(text[0])) return false;
  for (char c : text.substr(0, colon)) {
    if (!absl::ascii_isalnum(c) && c != '+' && c != '-' && c != '.') return false;
  }
  constexpr absl::string_view kAllowed = "-._~:/?#[]@!$&'()*+,;=";
  for (size_t i = colon + 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == '%') {
      if (i + 2 >= text.size() || !absl::ascii_isxdigit(text[i + 1]) ||
          !absl::ascii_isxdigit(text[i + 2])) {
        return false;
      }
      i += 2;
    } else if (!absl::ascii_isalnum(c) && kAllowed.find(c) == absl::string_view::npos) {
      return false;
    }
  }
  return true;
}

// Padded standard base64 (RFC 4648 section 4), which is what encoding/json writes for []byte.
bool IsPaddedBase64(absl::string_view text) {
  std::string decoded;
  return text.size() % 4 == 0 && absl::Base64Unescape(text, &decoded);
}

}  // namespace

absl::StatusOr<core::Value> ParseRoot(absl::string_view bytes, const core::Limits& limits,
                                      absl::string_view where, const DocumentReader& reader) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(bytes, limits, where));
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(root, ""));
  return root;
}

bool IsMediaType(absl::string_view text) {
  size_t slash = text.find('/');
  return slash != absl::string_view::npos && IsMediaTypePart(text.substr(0, slash)) &&
         IsMediaTypePart(text.substr(slash + 1));
}

absl::StatusOr<std::string> ReadMediaType(const DocumentReader& reader, const core::Value& parent,
                                          absl::string_view parent_path, absl::string_view key,
                                          Presence presence) {
  BULWARK_ASSIGN_OR_RETURN(std::string media_type,
                           reader.String(parent, parent_path, key, presence));
  if (parent.Find(key) != nullptr && !parent.Find(key)->is_null() && !IsMediaType(media_type)) {
    return reader.Invalid(*parent.Find(key), ChildPath(parent_path, key),
                          absl::StrCat("\"", absl::CHexEscape(media_type.substr(0, 300)),
                                       "\" is not a media type (type/subtype)"));
  }
  return media_type;
}

absl::StatusOr<Descriptor> ReadDescriptor(DocumentReader& reader, const core::Value& value,
                                          absl::string_view path) {
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(value, path));
  Descriptor descriptor;
  BULWARK_ASSIGN_OR_RETURN(descriptor.media_type,
                           ReadMediaType(reader, value, path, "mediaType", kRequired));
  BULWARK_ASSIGN_OR_RETURN(const core::Value* digest,
                           reader.Field(value, path, "digest", kRequired));
  BULWARK_ASSIGN_OR_RETURN(descriptor.digest, reader.Digest(*digest, ChildPath(path, "digest")));
  BULWARK_ASSIGN_OR_RETURN(descriptor.size, reader.Int64(value, path, "size", kRequired));
  if (descriptor.size < 0) {
    return reader.Invalid(*value.Find("size"), ChildPath(path, "size"), "size is negative");
  }
  BULWARK_ASSIGN_OR_RETURN(descriptor.urls, reader.StringList(value, path, "urls", kOptional));
  for (size_t i = 0; i < descriptor.urls.size(); ++i) {
    if (!IsAbsoluteUri(descriptor.urls[i])) {
      return reader.Invalid(value.Find("urls")->list_value()[i],
                            IndexPath(ChildPath(path, "urls"), i), "not an absolute URI");
    }
  }
  BULWARK_ASSIGN_OR_RETURN(descriptor.annotations, reader.StringMap(value, path, "annotations"));
  BULWARK_ASSIGN_OR_RETURN(descriptor.artifact_type,
                           ReadMediaType(reader, value, path, "artifactType", kOptional));
  BULWARK_ASSIGN_OR_RETURN(std::string data, reader.String(value, path, "data", kOptional));
  if (!IsPaddedBase64(data)) {
    return reader.Invalid(*value.Find("data"), ChildPath(path, "data"),
                          "not padded base64 (RFC 4648)");
  }
  BULWARK_ASSIGN_OR_RETURN(const core::Value* platform,
                           reader.Field(value, path, "platform", kOptional));
  if (platform != nullptr) {
    BULWARK_ASSIGN_OR_RETURN(descriptor.platform,
                             ReadPlatform(reader, *platform, ChildPath(path, "platform")));
  }
  return descriptor;
}

absl::StatusOr<Platform> ReadPlatform(const DocumentReader& reader, const core::Value& parent,
                                      absl::string_view path) {
  BULWARK_RETURN_IF_ERROR(reader.ExpectMap(parent, path));
  Platform platform;
  BULWARK_ASSIGN_OR_RETURN(platform.os, reader.String(parent, path, "os", kRequired));
  BULWARK_ASSIGN_OR_RETURN(platform.architecture,
                           reader.String(parent, path, "architecture", kRequired));
  BULWARK_ASSIGN_OR_RETURN(platform.variant, reader.String(parent, path, "variant", kOptional));
  BULWARK_ASSIGN_OR_RETURN(platform.os_version,
                           reader.String(parent, path, "os.version", kOptional));
  BULWARK_ASSIGN_OR_RETURN(platform.os_features,
                           reader.StringList(parent, path, "os.features", kOptional));
  return platform;
}

absl::Status CheckSchemaVersion(const DocumentReader& reader, const core::Value& root) {
  BULWARK_ASSIGN_OR_RETURN(int64_t version, reader.Int64(root, "", "schemaVersion", kRequired));
  if (version == 1) {
    return reader.Unsupported(*root.Find("schemaVersion"), "schemaVersion",
                              "Docker schema 1 manifests are not supported");
  }
  if (version != 2) {
    return reader.Invalid(*root.Find("schemaVersion"), "schemaVersion",
                          absl::StrCat("must be 2, got ", version));
  }
  return absl::OkStatus();
}

}  // namespace bulwark::image::internal
