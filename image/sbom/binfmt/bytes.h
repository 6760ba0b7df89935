// Bounds-checked reads of fixed-size integers from untrusted bytes, in either byte order.
//   uint32_t count;
//   if (!ReadU32(blob, 4, ByteOrder::kBig, &count)) return TruncatedError(...);
// Every read checks `offset + size <= data.size()` without overflow and leaves `*out` untouched
// when it fails. Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_BINFMT_BYTES_H_
#define BULWARK_IMAGE_SBOM_BINFMT_BYTES_H_

#include <cstdint>
#include <cstring>

#include "absl/strings/string_view.h"

namespace bulwark::sbom::binfmt {

enum class ByteOrder { kLittle, kBig };

// True when [offset, offset + size) lies inside `data`.
inline bool InBounds(absl::string_view data, uint64_t offset, uint64_t size) {
  return offset <= data.size() && size <= data.size() - offset;
}

// The `size` bytes at `offset`, or false when they are not all inside `data`.
inline bool ReadBytes(absl::string_view data, uint64_t offset, uint64_t size,
                      absl::string_view* out) {
  if (!InBounds(data, offset, size)) return false;
  *out = data.substr(offset, size);
  return true;
}

// Reads an unsigned integer of sizeof(T) bytes at `offset` in `order`.
template <typename T>
bool ReadUnsigned(absl::string_view data, uint64_t offset, ByteOrder order, T* out) {
  static_assert(sizeof(T) <= 8);
  if (!InBounds(data, offset, sizeof(T))) return false;
  const auto* bytes = reinterpret_cast<const unsigned char*>(data.data() + offset);
  T value = 0;
  for (size_t i = 0; i < sizeof(T); ++i) {
    size_t index = order == ByteOrder::kBig ? i : sizeof(T) - 1 - i;
    value = static_cast<T>((value << 8) | bytes[index]);
  }
  *out = value;
  return true;
}

inline bool ReadU8(absl::string_view data, uint64_t offset, uint8_t* out) {
  return ReadUnsigned(data, offset, ByteOrder::kBig, out);
}
inline bool ReadU16(absl::string_view data, uint64_t offset, ByteOrder order, uint16_t* out) {
  return ReadUnsigned(data, offset, order, out);
}
inline bool ReadU32(absl::string_view data, uint64_t offset, ByteOrder order, uint32_t* out) {
  return ReadUnsigned(data, offset, order, out);
}
inline bool ReadU64(absl::string_view data, uint64_t offset, ByteOrder order, uint64_t* out) {
  return ReadUnsigned(data, offset, order, out);
}

}  // namespace bulwark::sbom::binfmt

#endif  // BULWARK_IMAGE_SBOM_BINFMT_BYTES_H_
