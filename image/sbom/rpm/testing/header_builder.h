// Builds rpm header blobs entry by entry for tests, including deliberately broken ones
// (testonly, header-only).
//   RpmHeaderBuilder builder;
//   builder.AddString(rpm_tag::kName, "bash").AddInt32(rpm_tag::kEpoch, {1});
//   std::string blob = builder.Build();
//   builder.entry(0).offset = 9999;  // then Build() again for a lying offset
#ifndef BULWARK_IMAGE_SBOM_RPM_TESTING_HEADER_BUILDER_H_
#define BULWARK_IMAGE_SBOM_RPM_TESTING_HEADER_BUILDER_H_

#include <cstdint>
#include <initializer_list>
#include <string>
#include <vector>

#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/rpm/rpm_header.h"

namespace bulwark::sbom::testing {

class RpmHeaderBuilder {
 public:
  struct Entry {
    int32_t tag;
    uint32_t type;
    uint32_t offset;
    uint32_t count;
  };

  RpmHeaderBuilder& AddString(int32_t tag, absl::string_view value) {
    return Add(tag, RpmTagType::kString, 1, 1, std::string(value) + '\0');
  }
  RpmHeaderBuilder& AddStrings(int32_t tag, const std::vector<std::string>& values,
                               RpmTagType type = RpmTagType::kStringArray) {
    std::string data;
    for (const std::string& value : values) data += value + '\0';
    return Add(tag, type, 1, static_cast<uint32_t>(values.size()), data);
  }
  RpmHeaderBuilder& AddInt32(int32_t tag, std::initializer_list<uint32_t> values) {
    std::string data;
    for (uint32_t value : values) AppendBigEndian(&data, value, 4);
    return Add(tag, RpmTagType::kInt32, 4, static_cast<uint32_t>(values.size()), data);
  }
  RpmHeaderBuilder& AddInt16(int32_t tag, std::initializer_list<uint16_t> values) {
    std::string data;
    for (uint16_t value : values) AppendBigEndian(&data, value, 2);
    return Add(tag, RpmTagType::kInt16, 2, static_cast<uint32_t>(values.size()), data);
  }
  RpmHeaderBuilder& AddBinary(int32_t tag, absl::string_view bytes) {
    return Add(tag, RpmTagType::kBinary, 1, static_cast<uint32_t>(bytes.size()),
               std::string(bytes));
  }

  // The index entry added n-th, to falsify before Build().
  Entry& entry(size_t n) { return entries_[n]; }
  // Extra bytes claimed (positive) or hidden (negative) in the data length field.
  void set_data_length_adjustment(int64_t delta) { data_length_adjustment_ = delta; }

  std::string Build() const {
    std::string blob;
    AppendBigEndian(&blob, entries_.size(), 4);
    AppendBigEndian(
        &blob, static_cast<uint64_t>(static_cast<int64_t>(data_.size()) + data_length_adjustment_),
        4);
    for (const Entry& e : entries_) {
      AppendBigEndian(&blob, static_cast<uint32_t>(e.tag), 4);
      AppendBigEndian(&blob, e.type, 4);
      AppendBigEndian(&blob, e.offset, 4);
      AppendBigEndian(&blob, e.count, 4);
    }
    return blob + data_;
  }

 private:
  static void AppendBigEndian(std::string* out, uint64_t value, int bytes) {
    for (int i = bytes - 1; i >= 0; --i)
      out->push_back(static_cast<char>((value >> (8 * i)) & 0xff));
  }

  RpmHeaderBuilder& Add(int32_t tag, RpmTagType type, size_t align, uint32_t count,
                        const std::string& data) {
    while (data_.size() % align != 0) data_.push_back('\0');
    entries_.push_back(
        {tag, static_cast<uint32_t>(type), static_cast<uint32_t>(data_.size()), count});
    data_ += data;
    return *this;
  }

  std::vector<Entry> entries_;
  std::string data_;
  int64_t data_length_adjustment_ = 0;
};

}  // namespace bulwark::sbom::testing

#endif  // BULWARK_IMAGE_SBOM_RPM_TESTING_HEADER_BUILDER_H_
