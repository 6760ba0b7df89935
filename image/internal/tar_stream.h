// The libarchive plumbing of the layer walker: one pass over a layer blob that yields tar entries
// and their data while hashing both the blob as stored and the uncompressed tar stream.
//   BULWARK_ASSIGN_OR_RETURN(auto stream, TarStream::Open(reader, options));
//   while ((entry = stream->Next()) != nullptr) stream->ReadData(...);
//   BULWARK_RETURN_IF_ERROR(stream->Finish());  // then BlobDigest(), DiffId()
// Thread safety: a TarStream is used by one thread at a time.
//
// A BlobDecoder (libarchive with the compression filter, hashing the compressed bytes) turns the
// blob into chunks of the uncompressed tar stream; this class hashes them (diff_id; for an
// uncompressed blob, the blob digest too) and hands them as the read callback's data to a
// second libarchive reader (format tar, no filter). With
// `background`, the decoder runs on a worker thread a bounded queue ahead (BackgroundDecoder), so
// decompression overlaps hashing, parsing and the visitors; the chunks, digests and errors are
// the same either way. Data nobody reads is skipped by the tar reader through the same callback,
// so the digests always cover every byte.
#ifndef BULWARK_IMAGE_INTERNAL_TAR_STREAM_H_
#define BULWARK_IMAGE_INTERNAL_TAR_STREAM_H_

#include <archive.h>
#include <archive_entry.h>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "bulwark/core/digest.h"
#include "bulwark/image/blob_source.h"
#include "bulwark/image/internal/blob_decoder.h"

namespace bulwark::image::internal {

struct TarStreamOptions {
  Compression compression = Compression::kNone;
  core::DigestAlgorithm blob_algorithm = core::DigestAlgorithm::kSha256;
  core::DigestAlgorithm diff_id_algorithm = core::DigestAlgorithm::kSha256;
  // Cap on the uncompressed bytes, and on the blob's own bytes (a blob larger than what it may
  // expand to is hostile too): ResourceExhausted naming max_total_bytes, with the payload
  // TotalBytesPayloadUrl().
  uint64_t max_total_bytes = 0;
  // Decompress on a worker thread (BackgroundDecoder).
  bool background = false;
  // Names the blob in messages (its digest).
  std::string where;
};

class TarStream {
 public:
  // `blob` must outlive the stream; with options.background it is read by the worker thread
  // until the stream is destroyed. Errors: DataLoss for a blob libarchive cannot read;
  // Internal when libarchive lacks a built-in decompressor for `options.compression`.
  static absl::StatusOr<std::unique_ptr<TarStream>> Open(BlobReader& blob,
                                                         TarStreamOptions options);
  ~TarStream();
  TarStream(const TarStream&) = delete;
  TarStream& operator=(const TarStream&) = delete;

  // The next entry's header, valid until the next call; nullptr after the last entry. Any data
  // of the previous entry not read is skipped (and hashed). Errors: DataLoss naming the blob,
  // ResourceExhausted for max_total_bytes, or the blob reader's error.
  absl::StatusOr<archive_entry*> Next();

  // Reads up to `size` bytes of the current entry's data; 0 at its end. Errors as Next().
  absl::StatusOr<size_t> ReadData(char* buffer, size_t size);

  // Reads whatever follows the tar end marker (record padding, the compressed trailer, trailing
  // bytes) so that the digests cover the whole blob. Call once, after Next() returned nullptr.
  absl::Status Finish();

  // Valid after Finish().
  const core::Digest& blob_digest() const { return blob_digest_; }
  const core::Digest& diff_id() const { return diff_id_; }
  uint64_t blob_bytes() const { return blob_bytes_; }
  uint64_t uncompressed_bytes() const { return uncompressed_bytes_; }

 private:
  struct ArchiveFree {
    void operator()(archive* a) const { archive_read_free(a); }
  };

  TarStream(TarStreamOptions options, std::unique_ptr<BlobChunkSource> chunks);

  static la_ssize_t ReadTarCallback(archive* a, void* self, const void** buffer);

  // The next piece of the uncompressed tar stream in *buffer (valid until the next call), hashed;
  // 0 at the end of the blob.
  absl::StatusOr<size_t> PullTar(const void** buffer);
  // Records the first error; every later call returns it.
  absl::Status Fail(absl::Status status);
  // The error libarchive reported, unless one of our callbacks failed first.
  absl::Status ArchiveError();

  const TarStreamOptions options_;
  // An uncompressed blob is its own tar stream: with one algorithm, one hash gives both digests.
  const bool one_hash_;
  core::Hasher blob_hasher_;  // Uncompressed blobs only.
  core::Hasher diff_id_hasher_;
  uint64_t blob_bytes_ = 0;
  uint64_t uncompressed_bytes_ = 0;
  bool ended_ = false;
  absl::Status status_;
  std::unique_ptr<BlobChunkSource> chunks_;
  BlobChunk current_;  // The tar chunk the tar reader is reading.
  std::unique_ptr<archive, ArchiveFree> tar_;
  core::Digest blob_digest_ = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
  core::Digest diff_id_ = core::DigestBytes(core::DigestAlgorithm::kSha256, "");
};

}  // namespace bulwark::image::internal

#endif  // BULWARK_IMAGE_INTERNAL_TAR_STREAM_H_
