// Container image references parsed as Kyverno's CEL image library does (go-containerregistry's
// name.ParseReference, non-strict): "nginx" is index.docker.io/library/nginx:latest.
//   BULWARK_ASSIGN_OR_RETURN(ImageReference ref, ParseImageReference("ghcr.io/org/app:1.2"));
//   ref.registry == "ghcr.io", ref.repository == "org/app", ref.tag == "1.2"
// Thread safety: pure functions over values.
#ifndef BULWARK_POLICY_KYVERNO_IMAGE_REFERENCE_H_
#define BULWARK_POLICY_KYVERNO_IMAGE_REFERENCE_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::policy::kyverno {

struct ImageReference {
  std::string image;       // the reference as written
  std::string registry;    // "index.docker.io" when none is given ("docker.io" is rewritten)
  std::string repository;  // with Docker Hub's implicit "library/" for one-component names
  std::string identifier;  // the tag ("latest" when none is given) or the digest
  std::string tag;         // "" for digest references (also "name:tag@digest")
  std::string digest;      // "" for tag references

  bool operator==(const ImageReference& other) const = default;
};

// Parses `reference`: by tag first ("[registry/]repository[:tag]"), else by digest
// ("[registry/]repository[:tag]@sha256:<64 hex>"). The registry is the first path component
// when it contains '.' or ':' and must be a valid URI authority; repositories are 2-255
// characters of [a-z0-9_./-]; tags 1-127 of [A-Za-z0-9_.-]. Errors: InvalidArgument
// "could not parse reference: <reference>" (also for a URL scheme prefix).
absl::StatusOr<ImageReference> ParseImageReference(absl::string_view reference);

}  // namespace bulwark::policy::kyverno

#endif  // BULWARK_POLICY_KYVERNO_IMAGE_REFERENCE_H_
