#include "bulwark/image/testing/blob_readers.h"

#include <algorithm>
#include <utility>

#include "absl/strings/str_cat.h"

namespace bulwark::image::testing {

absl::StatusOr<size_t> StringBlobReader::Read(char* buffer, size_t size) {
  size = std::min({size, max_chunk_, data_.size() - position_});
  std::copy_n(data_.data() + position_, size, buffer);
  position_ += size;
  return size;
}

absl::StatusOr<std::unique_ptr<FileBlobReader>> FileBlobReader::Open(const std::string& path) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return absl::NotFoundError(absl::StrCat(path, ": cannot open"));
  return std::unique_ptr<FileBlobReader>(new FileBlobReader(file, path));
}

FileBlobReader::~FileBlobReader() { std::fclose(file_); }

absl::StatusOr<size_t> FileBlobReader::Read(char* buffer, size_t size) {
  size_t n = std::fread(buffer, 1, size, file_);
  if (n == 0 && std::ferror(file_)) return absl::DataLossError(absl::StrCat(path_, ": read error"));
  return n;
}

}  // namespace bulwark::image::testing
