// Reads one RPM header blob as the rpmdb stores it: "<il:u32><dl:u32>", il index entries of 16
// bytes (tag, type, offset, count; big endian), then dl bytes of data. Every entry's offset,
// count, type and alignment is checked against the data store when the header is parsed, and
// string entries are checked for their NUL terminators when they are read.
//   BULWARK_ASSIGN_OR_RETURN(RpmHeader header, RpmHeader::Parse(blob, "rpmdb.sqlite#12"));
//   BULWARK_ASSIGN_OR_RETURN(absl::string_view name, header.GetString(rpm_tag::kName));
// Ownership: an RpmHeader borrows `blob`, which must outlive it. Thread safety: immutable.
#ifndef BULWARK_IMAGE_SBOM_RPM_RPM_HEADER_H_
#define BULWARK_IMAGE_SBOM_RPM_RPM_HEADER_H_

#include <cstdint>
#include <string>
#include <vector>

#include "absl/base/attributes.h"
#include "absl/container/flat_hash_map.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom {

// Data types of header entries (rpm's rpmTagType, lib/header.c).
enum class RpmTagType : uint32_t {
  kNull = 0,
  kChar = 1,
  kInt8 = 2,
  kInt16 = 3,
  kInt32 = 4,
  kInt64 = 5,
  kString = 6,
  kBinary = 7,
  kStringArray = 8,
  kI18nString = 9,
};

// Tag numbers used by the rpm cataloger (rpm's include/rpm/rpmtag.h).
namespace rpm_tag {
inline constexpr int32_t kHeaderImage = 61;
inline constexpr int32_t kHeaderSignatures = 62;
inline constexpr int32_t kHeaderImmutable = 63;
inline constexpr int32_t kSigMd5 = 261;
inline constexpr int32_t kName = 1000;
inline constexpr int32_t kVersion = 1001;
inline constexpr int32_t kRelease = 1002;
inline constexpr int32_t kEpoch = 1003;
inline constexpr int32_t kSummary = 1004;
inline constexpr int32_t kInstallTime = 1008;
inline constexpr int32_t kSize = 1009;
inline constexpr int32_t kVendor = 1011;
inline constexpr int32_t kLicense = 1014;
inline constexpr int32_t kArch = 1022;
inline constexpr int32_t kOldFilenames = 1027;
inline constexpr int32_t kFileSizes = 1028;
inline constexpr int32_t kFileModes = 1030;
inline constexpr int32_t kFileDigests = 1035;
inline constexpr int32_t kFileFlags = 1037;
inline constexpr int32_t kFileUserName = 1039;
inline constexpr int32_t kFileGroupName = 1040;
inline constexpr int32_t kSourceRpm = 1044;
inline constexpr int32_t kProvideName = 1047;
inline constexpr int32_t kRequireName = 1049;
inline constexpr int32_t kDirIndexes = 1116;
inline constexpr int32_t kBaseNames = 1117;
inline constexpr int32_t kDirNames = 1118;
inline constexpr int32_t kLongFileSizes = 5008;
inline constexpr int32_t kLongSize = 5009;
inline constexpr int32_t kFileDigestAlgo = 5011;
inline constexpr int32_t kModularityLabel = 5096;
}  // namespace rpm_tag

// One index entry; `offset` is relative to the data store.
struct RpmHeaderEntry {
  int32_t tag = 0;
  RpmTagType type = RpmTagType::kNull;
  uint32_t offset = 0;
  uint32_t count = 0;
};

class RpmHeader {
 public:
  // rpm's own caps (lib/header_internal.h): at most 65535 index entries and 256 MiB of data.
  static constexpr uint32_t kMaxIndexEntries = 0xffff;
  static constexpr uint32_t kMaxDataBytes = 0x0fffffff;

  // Parses the blob. Errors: InvalidArgument naming `source` and the entry for a blob shorter
  // than its counts say, counts above rpm's caps, unknown types, misaligned numbers, or entries
  // whose data lies outside the data store. Bytes after the data store are ignored. When a tag
  // appears twice, the later entry wins (rpm's "dribble" entries replace region entries).
  static absl::StatusOr<RpmHeader> Parse(absl::string_view blob ABSL_ATTRIBUTE_LIFETIME_BOUND,
                                         absl::string_view source);

  // The entry for `tag`, or nullptr.
  const RpmHeaderEntry* Find(int32_t tag) const;
  size_t entry_count() const { return entries_.size(); }

  // Typed reads. Errors: NotFound when the tag is absent; InvalidArgument when its type does not
  // fit or its strings are not NUL-terminated inside the data store.
  // GetString: a STRING, the first I18NSTRING translation, or a one-element STRING_ARRAY.
  absl::StatusOr<absl::string_view> GetString(int32_t tag) const;
  // GetStrings: every string of a STRING_ARRAY, I18NSTRING or STRING entry.
  absl::StatusOr<std::vector<absl::string_view>> GetStrings(int32_t tag) const;
  // GetIntegers: the values of a CHAR/INT8/INT16/INT32/INT64 entry, zero-extended.
  absl::StatusOr<std::vector<uint64_t>> GetIntegers(int32_t tag) const;
  // GetBinary: the bytes of a BIN entry.
  absl::StatusOr<absl::string_view> GetBinary(int32_t tag) const;

 private:
  RpmHeader() = default;
  absl::StatusOr<const RpmHeaderEntry*> FindOrError(int32_t tag) const;

  std::string source_;
  absl::string_view data_;
  std::vector<RpmHeaderEntry> entries_;
  absl::flat_hash_map<int32_t, size_t> by_tag_;
};

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_RPM_RPM_HEADER_H_
