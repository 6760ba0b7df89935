// Turns a layer blob into an ordered sequence of chunks of its uncompressed tar stream (for the
// diff_id and the tar reader). Decompression goes through libarchive (a reader with the gzip or
// zstd filter and the "raw" format), and the decoder hashes the compressed bytes itself (blob
// digest) as it reads them, since a compressed stream may consume any amount of input before it
// yields output (zstd skippable frames): handing those bytes on would need unbounded memory. An
// uncompressed blob's chunks are the blob as stored too (`stored`): the consumer hashes them.
//   BULWARK_ASSIGN_OR_RETURN(auto decoder, BlobDecoder::Open(reader, options));
//   for (;;) { BULWARK_ASSIGN_OR_RETURN(BlobChunk c, decoder->Next()); if (c.end) break; ... }
// The chunk sequence (sizes, order, the point where an error replaces the rest) depends only on
// the blob and the options, so a decoder driven on a worker thread (BackgroundDecoder) yields
// exactly what one driven inline does.
// Thread safety: Next() is called by one thread at a time; Recycle() from any thread.
#ifndef BULWARK_IMAGE_INTERNAL_BLOB_DECODER_H_
#define BULWARK_IMAGE_INTERNAL_BLOB_DECODER_H_

#include <archive.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/blob_source.h"

namespace bulwark::image::internal {

enum class Compression { kNone, kGzip, kZstd };

// Bytes of one chunk: large enough that per-chunk costs vanish next to decompression and hashing.
inline constexpr size_t kBlobChunkBytes = 256 * 1024;

// One piece of the decoded blob. Its buffer goes back to the decoder through Recycle().
struct BlobChunk {
  std::vector<char> buffer;  // kBlobChunkBytes long; the first `size` bytes are the data.
  size_t size = 0;
  bool stored = false;  // Also the blob as stored (uncompressed blob): hash it as the blob.
  bool end = false;     // The blob is done: no data, and no chunk follows.
  // End chunk of a compressed blob: the digest and size of the blob as stored.
  std::optional<core::Digest> blob_digest;
  uint64_t blob_bytes = 0;
};

// Where Next() gets its chunks: a BlobDecoder itself, or a BackgroundDecoder running one.
class BlobChunkSource {
 public:
  virtual ~BlobChunkSource() = default;
  // The next chunk in blob order; after the end chunk or an error, that again. Errors: DataLoss
  // naming the blob (corrupt or truncated data), ResourceExhausted for max_total_bytes (with
  // TotalBytesPayloadUrl() set), or the blob reader's error.
  virtual absl::StatusOr<BlobChunk> Next() = 0;
  // Hands a chunk's buffer back for reuse.
  virtual void Recycle(BlobChunk chunk) = 0;
};

struct BlobDecoderOptions {
  Compression compression = Compression::kNone;
  // The blob digest's algorithm (compressed blobs).
  core::DigestAlgorithm blob_algorithm = core::DigestAlgorithm::kSha256;
  // Cap on the uncompressed bytes, and on the blob's own bytes (a blob larger than what it may
  // expand to is hostile too).
  uint64_t max_total_bytes = 0;
  // Names the blob in messages (its digest).
  std::string where;
};

// The payload type URL set on the ResourceExhausted status of a max_total_bytes overrun, so that
// callers that split one budget over several blobs can tell it from other limits.
absl::string_view TotalBytesPayloadUrl();

class BlobDecoder : public BlobChunkSource {
 public:
  // `blob` must outlive the decoder. Reads the first bytes (format detection). Errors: DataLoss
  // for a blob libarchive cannot read; Internal when libarchive lacks a built-in decompressor.
  static absl::StatusOr<std::unique_ptr<BlobDecoder>> Open(BlobReader& blob,
                                                           BlobDecoderOptions options);
  ~BlobDecoder() override;
  BlobDecoder(const BlobDecoder&) = delete;
  BlobDecoder& operator=(const BlobDecoder&) = delete;

  absl::StatusOr<BlobChunk> Next() override;
  void Recycle(BlobChunk chunk) override;

 private:
  struct ArchiveFree {
    void operator()(archive* a) const { archive_read_free(a); }
  };

  BlobDecoder(BlobReader& blob, BlobDecoderOptions options);

  static la_ssize_t ReadCallback(archive* a, void* self, const void** buffer);

  // The next chunk of the blob as stored (hashed when compressed); `end` when it is exhausted.
  absl::StatusOr<BlobChunk> ReadStored();
  // The next chunk of the decompressed stream; then, the blob's trailing bytes read and hashed,
  // the end chunk.
  absl::StatusOr<BlobChunk> NextDecompressed();
  absl::Status Count(uint64_t& counter, size_t size);
  std::vector<char> TakeBuffer();
  // Records the first error; every later call returns it.
  absl::Status Fail(absl::Status status);
  // The error libarchive reported, unless one of our callbacks failed first.
  absl::Status ArchiveError();

  BlobReader& blob_;
  const BlobDecoderOptions options_;
  core::Hasher blob_hasher_;                 // Compressed blobs only.
  std::optional<core::Digest> blob_digest_;  // Once the blob ended.
  uint64_t blob_bytes_ = 0;
  uint64_t tar_bytes_ = 0;
  bool blob_ended_ = false;
  bool decompressed_ended_ = false;
  absl::Status status_;
  // The stored chunk libarchive reads from; it keeps it until it asks for the next one.
  BlobChunk held_;
  std::unique_ptr<archive, ArchiveFree> archive_;  // Null for an uncompressed blob.

  std::mutex free_mutex_;  // Recycle() may run on another thread.
  std::vector<std::vector<char>> free_buffers_;
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_BLOB_DECODER_H_
