// BlobReaders over a string and over a file, for tests, fuzzers and benchmarks (testonly).
//   StringBlobReader reader(blob_bytes, /*max_chunk=*/7);  // short reads on purpose
//   BULWARK_ASSIGN_OR_RETURN(auto file, FileBlobReader::Open("/tmp/layer.tar.gz"));
// Thread safety: each reader is used by one thread at a time.
#ifndef BULWARK_IMAGE_TESTING_BLOB_READERS_H_
#define BULWARK_IMAGE_TESTING_BLOB_READERS_H_

#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/blob_source.h"

namespace bulwark::image::testing {

// Serves `data`, at most `max_chunk` bytes per Read.
class StringBlobReader : public BlobReader {
 public:
  explicit StringBlobReader(std::string data, size_t max_chunk = SIZE_MAX)
      : data_(std::move(data)), max_chunk_(max_chunk) {}

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override;

 private:
  const std::string data_;
  const size_t max_chunk_;
  size_t position_ = 0;
};

// Streams a file from disk.
class FileBlobReader : public BlobReader {
 public:
  // Errors: NotFound naming the path.
  static absl::StatusOr<std::unique_ptr<FileBlobReader>> Open(const std::string& path);
  ~FileBlobReader() override;

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override;

 private:
  FileBlobReader(std::FILE* file, std::string path) : file_(file), path_(std::move(path)) {}

  std::FILE* const file_;
  const std::string path_;
};

}  // namespace bulwark::image::testing

#endif  // BULWARK_IMAGE_TESTING_BLOB_READERS_H_
