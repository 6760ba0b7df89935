#include "bulwark/policy/kyverno/image_reference.h"

#include <optional>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"

namespace bulwark::policy::kyverno {
namespace {

constexpr absl::string_view kDefaultRegistry = "index.docker.io";
constexpr absl::string_view kDefaultTag = "latest";
constexpr size_t kDigestLength = 7 + 64;  // "sha256:" + hex

bool AllOf(absl::string_view text, bool (*allowed)(char)) {
  for (char c : text) {
    if (!allowed(c)) return false;
  }
  return true;
}

bool IsRepositoryChar(char c) {
  return absl::ascii_islower(c) || absl::ascii_isdigit(c) || c == '_' || c == '-' || c == '.' ||
         c == '/';
}
bool IsTagChar(char c) { return absl::ascii_isalnum(c) || c == '_' || c == '-' || c == '.'; }
bool IsDigestChar(char c) {
  return c == 's' || c == 'h' || c == ':' || absl::ascii_isdigit(c) || (c >= 'a' && c <= 'f');
}
// Bytes Go's url.Parse accepts in a host (RFC 3986 unreserved and sub-delims, plus the few it
// tolerates); bytes >= 0x80 pass through.
bool IsHostChar(char c) {
  if (static_cast<unsigned char>(c) >= 0x80 || absl::ascii_isalnum(c)) return true;
  return absl::StrContains("-._~!$&'()*+,;=:[]<>\"", c);
}

bool ValidOptionalPort(absl::string_view port) {
  if (port.empty()) return true;
  return port[0] == ':' && AllOf(port.substr(1), [](char c) { return absl::ascii_isdigit(c); });
}

// As go-containerregistry's checkRegistry: "//" + name must parse as a URL whose host is name.
bool ValidRegistry(absl::string_view name) {
  if (!AllOf(name, IsHostChar)) return false;
  if (!name.empty() && name[0] == '[') {
    size_t close = name.rfind(']');
    return close != absl::string_view::npos && ValidOptionalPort(name.substr(close + 1));
  }
  size_t colon = name.rfind(':');
  return colon == absl::string_view::npos || ValidOptionalPort(name.substr(colon));
}

struct Repository {
  std::string registry;
  std::string repository;  // with the implicit "library/"
};

std::optional<Repository> ParseRepository(absl::string_view name) {
  if (name.empty()) return std::nullopt;
  absl::string_view registry;
  absl::string_view repository = name;
  size_t slash = name.find('/');
  if (slash != absl::string_view::npos) {
    absl::string_view first = name.substr(0, slash);
    if (absl::StrContains(first, '.') || absl::StrContains(first, ':')) {
      registry = first;
      repository = name.substr(slash + 1);
    }
  }
  if (repository.size() < 2 || repository.size() > 255 || !AllOf(repository, IsRepositoryChar)) {
    return std::nullopt;
  }
  if (!ValidRegistry(registry)) return std::nullopt;
  Repository result;
  result.registry = registry.empty() || registry == "docker.io" ? std::string(kDefaultRegistry)
                                                                : std::string(registry);
  result.repository = std::string(repository);
  if (!absl::StrContains(repository, '/') && result.registry == kDefaultRegistry) {
    result.repository = absl::StrCat("library/", repository);
    if (result.repository.size() > 255) return std::nullopt;
  }
  return result;
}

// "[registry/]repository[:tag]": the text after the last ':' is a tag unless it contains '/'
// (then the ':' belongs to a registry port).
std::optional<ImageReference> ParseTagged(absl::string_view name) {
  absl::string_view base = name;
  absl::string_view tag;
  size_t colon = name.rfind(':');
  if (colon != absl::string_view::npos && !absl::StrContains(name.substr(colon + 1), '/')) {
    base = name.substr(0, colon);
    tag = name.substr(colon + 1);
  }
  if (!tag.empty() && (tag.size() > 127 || !AllOf(tag, IsTagChar))) return std::nullopt;
  std::optional<Repository> repository = ParseRepository(base);
  if (!repository.has_value()) return std::nullopt;
  ImageReference ref;
  ref.registry = std::move(repository->registry);
  ref.repository = std::move(repository->repository);
  ref.tag = tag.empty() ? std::string(kDefaultTag) : std::string(tag);
  ref.identifier = ref.tag;
  return ref;
}

std::optional<ImageReference> ParseDigested(absl::string_view name) {
  size_t at = name.find('@');
  if (at == absl::string_view::npos || name.find('@', at + 1) != absl::string_view::npos) {
    return std::nullopt;
  }
  absl::string_view digest = name.substr(at + 1);
  if (digest.size() != kDigestLength || !AllOf(digest, IsDigestChar)) return std::nullopt;
  absl::string_view base = name.substr(0, at);
  // A tag before the digest is dropped: the repository of "name:tag" is used.
  std::string repository_name(base);
  if (std::optional<ImageReference> tagged = ParseTagged(base)) {
    repository_name = absl::StrCat(tagged->registry, "/", tagged->repository);
  }
  std::optional<Repository> repository = ParseRepository(repository_name);
  if (!repository.has_value()) return std::nullopt;
  ImageReference ref;
  ref.registry = std::move(repository->registry);
  ref.repository = std::move(repository->repository);
  ref.digest = std::string(digest);
  ref.identifier = ref.digest;
  return ref;
}

}  // namespace

absl::StatusOr<ImageReference> ParseImageReference(absl::string_view reference) {
  std::optional<ImageReference> ref;
  if (!absl::StartsWith(reference, "http://") && !absl::StartsWith(reference, "https://")) {
    ref = ParseTagged(reference);
    if (!ref.has_value()) ref = ParseDigested(reference);
  }
  if (!ref.has_value()) {
    return absl::InvalidArgumentError(absl::StrCat("could not parse reference: ", reference));
  }
  ref->image = std::string(reference);
  return *std::move(ref);
}

}  // namespace bulwark::policy::kyverno
