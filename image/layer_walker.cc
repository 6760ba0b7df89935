#include "bulwark/image/layer_walker.h"

#include <archive.h>
#include <archive_entry.h>
#include <sys/mman.h>
#include <unistd.h>

#include <algorithm>
#include <optional>
#include <string>
#include <utility>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/report.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/internal/entry_path.h"
#include "bulwark/image/internal/tar_stream.h"

namespace bulwark::image {
namespace {

using internal::Compression;
using internal::TarStream;

struct LayerMediaType {
  absl::string_view media_type;
  Compression compression;
};

// Foreign and non-distributable layers are ordinary tars for reading purposes.
constexpr LayerMediaType kLayerMediaTypes[] = {
    {media_type::kOciLayerTar, Compression::kNone},
    {media_type::kOciLayerNondistributableTar, Compression::kNone},
    {media_type::kOciLayerGzip, Compression::kGzip},
    {media_type::kOciLayerNondistributableGzip, Compression::kGzip},
    {media_type::kDockerLayerGzip, Compression::kGzip},
    {media_type::kDockerLayerForeignGzip, Compression::kGzip},
    {media_type::kOciLayerZstd, Compression::kZstd},
    {media_type::kOciLayerNondistributableZstd, Compression::kZstd},
};

absl::StatusOr<Compression> CompressionOf(absl::string_view media_type, absl::string_view where) {
  for (const LayerMediaType& known : kLayerMediaTypes) {
    if (known.media_type == media_type) return known.compression;
  }
  return absl::UnimplementedError(
      absl::StrCat(where, ": unsupported layer media type \"", absl::CHexEscape(media_type), "\""));
}

// Rejects md5: it is allowed for legacy checks elsewhere, never for content addressing.
absl::Status CheckContentDigest(const core::Digest& digest, absl::string_view what,
                                absl::string_view where) {
  if (digest.algorithm() == core::DigestAlgorithm::kMd5) {
    return absl::InvalidArgumentError(absl::StrCat(where, ": ", what, " uses md5"));
  }
  return absl::OkStatus();
}

core::v1::Finding MakeFinding(absl::string_view rule_id, absl::string_view title,
                              absl::string_view category, const LayerInfo& layer,
                              absl::string_view path, absl::string_view description) {
  core::v1::Finding finding;
  finding.set_rule_id(std::string(rule_id));
  finding.set_title(std::string(title));
  finding.set_severity(core::v1::SEVERITY_HIGH);
  finding.set_category(std::string(category));
  finding.mutable_location()->set_layer_digest(layer.descriptor.digest.ToString());
  finding.mutable_location()->set_path(std::string(path));
  finding.set_description(std::string(description));
  finding.set_fingerprint(core::FingerprintFinding(finding));
  return finding;
}

// A name as libarchive decoded it: the raw bytes when it kept them, else its UTF-8 form (pax
// names that the current locale cannot represent); nullptr when neither exists.
const char* EntryName(const char* raw, const char* utf8) { return raw != nullptr ? raw : utf8; }

EntryType TypeOf(archive_entry* e) {
  if (archive_entry_hardlink(e) != nullptr || archive_entry_hardlink_utf8(e) != nullptr) {
    return EntryType::kHardlink;
  }
  switch (archive_entry_filetype(e)) {
    case AE_IFREG:
      return EntryType::kRegular;
    case AE_IFDIR:
      return EntryType::kDirectory;
    case AE_IFLNK:
      return EntryType::kSymlink;
    case AE_IFCHR:
      return EntryType::kCharDevice;
    case AE_IFBLK:
      return EntryType::kBlockDevice;
    case AE_IFIFO:
      return EntryType::kFifo;
    default:
      return EntryType::kOther;
  }
}

// libarchive's writer stores each xattr twice (SCHILY.xattr and LIBARCHIVE.xattr pax keywords)
// and its reader returns both: one name holds one value, the last one written.
void AddXattr(LayerEntry& entry, absl::string_view name, absl::string_view value) {
  for (auto& [existing, old_value] : entry.xattrs) {
    if (existing == name) {
      old_value = std::string(value);
      return;
    }
  }
  entry.xattrs.emplace_back(std::string(name), std::string(value));
}

uint32_t ClampId(la_int64_t id) {
  return static_cast<uint32_t>(std::clamp<la_int64_t>(id, 0, UINT32_MAX));
}

// One buffer per layer walk for content read whole (ReadAllView, or a copy shared by several
// visitors): it grows to the largest such file (at most Limits::max_file_bytes) once and is
// reused, so reading a file never doubles a string or allocates per entry. It is mapped
// directly rather than taken from malloc: a buffer of tens of MiB freed into malloc's heap would
// raise glibc's dynamic mmap threshold and stay resident as free heap for the rest of the scan,
// while an unmapped one goes back to the system, and only the pages a file fills are resident.
class ContentBuffer {
 public:
  ContentBuffer() = default;
  ContentBuffer(const ContentBuffer&) = delete;
  ContentBuffer& operator=(const ContentBuffer&) = delete;
  ~ContentBuffer() { Release(); }

  // Room for `size` bytes, contents unspecified; valid until the next call. Errors:
  // ResourceExhausted when the system refuses the mapping.
  absl::StatusOr<char*> Reserve(size_t size) {
    if (size <= capacity_) return data_;
    Release();  // The old mapping goes before the new one: never two at once.
    const size_t page = static_cast<size_t>(sysconf(_SC_PAGESIZE));
    const size_t length = (size + page - 1) / page * page;
    void* mapped =
        mmap(nullptr, length, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED) {
      return absl::ResourceExhaustedError(
          absl::StrCat("cannot map a ", length, "-byte buffer for file content"));
    }
    data_ = static_cast<char*>(mapped);
    capacity_ = length;
    return data_;
  }

 private:
  void Release() {
    if (data_ != nullptr) munmap(data_, capacity_);
    data_ = nullptr;
    capacity_ = 0;
  }

  char* data_ = nullptr;
  size_t capacity_ = 0;
};

// The current entry's data, read straight from the stream and capped at `cap` bytes.
class StreamContentReader : public ContentReader {
 public:
  StreamContentReader(TarStream& stream, int64_t size, uint64_t cap, ContentBuffer& buffer)
      : stream_(stream), size_(size), cap_(cap), buffer_(buffer) {}

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    size = static_cast<size_t>(std::min<uint64_t>(size, cap_ - delivered_));
    if (size == 0) return 0;
    BULWARK_ASSIGN_OR_RETURN(size_t n, stream_.ReadData(buffer, size));
    delivered_ += n;
    return n;
  }
  // Reads the rest into the walk's buffer, sized from the header (the tar reader never delivers
  // more than the header's size).
  absl::StatusOr<absl::string_view> ReadAllView() override {
    const size_t room = static_cast<size_t>(
        std::min<uint64_t>(static_cast<uint64_t>(std::max<int64_t>(size_, 0)), cap_) -
        std::min<uint64_t>(delivered_, cap_));
    BULWARK_ASSIGN_OR_RETURN(char* data, buffer_.Reserve(room));
    size_t filled = 0;
    while (filled < room) {
      BULWARK_ASSIGN_OR_RETURN(size_t n, Read(data + filled, room - filled));
      if (n == 0) break;
      filled += n;
    }
    return absl::string_view(data, filled);
  }
  bool truncated() const override {
    return delivered_ == cap_ && static_cast<uint64_t>(size_) > cap_;
  }

 private:
  TarStream& stream_;
  const int64_t size_;
  const uint64_t cap_;
  ContentBuffer& buffer_;
  uint64_t delivered_ = 0;
};

// One visitor's view of content buffered for several.
class BufferContentReader : public ContentReader {
 public:
  BufferContentReader(absl::string_view content, bool truncated)
      : content_(content), truncated_(truncated) {}

  absl::StatusOr<size_t> Read(char* buffer, size_t size) override {
    size = std::min(size, content_.size() - position_);
    std::copy_n(content_.data() + position_, size, buffer);
    position_ += size;
    return size;
  }
  absl::StatusOr<absl::string_view> ReadAllView() override {
    const absl::string_view rest = content_.substr(position_);
    position_ = content_.size();
    return rest;
  }
  bool truncated() const override { return truncated_ && position_ == content_.size(); }

 private:
  const absl::string_view content_;
  const bool truncated_;
  size_t position_ = 0;
};

class LayerWalk {
 public:
  LayerWalk(TarStream& stream, const LayerInfo& layer, absl::Span<LayerVisitor* const> visitors,
            const WalkOptions& options, LayerWalkResult& result)
      : stream_(stream),
        layer_(layer),
        visitors_(visitors),
        limits_(options.limits),
        result_(result),
        where_(layer.descriptor.digest.ToString()) {}

  // Hands every entry to the visitors.
  absl::Status Run() {
    while (true) {
      BULWARK_ASSIGN_OR_RETURN(archive_entry * e, stream_.Next());
      if (e == nullptr) return absl::OkStatus();
      if (++result_.entries > limits_.max_entries) {
        return core::LimitExceeded("max_entries", limits_.max_entries, where_);
      }
      BULWARK_ASSIGN_OR_RETURN(std::optional<LayerEntry> entry, ToLayerEntry(e));
      if (entry.has_value()) BULWARK_RETURN_IF_ERROR(Dispatch(*entry));
    }
  }

 private:
  // The entry, or nullopt (and a finding) when it must not reach the visitors.
  absl::StatusOr<std::optional<LayerEntry>> ToLayerEntry(archive_entry* e) {
    const char* name = EntryName(archive_entry_pathname(e), archive_entry_pathname_utf8(e));
    if (name == nullptr) {
      Unsafe("", "the entry name cannot be decoded");
      return std::nullopt;
    }
    BULWARK_RETURN_IF_ERROR(CheckLength(name));
    absl::StatusOr<std::string> path = internal::NormalizeEntryPath(name);
    if (!path.ok()) {
      Unsafe(name, path.status().message());
      return std::nullopt;
    }
    LayerEntry entry;
    entry.path = *std::move(path);
    entry.type = TypeOf(e);
    entry.mode = archive_entry_perm(e) & 07777;
    entry.uid = ClampId(archive_entry_uid(e));
    entry.gid = ClampId(archive_entry_gid(e));
    entry.size = entry.type == EntryType::kRegular ? archive_entry_size(e) : 0;
    entry.mtime = archive_entry_mtime(e);
    if (entry.type == EntryType::kHardlink) {
      const char* target = EntryName(archive_entry_hardlink(e), archive_entry_hardlink_utf8(e));
      BULWARK_RETURN_IF_ERROR(CheckLength(target));
      absl::StatusOr<std::string> normalized = internal::NormalizeEntryPath(target);
      if (!normalized.ok()) {
        Unsafe(name, absl::StrCat("hard link target: ", normalized.status().message()));
        return std::nullopt;
      }
      entry.link_target = *std::move(normalized);
    } else if (entry.type == EntryType::kSymlink) {
      const char* target = EntryName(archive_entry_symlink(e), archive_entry_symlink_utf8(e));
      if (target == nullptr) {
        Unsafe(name, "the symlink target cannot be decoded");
        return std::nullopt;
      }
      BULWARK_RETURN_IF_ERROR(CheckLength(target));
      entry.link_target = target;
    } else if (entry.type == EntryType::kCharDevice || entry.type == EntryType::kBlockDevice) {
      entry.device_major = static_cast<uint32_t>(archive_entry_rdevmajor(e));
      entry.device_minor = static_cast<uint32_t>(archive_entry_rdevminor(e));
    }
    archive_entry_xattr_reset(e);
    const char* xattr_name;
    const void* value;
    size_t size;
    while (archive_entry_xattr_next(e, &xattr_name, &value, &size) == ARCHIVE_OK) {
      AddXattr(entry, xattr_name, absl::string_view(static_cast<const char*>(value), size));
    }
    return entry;
  }

  absl::Status CheckLength(absl::string_view name) {
    if (name.size() <= limits_.max_path_length) return absl::OkStatus();
    return core::LimitExceeded("max_path_length", limits_.max_path_length,
                               absl::StrCat(where_, ": entry ", result_.entries));
  }

  // Names may hold any byte; findings are protobuf strings (UTF-8), so the name is C-escaped.
  void Unsafe(absl::string_view name, absl::string_view why) {
    std::string path = absl::CHexEscape(name);
    result_.findings.push_back(MakeFinding(
        "BLK-LAYER-UNSAFE-PATH", "Layer entry with an unsafe name was skipped", "file", layer_,
        path, absl::StrCat("entry ", result_.entries, " \"", path, "\": ", why)));
  }

  // Content goes to the visitors that want it. One such visitor reads straight from the stream;
  // several share a copy of the first max_file_bytes, because the stream can be read only once.
  absl::Status Dispatch(const LayerEntry& entry) {
    std::vector<bool> wants(visitors_.size(), false);
    size_t wanting = 0;
    if (entry.type == EntryType::kRegular) {
      for (size_t i = 0; i < visitors_.size(); ++i) {
        wants[i] = visitors_[i]->WantsContent(entry);
        wanting += wants[i];
      }
    }
    if (wanting <= 1) {
      StreamContentReader reader(stream_, entry.size, limits_.max_file_bytes, buffer_);
      for (size_t i = 0; i < visitors_.size(); ++i) {
        BULWARK_RETURN_IF_ERROR(visitors_[i]->OnEntry(layer_, entry, wants[i] ? &reader : nullptr));
      }
      return absl::OkStatus();
    }
    // Read straight into the walk's buffer, sized from the header (capped).
    StreamContentReader reader(stream_, entry.size, limits_.max_file_bytes, buffer_);
    BULWARK_ASSIGN_OR_RETURN(absl::string_view content, reader.ReadAllView());
    for (size_t i = 0; i < visitors_.size(); ++i) {
      std::optional<BufferContentReader> copy;
      if (wants[i]) copy.emplace(content, reader.truncated());
      BULWARK_RETURN_IF_ERROR(
          visitors_[i]->OnEntry(layer_, entry, copy.has_value() ? &*copy : nullptr));
    }
    return absl::OkStatus();
  }

  TarStream& stream_;
  const LayerInfo& layer_;
  const absl::Span<LayerVisitor* const> visitors_;
  const core::Limits& limits_;
  LayerWalkResult& result_;
  const std::string where_;
  ContentBuffer buffer_;
};

// Compares what was read with what the manifest and config promised: DataLoss under kEnforce,
// findings under kReport.
absl::Status Verify(const LayerInfo& layer, const std::optional<core::Digest>& diff_id,
                    VerifyMode mode, LayerWalkResult& result) {
  struct Check {
    absl::string_view rule_id;
    absl::string_view what;
    std::string expected;
    std::string actual;
  };
  std::vector<Check> mismatches;
  const Descriptor& descriptor = layer.descriptor;
  if (descriptor.size < 0 || static_cast<uint64_t>(descriptor.size) != result.blob_bytes) {
    mismatches.push_back({"BLK-LAYER-SIZE-MISMATCH", "blob size",
                          absl::StrCat(descriptor.size, " bytes"),
                          absl::StrCat(result.blob_bytes, " bytes")});
  }
  if (descriptor.digest != result.blob_digest) {
    mismatches.push_back({"BLK-LAYER-DIGEST-MISMATCH", "blob digest", descriptor.digest.ToString(),
                          result.blob_digest.ToString()});
  }
  if (diff_id.has_value() && *diff_id != result.diff_id) {
    mismatches.push_back(
        {"BLK-LAYER-DIFFID-MISMATCH", "diff_id", diff_id->ToString(), result.diff_id.ToString()});
  }
  for (const Check& check : mismatches) {
    std::string message =
        absl::StrCat(descriptor.digest.ToString(), ": ", check.what, " mismatch: expected ",
                     check.expected, ", got ", check.actual);
    if (mode == VerifyMode::kEnforce) return absl::DataLossError(message);
    core::v1::Finding finding =
        MakeFinding(check.rule_id, absl::StrCat("Layer ", check.what, " does not match"),
                    "integrity", layer, "", message);
    (*finding.mutable_properties())["expected"] = check.expected;
    (*finding.mutable_properties())["actual"] = check.actual;
    result.findings.push_back(std::move(finding));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<LayerWalkResult> WalkLayer(BlobReader& blob, const LayerInfo& layer,
                                          absl::Span<LayerVisitor* const> visitors,
                                          const WalkOptions& options) {
  const std::string where = layer.descriptor.digest.ToString();
  BULWARK_ASSIGN_OR_RETURN(Compression compression,
                           CompressionOf(layer.descriptor.media_type, where));
  BULWARK_RETURN_IF_ERROR(CheckContentDigest(layer.descriptor.digest, "blob digest", where));
  std::optional<core::Digest> diff_id;
  if (!layer.diff_id.empty()) {
    absl::StatusOr<core::Digest> parsed = core::Digest::Parse(layer.diff_id);
    if (!parsed.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(where, ": diff_id: ", parsed.status().message()));
    }
    BULWARK_RETURN_IF_ERROR(CheckContentDigest(*parsed, "diff_id", where));
    diff_id = *std::move(parsed);
  }

  for (LayerVisitor* visitor : visitors) BULWARK_RETURN_IF_ERROR(visitor->OnLayerStart(layer));
  BULWARK_ASSIGN_OR_RETURN(
      std::unique_ptr<TarStream> stream,
      TarStream::Open(
          blob, {.compression = compression,
                 .blob_algorithm = layer.descriptor.digest.algorithm(),
                 .diff_id_algorithm =
                     diff_id.has_value() ? diff_id->algorithm() : core::DigestAlgorithm::kSha256,
                 .max_total_bytes = options.limits.max_total_bytes,
                 .background = options.background_decompression,
                 .where = where}));
  LayerWalkResult result;
  BULWARK_RETURN_IF_ERROR(LayerWalk(*stream, layer, visitors, options, result).Run());
  BULWARK_RETURN_IF_ERROR(stream->Finish());
  result.blob_digest = stream->blob_digest();
  result.diff_id = stream->diff_id();
  result.blob_bytes = stream->blob_bytes();
  result.uncompressed_bytes = stream->uncompressed_bytes();
  BULWARK_RETURN_IF_ERROR(Verify(layer, diff_id, options.verify, result));
  for (LayerVisitor* visitor : visitors) BULWARK_RETURN_IF_ERROR(visitor->OnLayerEnd(layer));
  return result;
}

}  // namespace bulwark::image
