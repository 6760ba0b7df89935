#include "bulwark/image/internal/tar_stream.h"

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/background_decoder.h"

namespace bulwark::image::internal {

TarStream::TarStream(TarStreamOptions options, std::unique_ptr<BlobChunkSource> chunks)
    : options_(std::move(options)),
      one_hash_(options_.compression == Compression::kNone &&
                options_.blob_algorithm == options_.diff_id_algorithm),
      blob_hasher_(options_.blob_algorithm),
      diff_id_hasher_(options_.diff_id_algorithm),
      chunks_(std::move(chunks)) {}

TarStream::~TarStream() = default;

absl::StatusOr<std::unique_ptr<TarStream>> TarStream::Open(BlobReader& blob,
                                                           TarStreamOptions options) {
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<BlobDecoder> decoder,
                           BlobDecoder::Open(blob, {.compression = options.compression,
                                                    .blob_algorithm = options.blob_algorithm,
                                                    .max_total_bytes = options.max_total_bytes,
                                                    .where = options.where}));
  std::unique_ptr<BlobChunkSource> chunks;
  if (options.background) {
    chunks = std::make_unique<BackgroundDecoder>(std::move(decoder));
  } else {
    chunks = std::move(decoder);
  }
  std::unique_ptr<TarStream> stream(new TarStream(std::move(options), std::move(chunks)));
  stream->tar_.reset(archive_read_new());
  archive* tar = stream->tar_.get();
  if (tar == nullptr) return absl::ResourceExhaustedError("archive_read_new failed");
  archive_read_support_format_tar(tar);  // ustar, pax and GNU tar; nothing else.
  if (archive_read_open(tar, stream.get(), nullptr, &ReadTarCallback, nullptr) != ARCHIVE_OK) {
    return stream->ArchiveError();
  }
  return stream;
}

absl::StatusOr<archive_entry*> TarStream::Next() {
  BULWARK_RETURN_IF_ERROR(status_);
  archive_entry* entry;
  int r = archive_read_next_header(tar_.get(), &entry);
  BULWARK_RETURN_IF_ERROR(status_);
  if (r == ARCHIVE_EOF) return nullptr;
  // ARCHIVE_WARN: a usable entry with a note (e.g. a name not valid in the current locale).
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN) return entry;
  return ArchiveError();
}

absl::StatusOr<size_t> TarStream::ReadData(char* buffer, size_t size) {
  BULWARK_RETURN_IF_ERROR(status_);
  la_ssize_t n = archive_read_data(tar_.get(), buffer, size);
  BULWARK_RETURN_IF_ERROR(status_);
  if (n < 0) return ArchiveError();
  return static_cast<size_t>(n);
}

absl::Status TarStream::Finish() {
  BULWARK_RETURN_IF_ERROR(status_);
  const void* ignored;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, PullTar(&ignored));
    if (n == 0) break;
  }
  // A compressed blob's digest came with the end chunk.
  if (options_.compression == Compression::kNone) blob_digest_ = blob_hasher_.Finish();
  diff_id_ = one_hash_ ? blob_digest_ : diff_id_hasher_.Finish();
  return absl::OkStatus();
}

la_ssize_t TarStream::ReadTarCallback(archive* a, void* self, const void** buffer) {
  absl::StatusOr<size_t> n = static_cast<TarStream*>(self)->PullTar(buffer);
  if (!n.ok()) {
    archive_set_error(a, EIO, "%s", std::string(n.status().message()).c_str());
    return ARCHIVE_FATAL;
  }
  return static_cast<la_ssize_t>(*n);
}

absl::StatusOr<size_t> TarStream::PullTar(const void** buffer) {
  BULWARK_RETURN_IF_ERROR(status_);
  // The tar reader asks for more only when it is done with the chunk it had.
  if (current_.size > 0) chunks_->Recycle(std::exchange(current_, {}));
  while (!ended_) {
    absl::StatusOr<BlobChunk> chunk = chunks_->Next();
    if (!chunk.ok()) return Fail(chunk.status());
    if (chunk->end) {
      ended_ = true;
      if (chunk->blob_digest.has_value()) {
        blob_digest_ = *chunk->blob_digest;
        blob_bytes_ = chunk->blob_bytes;
      }
      break;
    }
    const absl::string_view data(chunk->buffer.data(), chunk->size);
    if (chunk->stored) {
      blob_bytes_ += data.size();
      blob_hasher_.Update(data);
    }
    uncompressed_bytes_ += data.size();
    if (!one_hash_) diff_id_hasher_.Update(data);
    current_ = *std::move(chunk);
    *buffer = current_.buffer.data();
    return current_.size;
  }
  return 0;
}

absl::Status TarStream::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
  return status_;
}

absl::Status TarStream::ArchiveError() {
  if (!status_.ok()) return status_;
  const char* message = archive_error_string(tar_.get());
  return Fail(absl::DataLossError(
      absl::StrCat(options_.where, ": ", message != nullptr ? message : "unreadable archive")));
}

}  // namespace bulwark::image::internal
