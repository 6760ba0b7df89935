// Typed, path-tracking access to a parsed JSON document for the OCI parsers: every problem becomes
// InvalidArgument "<where>: <json path>: <problem> (at <line>:<column>)", where the path is
// written so that core::Value::Lookup can follow it (e.g. `manifests[2].digest`,
// `config.Labels["a.b"]`).
//   DocumentReader reader("blobs/sha256/ab12");
//   BULWARK_ASSIGN_OR_RETURN(std::string os, reader.String(root, "", "os", kRequired));
//   BULWARK_RETURN_IF_ERROR(reader.Finish());
// Thread safety: a reader belongs to one parse.
#ifndef BULWARK_IMAGE_INTERNAL_DOCUMENT_READER_H_
#define BULWARK_IMAGE_INTERNAL_DOCUMENT_READER_H_

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/value.h"

namespace bulwark::image::internal {

// Whether a field must be present. Optional fields may also be null: Docker writes null for empty
// Go slices and maps, and Go's decoder (which the image-spec's own types use) reads null as
// absent.
enum Presence { kOptional, kRequired };

// `parent.key` (or `parent["key"]` when the key is not a plain name), and `parent[index]`.
std::string ChildPath(absl::string_view parent, absl::string_view key);
std::string IndexPath(absl::string_view parent, size_t index);

class DocumentReader {
 public:
  explicit DocumentReader(absl::string_view where) : where_(where) {}

  // The InvalidArgument error for `problem` at `path`, positioned at `at`.
  absl::Status Invalid(const core::Value& at, absl::string_view path,
                       absl::string_view problem) const;
  // The same for well-formed input this library does not support: Unimplemented.
  absl::Status Unsupported(const core::Value& at, absl::string_view path,
                           absl::string_view problem) const;

  // The field `key` of the map `parent` (at `parent_path`): nullptr when absent or null and
  // optional. Errors: a required field that is absent or null.
  absl::StatusOr<const core::Value*> Field(const core::Value& parent, absl::string_view parent_path,
                                           absl::string_view key, Presence presence) const;

  // Checks that `value` is a map (an object). Errors name the kind found.
  absl::Status ExpectMap(const core::Value& value, absl::string_view path) const;

  // Typed fields of the map `parent`; absent optional fields give the empty value.
  absl::StatusOr<std::string> String(const core::Value& parent, absl::string_view parent_path,
                                     absl::string_view key, Presence presence) const;
  absl::StatusOr<std::vector<std::string>> StringList(const core::Value& parent,
                                                      absl::string_view parent_path,
                                                      absl::string_view key,
                                                      Presence presence) const;
  absl::StatusOr<std::map<std::string, std::string>> StringMap(const core::Value& parent,
                                                               absl::string_view parent_path,
                                                               absl::string_view key) const;
  // The keys of a map whose values must all be objects (Docker's ExposedPorts and Volumes, the
  // image-spec's mapStringObject), sorted.
  absl::StatusOr<std::vector<std::string>> ObjectSet(const core::Value& parent,
                                                     absl::string_view parent_path,
                                                     absl::string_view key) const;
  absl::StatusOr<int64_t> Int64(const core::Value& parent, absl::string_view parent_path,
                                absl::string_view key, Presence presence) const;
  absl::StatusOr<bool> Bool(const core::Value& parent, absl::string_view parent_path,
                            absl::string_view key) const;

  // Parses `value` as a digest. A well-formed digest of an algorithm core::Digest does not
  // implement is valid per the image-spec ("implementations SHOULD allow digests with
  // unrecognized algorithms to pass validation"), so it is not an InvalidArgument: the reader
  // remembers it for Finish() and returns a stand-in so that the parse goes on and still finds
  // any real error in the rest of the document.
  absl::StatusOr<core::Digest> Digest(const core::Value& value, absl::string_view path);

  // OK, or Unimplemented naming the first unsupported digest algorithm met. Call once the whole
  // document was read, so that invalid documents are always InvalidArgument.
  absl::Status Finish() const { return unsupported_; }

 private:
  std::string Message(const core::Value& at, absl::string_view path,
                      absl::string_view problem) const;

  std::string where_;
  absl::Status unsupported_;
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_DOCUMENT_READER_H_
