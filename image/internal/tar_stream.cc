#include "bulwark/image/internal/tar_stream.h"

#include <cerrno>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::image::internal {
namespace {

// Large enough that callback overhead vanishes next to decompression and hashing.
constexpr size_t kBlobBufferBytes = 256 * 1024;

}  // namespace

TarStream::TarStream(BlobReader& blob, TarStreamOptions options)
    : blob_(blob),
      options_(std::move(options)),
      blob_hasher_(options_.blob_algorithm),
      diff_id_hasher_(options_.diff_id_algorithm),
      blob_buffer_(kBlobBufferBytes) {}

TarStream::~TarStream() = default;

absl::StatusOr<std::unique_ptr<TarStream>> TarStream::Open(BlobReader& blob,
                                                           TarStreamOptions options) {
  std::unique_ptr<TarStream> stream(new TarStream(blob, std::move(options)));
  const std::string& where = stream->options_.where;
  if (stream->options_.compression != Compression::kNone) {
    stream->outer_.reset(archive_read_new());
    if (stream->outer_ == nullptr) return absl::ResourceExhaustedError("archive_read_new failed");
    archive* outer = stream->outer_.get();
    // ARCHIVE_WARN means libarchive would run an external program: never for hostile input.
    int filter = stream->options_.compression == Compression::kGzip
                     ? archive_read_support_filter_gzip(outer)
                     : archive_read_support_filter_zstd(outer);
    if (filter != ARCHIVE_OK) {
      return absl::InternalError(
          absl::StrCat(where, ": libarchive has no built-in decompressor for this layer"));
    }
    archive_read_support_format_raw(outer);
    if (archive_read_open(outer, stream.get(), nullptr, &ReadBlobCallback, nullptr) != ARCHIVE_OK) {
      return stream->ArchiveError(outer);
    }
    archive_entry* raw;
    if (archive_read_next_header(outer, &raw) != ARCHIVE_OK) return stream->ArchiveError(outer);
  }
  stream->inner_.reset(archive_read_new());
  if (stream->inner_ == nullptr) return absl::ResourceExhaustedError("archive_read_new failed");
  archive* inner = stream->inner_.get();
  archive_read_support_format_tar(inner);  // ustar, pax and GNU tar; nothing else.
  if (archive_read_open(inner, stream.get(), nullptr, &ReadTarCallback, nullptr) != ARCHIVE_OK) {
    return stream->ArchiveError(inner);
  }
  return stream;
}

absl::StatusOr<archive_entry*> TarStream::Next() {
  BULWARK_RETURN_IF_ERROR(status_);
  archive_entry* entry;
  int r = archive_read_next_header(inner_.get(), &entry);
  BULWARK_RETURN_IF_ERROR(status_);
  if (r == ARCHIVE_EOF) return nullptr;
  // ARCHIVE_WARN: a usable entry with a note (e.g. a name not valid in the current locale).
  if (r == ARCHIVE_OK || r == ARCHIVE_WARN) return entry;
  return ArchiveError(inner_.get());
}

absl::StatusOr<size_t> TarStream::ReadData(char* buffer, size_t size) {
  BULWARK_RETURN_IF_ERROR(status_);
  la_ssize_t n = archive_read_data(inner_.get(), buffer, size);
  BULWARK_RETURN_IF_ERROR(status_);
  if (n < 0) return ArchiveError(inner_.get());
  return static_cast<size_t>(n);
}

absl::Status TarStream::Finish() {
  BULWARK_RETURN_IF_ERROR(status_);
  const void* ignored;
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, PullTar(&ignored));
    if (n == 0) break;
  }
  while (true) {
    BULWARK_ASSIGN_OR_RETURN(size_t n, PullBlob());
    if (n == 0) break;
  }
  blob_digest_ = blob_hasher_.Finish();
  diff_id_ = diff_id_hasher_.Finish();
  return absl::OkStatus();
}

la_ssize_t TarStream::ReadBlobCallback(archive* a, void* self, const void** buffer) {
  auto* stream = static_cast<TarStream*>(self);
  absl::StatusOr<size_t> n = stream->PullBlob();
  if (!n.ok()) {
    archive_set_error(a, EIO, "%s", std::string(n.status().message()).c_str());
    return ARCHIVE_FATAL;
  }
  *buffer = stream->blob_buffer_.data();
  return static_cast<la_ssize_t>(*n);
}

la_ssize_t TarStream::ReadTarCallback(archive* a, void* self, const void** buffer) {
  absl::StatusOr<size_t> n = static_cast<TarStream*>(self)->PullTar(buffer);
  if (!n.ok()) {
    archive_set_error(a, EIO, "%s", std::string(n.status().message()).c_str());
    return ARCHIVE_FATAL;
  }
  return static_cast<la_ssize_t>(*n);
}

absl::StatusOr<size_t> TarStream::PullBlob() {
  BULWARK_RETURN_IF_ERROR(status_);
  if (blob_ended_) return 0;
  absl::StatusOr<size_t> n = blob_.Read(blob_buffer_.data(), blob_buffer_.size());
  if (!n.ok()) return Fail(n.status());
  if (*n > blob_buffer_.size()) {
    return Fail(absl::InternalError(
        absl::StrCat(options_.where, ": blob reader returned more bytes than asked for")));
  }
  if (*n == 0) {
    blob_ended_ = true;
    return 0;
  }
  blob_bytes_ += *n;
  if (blob_bytes_ > options_.max_total_bytes) {
    return Fail(core::LimitExceeded("max_total_bytes", options_.max_total_bytes, options_.where));
  }
  blob_hasher_.Update(absl::string_view(blob_buffer_.data(), *n));
  if (outer_ == nullptr) BULWARK_RETURN_IF_ERROR(CountTar(blob_buffer_.data(), *n));
  return *n;
}

absl::StatusOr<size_t> TarStream::PullTar(const void** buffer) {
  BULWARK_RETURN_IF_ERROR(status_);
  if (outer_ == nullptr) {
    *buffer = blob_buffer_.data();
    return PullBlob();
  }
  while (!tar_ended_) {
    size_t size = 0;
    la_int64_t offset;
    int r = archive_read_data_block(outer_.get(), buffer, &size, &offset);
    BULWARK_RETURN_IF_ERROR(status_);
    if (r == ARCHIVE_EOF) {
      tar_ended_ = true;
    } else if (r != ARCHIVE_OK) {
      return ArchiveError(outer_.get());
    } else if (size > 0) {
      BULWARK_RETURN_IF_ERROR(CountTar(*buffer, size));
      return size;
    }
  }
  return 0;
}

absl::Status TarStream::CountTar(const void* data, size_t size) {
  uncompressed_bytes_ += size;
  if (uncompressed_bytes_ > options_.max_total_bytes) {
    return Fail(core::LimitExceeded("max_total_bytes", options_.max_total_bytes, options_.where));
  }
  diff_id_hasher_.Update(absl::string_view(static_cast<const char*>(data), size));
  return absl::OkStatus();
}

absl::Status TarStream::Fail(absl::Status status) {
  if (status_.ok()) status_ = std::move(status);
  return status_;
}

absl::Status TarStream::ArchiveError(archive* a) {
  if (!status_.ok()) return status_;
  const char* message = archive_error_string(a);
  return Fail(absl::DataLossError(
      absl::StrCat(options_.where, ": ", message != nullptr ? message : "unreadable archive")));
}

}  // namespace bulwark::image::internal
