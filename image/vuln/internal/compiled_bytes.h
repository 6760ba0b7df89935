// Where the bytes of a compiled vulnerability database live (database.h): in memory (a database
// built from sources, or ParseCompiled), or in its file, read range by range when a block is first
// needed, so that opening a compiled file costs memory for its index only.
// Thread safety: Read may be called from several threads at once (pread for files).
#ifndef BULWARK_IMAGE_VULN_INTERNAL_COMPILED_BYTES_H_
#define BULWARK_IMAGE_VULN_INTERNAL_COMPILED_BYTES_H_

#include <cstdint>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::vuln::internal {

class CompiledBytes {
 public:
  virtual ~CompiledBytes() = default;

  // Total bytes (the file's size when it was opened).
  virtual uint64_t size() const = 0;

  // Bytes [offset, offset + length), which must lie within size(). The view points into the
  // held bytes, or into `scratch` (overwritten) for a file. Errors: DataLoss when the file is now
  // shorter than when it was opened; the read's errno as a Status naming the file.
  virtual absl::StatusOr<absl::string_view> Read(uint64_t offset, uint64_t length,
                                                 std::string& scratch) const = 0;
};

// Bytes held in memory.
std::unique_ptr<CompiledBytes> InMemory(std::string bytes);
std::unique_ptr<CompiledBytes> InMemory(std::unique_ptr<char[]> bytes, uint64_t size);

// The file at `path`, kept open and read on demand. Errors: NotFound, PermissionDenied,
// InvalidArgument for something other than a regular file.
absl::StatusOr<std::unique_ptr<CompiledBytes>> OpenCompiledFile(const std::string& path);

}  // namespace bulwark::vuln::internal

#endif  // BULWARK_IMAGE_VULN_INTERNAL_COMPILED_BYTES_H_
