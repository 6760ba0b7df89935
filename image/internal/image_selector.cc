#include "bulwark/image/internal/image_selector.h"

#include <algorithm>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/file_blob_reader.h"

namespace bulwark::image::internal {
namespace {

constexpr char kRefName[] = "org.opencontainers.image.ref.name";

bool IsIndex(absl::string_view media_type) {
  return media_type == media_type::kOciIndex || media_type == media_type::kDockerManifestList;
}

bool IsManifest(absl::string_view media_type) {
  return media_type == media_type::kOciManifest || media_type == media_type::kDockerManifest;
}

// BuildKit stores provenance/SBOM attestations as manifests with platform unknown/unknown.
bool IsAttestation(const Descriptor& descriptor) {
  auto it = descriptor.annotations.find("vnd.docker.reference.type");
  return it != descriptor.annotations.end() && it->second == "attestation-manifest";
}

class Collector {
 public:
  Collector(const BlobSource& source, const core::Limits& limits, uint32_t max_depth)
      : source_(source), limits_(limits), max_depth_(max_depth) {}

  absl::Status Visit(const Index& index, const std::vector<std::string>& names,
                     const std::vector<std::string>& digests, uint32_t depth) {
    const size_t group = next_group_++;
    for (const Descriptor& descriptor : index.manifests) {
      if (++descriptors_ > limits_.max_entries) {
        return core::LimitExceeded("max_entries", limits_.max_entries, source_.Name());
      }
      std::vector<std::string> child_names = names;
      if (auto it = descriptor.annotations.find(kRefName); it != descriptor.annotations.end()) {
        child_names.push_back(it->second);
      }
      std::vector<std::string> child_digests = digests;
      const std::string digest = descriptor.digest.ToString();
      child_digests.push_back(digest);
      if (IsManifest(descriptor.media_type) && !IsAttestation(descriptor)) {
        // One image listed twice (tagged at the top and inside a nested index) is one candidate
        // answering to every name it was reached by.
        auto [it, inserted] = manifest_positions_.emplace(digest, candidates_.size());
        if (!inserted) {
          ImageCandidate& known = candidates_[it->second];
          known.names.insert(known.names.end(), child_names.begin(), child_names.end());
          known.digests.insert(known.digests.end(), child_digests.begin(), child_digests.end());
          continue;
        }
        candidates_.push_back({descriptor, std::move(child_names), std::move(child_digests),
                               descriptor.platform, group});
      } else if (IsIndex(descriptor.media_type)) {
        if (std::find(digests.begin(), digests.end(), digest) != digests.end()) {
          return absl::InvalidArgumentError(absl::StrCat(
              source_.Name(), ": index cycle: ", absl::StrJoin(child_digests, " -> ")));
        }
        // An index reached twice (a diamond) adds nothing new; skipping it keeps the walk linear.
        if (!seen_indexes_.insert(digest).second) continue;
        if (depth + 1 > max_depth_) {
          return absl::ResourceExhaustedError(absl::StrCat(source_.Name(),
                                                           ": limit max_index_depth (", max_depth_,
                                                           ") exceeded at index ", digest));
        }
        BULWARK_ASSIGN_OR_RETURN(std::string bytes, ReadVerifiedBlob(source_, descriptor, limits_));
        BULWARK_ASSIGN_OR_RETURN(
            Index child, ParseIndex(bytes, limits_, absl::StrCat(source_.Name(), ": ", digest)));
        BULWARK_RETURN_IF_ERROR(Visit(child, child_names, child_digests, depth + 1));
      }
    }
    return absl::OkStatus();
  }

  std::vector<ImageCandidate> TakeCandidates() { return std::move(candidates_); }

 private:
  const BlobSource& source_;
  const core::Limits& limits_;
  const uint32_t max_depth_;
  size_t next_group_ = 0;
  uint64_t descriptors_ = 0;
  absl::flat_hash_map<std::string, size_t> manifest_positions_;
  absl::flat_hash_set<std::string> seen_indexes_;
  std::vector<ImageCandidate> candidates_;
};

std::string Describe(const ImageCandidate& candidate) {
  std::string text = candidate.descriptor.digest.ToString();
  if (!candidate.names.empty())
    absl::StrAppend(&text, " [", absl::StrJoin(candidate.names, ", "), "]");
  if (candidate.platform.has_value()) absl::StrAppend(&text, " ", candidate.platform->ToString());
  return text;
}

std::string DescribeAll(const std::vector<const ImageCandidate*>& candidates) {
  return absl::StrJoin(candidates, "; ", [](std::string* out, const ImageCandidate* candidate) {
    out->append(Describe(*candidate));
  });
}

}  // namespace

absl::StatusOr<std::vector<ImageCandidate>> CollectManifests(const BlobSource& source,
                                                             const Index& root,
                                                             const core::Limits& limits,
                                                             uint32_t max_depth) {
  Collector collector(source, limits, max_depth);
  BULWARK_RETURN_IF_ERROR(collector.Visit(root, {}, {}, 0));
  return collector.TakeCandidates();
}

absl::StatusOr<size_t> SelectImage(const std::vector<ImageCandidate>& candidates,
                                   absl::string_view platform, absl::string_view reference,
                                   absl::string_view where) {
  std::vector<const ImageCandidate*> remaining;
  for (const ImageCandidate& candidate : candidates) remaining.push_back(&candidate);
  if (remaining.empty()) return absl::NotFoundError(absl::StrCat(where, ": holds no image"));
  if (!reference.empty()) {
    std::vector<const ImageCandidate*> named;
    for (const ImageCandidate* candidate : remaining) {
      const auto& names = candidate->names;
      const auto& digests = candidate->digests;
      if (std::find(names.begin(), names.end(), reference) != names.end() ||
          std::find(digests.begin(), digests.end(), reference) != digests.end()) {
        named.push_back(candidate);
      }
    }
    if (named.empty()) {
      return absl::NotFoundError(absl::StrCat(where, ": no image named ", reference,
                                              "; available: ", DescribeAll(remaining)));
    }
    remaining = std::move(named);
  }
  Platform want = Platform::Host();
  if (!platform.empty()) {
    BULWARK_ASSIGN_OR_RETURN(want, Platform::Parse(platform));
  }
  if (!platform.empty() || remaining.size() > 1) {
    std::vector<const ImageCandidate*> matching;
    for (const ImageCandidate* candidate : remaining) {
      if (candidate->platform.has_value() && want.Matches(*candidate->platform)) {
        matching.push_back(candidate);
      }
    }
    if (matching.empty()) {
      return absl::NotFoundError(absl::StrCat(where, ": no image for platform ", want.ToString(),
                                              "; available: ", DescribeAll(remaining)));
    }
    remaining = std::move(matching);
  }
  if (remaining.size() > 1) {
    std::vector<const ImageCandidate*> exact;
    for (const ImageCandidate* candidate : remaining) {
      if (candidate->platform->ToString() == want.ToString()) exact.push_back(candidate);
    }
    if (exact.size() == 1) {
      remaining = std::move(exact);
    } else if (std::all_of(remaining.begin(), remaining.end(), [&](const ImageCandidate* c) {
                 return c->descriptor.platform.has_value() && c->group == remaining.front()->group;
               })) {
      // Siblings of one multi-platform index: the publisher's order is the preference order.
      remaining.resize(1);
    } else {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": ambiguous: ", remaining.size(),
                       " images match; choose one by reference: ", DescribeAll(remaining)));
    }
  }
  return static_cast<size_t>(remaining.front() - candidates.data());
}

}  // namespace bulwark::image::internal
