// Streams one layer blob (tar, tar+gzip, tar+zstd) through libarchive to LayerVisitors, in one
// pass, verifying the blob digest and the diff_id (digest of the uncompressed tar) on the fly.
//   WalkOptions options;
//   BULWARK_ASSIGN_OR_RETURN(LayerWalkResult r, WalkLayer(*reader, layer, {&fs, &secrets},
//   options));
// Thread safety: WalkLayer shares no state; distinct layers may be walked on distinct threads
// with distinct visitors. Visitors are called on the calling thread only, even when the blob is
// read and decompressed on a worker (WalkOptions::background_decompression).
#ifndef BULWARK_IMAGE_LAYER_WALKER_H_
#define BULWARK_IMAGE_LAYER_WALKER_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/types/span.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/report.pb.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/layer_visitor.h"

namespace bulwark::image {

enum class VerifyMode {
  kEnforce,  // A digest mismatch is a DataLoss error.
  kReport,   // A digest mismatch is a finding and the walk goes on.
};

struct WalkOptions {
  // Caps: max_total_bytes (uncompressed bytes of one layer), max_entries (entries of one layer),
  // max_path_length, max_file_bytes (content handed to one visitor). Default: core defaults.
  core::Limits limits;
  // Default: kEnforce.
  VerifyMode verify = VerifyMode::kEnforce;
  // Decompress (and read the blob) on a worker thread, at most 4 MiB ahead of the tar reader and
  // the visitors, which stay on the calling thread: two cores share a layer's work. Entries,
  // contents, digests, findings and errors are the same as with false (all on the calling
  // thread). Default: true.
  bool background_decompression = true;
};

struct LayerWalkResult {
  core::Digest blob_digest = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  core::Digest diff_id = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  uint64_t blob_bytes = 0;
  uint64_t uncompressed_bytes = 0;
  uint64_t entries = 0;
  // Problems that did not stop the walk: digest mismatches under kReport, entries with unsafe
  // names (absolute or "..", which are skipped), and so on.
  std::vector<core::v1::Finding> findings;
};

// Walks `blob` (read to its end) as the layer `layer` describes. The compression is taken from
// layer.descriptor.media_type (OCI/Docker tar, tar+gzip, tar+zstd); foreign and
// non-distributable layers are walked like the others. Errors: Unimplemented naming an unknown
// media type; DataLoss for a corrupt or truncated blob and (kEnforce) for a digest or size that
// differs from the descriptor or diff_id, naming the blob, expected and actual digest;
// ResourceExhausted for a Limits cap; any error a visitor returns.
absl::StatusOr<LayerWalkResult> WalkLayer(BlobReader& blob, const LayerInfo& layer,
                                          absl::Span<LayerVisitor* const> visitors,
                                          const WalkOptions& options = {});

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_LAYER_WALKER_H_
