#include "bulwark/image/internal/blob_decoder.h"

#include <archive_entry.h>

#include <cerrno>
#include <utility>

#include "absl/strings/cord.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image::internal {
namespace {

// Free buffers kept for reuse; more are released to the allocator.
constexpr size_t kMaxFreeBuffers = 32;

}  // namespace

absl::string_view TotalBytesPayloadUrl() { return "type.bulwark.dev/image.max_total_bytes"; }

BlobDecoder::BlobDecoder(BlobReader& blob, BlobDecoderOptions options)
    : blob_(blob), options_(std::move(options)), blob_hasher_(options_.blob_algorithm) {}

BlobDecoder::~BlobDecoder() = default;

absl::StatusOr<std::unique_ptr<BlobDecoder>> BlobDecoder::Open(BlobReader& blob,
                                                               BlobDecoderOptions options) {
  std::unique_ptr<BlobDecoder> decoder(new BlobDecoder(blob, std::move(options)));
  if (decoder->options_.compression == Compression::kNone) return decoder;
  decoder->archive_.reset(archive_read_new());
  archive* a = decoder->archive_.get();
  if (a == nullptr) return absl::ResourceExhaustedError("archive_read_new failed");
  // ARCHIVE_WARN means libarchive would run an external program: never for hostile input.
  int filter = decoder->options_.compression == Compression::kGzip
                   ? archive_read_support_filter_gzip(a)
                   : archive_read_support_filter_zstd(a);
  if (filter != ARCHIVE_OK) {
    return absl::InternalError(absl::StrCat(
        decoder->options_.where, ": libarchive has no built-in decompressor for this layer"));
  }
  archive_read_support_format_raw(a);
  if (archive_read_open(a, decoder.get(), nullptr, &ReadCallback, nullptr) != ARCHIVE_OK) {
    return decoder->ArchiveError();
  }
  archive_entry* raw;
  if (archive_read_next_header(a, &raw) != ARCHIVE_OK) return decoder->ArchiveError();
  return decoder;
}

absl::StatusOr<BlobChunk> BlobDecoder::Next() {
  BULWARK_RETURN_IF_ERROR(status_);
  if (archive_ == nullptr) {
    BULWARK_ASSIGN_OR_RETURN(BlobChunk chunk, ReadStored());
    if (!chunk.end) BULWARK_RETURN_IF_ERROR(Count(tar_bytes_, chunk.size));
    return chunk;
  }
  return NextDecompressed();
}

absl::StatusOr<BlobChunk> BlobDecoder::NextDecompressed() {
  if (!decompressed_ended_) {
    BlobChunk chunk{.buffer = TakeBuffer()};
    la_ssize_t n = archive_read_data(archive_.get(), chunk.buffer.data(), chunk.buffer.size());
    if (n < 0) return ArchiveError();
    if (n > 0) {
      BULWARK_RETURN_IF_ERROR(Count(tar_bytes_, n));
      chunk.size = static_cast<size_t>(n);
      return chunk;
    }
    decompressed_ended_ = true;
    Recycle(std::move(chunk));
    Recycle(std::exchange(held_, BlobChunk{}));
  }
  // Whatever follows the compressed stream is part of the blob, and of its digest.
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(BlobChunk chunk, ReadStored());
    if (chunk.end) {
      if (!blob_digest_.has_value()) blob_digest_ = blob_hasher_.Finish();
      chunk.blob_digest = blob_digest_;
      chunk.blob_bytes = blob_bytes_;
      return chunk;
    }
    Recycle(std::move(chunk));
  }
}

absl::StatusOr<BlobChunk> BlobDecoder::ReadStored() {
  if (blob_ended_) return BlobChunk{.end = true};
  BlobChunk chunk{.buffer = TakeBuffer(), .stored = true};
  absl::StatusOr<size_t> n = blob_.Read(chunk.buffer.data(), chunk.buffer.size());
  if (!n.ok()) return Fail(n.status());
  if (*n > chunk.buffer.size()) {
    return Fail(absl::InternalError(
        absl::StrCat(options_.where, ": blob reader returned more bytes than asked for")));
  }
  if (*n == 0) {
    blob_ended_ = true;
    Recycle(std::move(chunk));
    return BlobChunk{.end = true};
  }
  BULWARK_RETURN_IF_ERROR(Count(blob_bytes_, *n));
  chunk.size = *n;
  if (archive_ == nullptr) {
    chunk.stored = true;
  } else {
    blob_hasher_.Update(absl::string_view(chunk.buffer.data(), chunk.size));
  }
  return chunk;
}

la_ssize_t BlobDecoder::ReadCallback(archive* a, void* self, const void** buffer) {
  auto* decoder = static_cast<BlobDecoder*>(self);
  // libarchive keeps the buffer it was last given only until it asks for the next one.
  decoder->Recycle(std::exchange(decoder->held_, {}));
  absl::StatusOr<BlobChunk> chunk = decoder->ReadStored();
  if (!chunk.ok()) {
    archive_set_error(a, EIO, "%s", std::string(chunk.status().message()).c_str());
    return ARCHIVE_FATAL;
  }
  if (chunk->end) return 0;
  decoder->held_ = *std::move(chunk);
  *buffer = decoder->held_.buffer.data();
  return static_cast<la_ssize_t>(decoder->held_.size);
}

absl::Status BlobDecoder::Count(uint64_t& counter, size_t size) {
  counter += size;
  if (counter <= options_.max_total_bytes) return absl::OkStatus();
  absl::Status status =
      core::LimitExceeded("max_total_bytes", options_.max_total_bytes, options_.where);
  status.SetPayload(TotalBytesPayloadUrl(), absl::Cord());
  return Fail(std::move(status));
}

std::vector<char> BlobDecoder::TakeBuffer() {
  {
    std::lock_guard<std::mutex> lock(free_mutex_);
    if (!free_buffers_.empty()) {
      std::vector<char> buffer = std::move(free_buffers_.back());
      free_buffers_.pop_back();
      return buffer;
    }
  }
  return std::vector<char>(kBlobChunkBytes);
}

void BlobDecoder::Recycle(BlobChunk chunk) {
  if (chunk.buffer.size() != kBlobChunkBytes) return;
  std::lock_guard<std::mutex> lock(free_mutex_);
  if (free_buffers_.size() < kMaxFreeBuffers) free_buffers_.push_back(std::move(chunk.buffer));
}

absl::Status BlobDecoder::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
  return status_;
}

absl::Status BlobDecoder::ArchiveError() {
  if (!status_.ok()) return status_;
  const char* message = archive_error_string(archive_.get());
  return Fail(absl::DataLossError(
      absl::StrCat(options_.where, ": ", message != nullptr ? message : "unreadable archive")));
}

}  // namespace bulwark::image::internal
