#include "bulwark/image/sbom/rpm/rpm_package.h"

#include <utility>

#include "absl/status/status.h"
#include "absl/strings/escaping.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/strip.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/rpm/rpm_header.h"

namespace bulwark::sbom {
namespace {

// Collects warnings with the blob's name in front; `sink` may be null.
class Warnings {
 public:
  Warnings(absl::string_view source, std::vector<std::string>* sink)
      : source_(source), sink_(sink) {}
  void Add(absl::string_view message) {
    // Messages may quote header bytes; keep them printable as UTF-8.
    if (sink_ != nullptr)
      sink_->push_back(core::SanitizeUtf8(absl::StrCat(source_, ": ", message)));
  }

 private:
  absl::string_view source_;
  std::vector<std::string>* sink_;
};

// Text as valid UTF-8, warning when bytes had to be replaced.
std::string Text(absl::string_view raw, absl::string_view what, Warnings& warnings) {
  std::string text = core::SanitizeUtf8(raw);
  if (text.size() != raw.size() || text != raw) {
    warnings.Add(absl::StrCat(what, " is not valid UTF-8; invalid bytes replaced by U+FFFD"));
  }
  return text;
}

// Reads a single-value string tag into `out` (left empty when the tag is absent).
absl::Status ReadField(const RpmHeader& header, int32_t tag, absl::string_view what,
                       const RpmPackageOptions& options, Warnings& warnings, std::string* out,
                       absl::string_view source) {
  if (header.Find(tag) == nullptr) return absl::OkStatus();
  absl::StatusOr<absl::string_view> value = header.GetString(tag);
  if (!value.ok()) return value.status();
  if (value->size() > options.max_field_bytes) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": rpm ", what, " is ", value->size(),
                                                   " bytes, above the ", options.max_field_bytes,
                                                   "-byte field cap"));
  }
  *out = Text(*value, what, warnings);
  return absl::OkStatus();
}

// The first value of an integer tag, or nullopt when absent or empty.
absl::StatusOr<std::optional<uint64_t>> ReadInteger(const RpmHeader& header, int32_t tag) {
  if (header.Find(tag) == nullptr) return std::optional<uint64_t>();
  BULWARK_ASSIGN_OR_RETURN(std::vector<uint64_t> values, header.GetIntegers(tag));
  return std::optional<uint64_t>(values.front());
}

// An optional per-file array: empty (with a warning) when its length differs from `count`.
template <typename T>
std::vector<T> PerFile(absl::StatusOr<std::vector<T>> values, size_t count, absl::string_view what,
                       bool present, Warnings& warnings) {
  if (!present) return {};
  if (!values.ok()) {
    warnings.Add(absl::StrCat(what, " ignored: ", values.status().message()));
    return {};
  }
  if (values->size() != count) {
    warnings.Add(
        absl::StrCat(what, " has ", values->size(), " entries for ", count, " files; ignored"));
    return {};
  }
  return *std::move(values);
}

// The installed file paths: BASENAMES joined with DIRNAMES[DIRINDEXES], or the pre-4.0
// OLDFILENAMES list.
std::vector<std::string> FilePaths(const RpmHeader& header, Warnings& warnings) {
  std::vector<std::string> paths;
  if (header.Find(rpm_tag::kBaseNames) == nullptr) {
    if (header.Find(rpm_tag::kOldFilenames) == nullptr) return paths;
    absl::StatusOr<std::vector<absl::string_view>> old = header.GetStrings(rpm_tag::kOldFilenames);
    if (!old.ok()) {
      warnings.Add(absl::StrCat("file list ignored: ", old.status().message()));
      return paths;
    }
    for (absl::string_view path : *old) paths.emplace_back(path);
    return paths;
  }
  absl::StatusOr<std::vector<absl::string_view>> base = header.GetStrings(rpm_tag::kBaseNames);
  absl::StatusOr<std::vector<absl::string_view>> dirs = header.GetStrings(rpm_tag::kDirNames);
  absl::StatusOr<std::vector<uint64_t>> indexes = header.GetIntegers(rpm_tag::kDirIndexes);
  for (const absl::Status& status : {base.status(), dirs.status(), indexes.status()}) {
    if (!status.ok()) {
      warnings.Add(absl::StrCat("file list ignored: ", status.message()));
      return paths;
    }
  }
  if (indexes->size() != base->size()) {
    warnings.Add(absl::StrCat("file list ignored: ", base->size(), " base names but ",
                              indexes->size(), " directory indexes"));
    return paths;
  }
  paths.reserve(base->size());
  for (size_t i = 0; i < base->size(); ++i) {
    if ((*indexes)[i] >= dirs->size()) {
      warnings.Add(absl::StrCat("file ", i, " (", (*base)[i], ") has directory index ",
                                (*indexes)[i], " of ", dirs->size(), "; path left empty"));
      paths.emplace_back();
      continue;
    }
    paths.push_back(absl::StrCat((*dirs)[(*indexes)[i]], (*base)[i]));
  }
  return paths;
}

void ReadFiles(const RpmHeader& header, const RpmPackageOptions& options, Warnings& warnings,
               std::vector<RpmFile>* files) {
  std::vector<std::string> paths = FilePaths(header, warnings);
  const size_t count = paths.size();
  auto present = [&](int32_t tag) { return header.Find(tag) != nullptr; };
  const bool long_sizes = present(rpm_tag::kLongFileSizes);
  const int32_t size_tag = long_sizes ? rpm_tag::kLongFileSizes : rpm_tag::kFileSizes;
  std::vector<uint64_t> sizes =
      PerFile(header.GetIntegers(size_tag), count, "file sizes", present(size_tag), warnings);
  std::vector<uint64_t> modes = PerFile(header.GetIntegers(rpm_tag::kFileModes), count,
                                        "file modes", present(rpm_tag::kFileModes), warnings);
  std::vector<uint64_t> flags = PerFile(header.GetIntegers(rpm_tag::kFileFlags), count,
                                        "file flags", present(rpm_tag::kFileFlags), warnings);
  std::vector<absl::string_view> digests =
      PerFile(header.GetStrings(rpm_tag::kFileDigests), count, "file digests",
              present(rpm_tag::kFileDigests), warnings);
  std::vector<absl::string_view> users =
      PerFile(header.GetStrings(rpm_tag::kFileUserName), count, "file users",
              present(rpm_tag::kFileUserName), warnings);
  std::vector<absl::string_view> groups =
      PerFile(header.GetStrings(rpm_tag::kFileGroupName), count, "file groups",
              present(rpm_tag::kFileGroupName), warnings);
  files->reserve(count);
  for (size_t i = 0; i < count; ++i) {
    if (paths[i].empty()) continue;
    RpmFile file;
    // Checked after repair: each invalid byte becomes the 3-byte U+FFFD.
    file.path = paths[i].size() > options.max_path_length ? std::string(paths[i])
                                                          : Text(paths[i], "file path", warnings);
    if (file.path.size() > options.max_path_length) {
      warnings.Add(absl::StrCat("file ", i, " skipped: path of ", file.path.size(),
                                " bytes is above max_path_length ", options.max_path_length));
      continue;
    }
    if (!sizes.empty()) file.size = sizes[i];
    if (!modes.empty()) file.mode = static_cast<uint32_t>(modes[i]);
    if (!flags.empty()) file.flags = static_cast<uint32_t>(flags[i]);
    if (!digests.empty()) file.digest = Text(digests[i], "file digest", warnings);
    if (!users.empty()) file.user = Text(users[i], "file user", warnings);
    if (!groups.empty()) file.group = Text(groups[i], "file group", warnings);
    files->push_back(std::move(file));
  }
}

// A string-array tag as UTF-8 strings; absent or malformed (with a warning) gives none.
std::vector<std::string> ReadNames(const RpmHeader& header, int32_t tag, absl::string_view what,
                                   Warnings& warnings) {
  std::vector<std::string> names;
  if (header.Find(tag) == nullptr) return names;
  absl::StatusOr<std::vector<absl::string_view>> values = header.GetStrings(tag);
  if (!values.ok()) {
    warnings.Add(absl::StrCat(what, " ignored: ", values.status().message()));
    return names;
  }
  names.reserve(values->size());
  for (absl::string_view value : *values) names.push_back(Text(value, what, warnings));
  return names;
}

}  // namespace

absl::StatusOr<RpmPackage> ParseRpmPackage(absl::string_view blob, absl::string_view source,
                                           const RpmPackageOptions& options,
                                           std::vector<std::string>* warnings_sink) {
  BULWARK_ASSIGN_OR_RETURN(RpmHeader header, RpmHeader::Parse(blob, source));
  Warnings warnings(source, warnings_sink);
  RpmPackage package;
  struct Field {
    int32_t tag;
    absl::string_view what;
    std::string* out;
  };
  const Field fields[] = {
      {rpm_tag::kName, "NAME", &package.name},
      {rpm_tag::kVersion, "VERSION", &package.version},
      {rpm_tag::kRelease, "RELEASE", &package.release},
      {rpm_tag::kArch, "ARCH", &package.arch},
      {rpm_tag::kSourceRpm, "SOURCERPM", &package.source_rpm},
      {rpm_tag::kLicense, "LICENSE", &package.license},
      {rpm_tag::kVendor, "VENDOR", &package.vendor},
      {rpm_tag::kModularityLabel, "MODULARITYLABEL", &package.modularity_label},
      {rpm_tag::kSummary, "SUMMARY", &package.summary},
  };
  for (const Field& field : fields) {
    BULWARK_RETURN_IF_ERROR(
        ReadField(header, field.tag, field.what, options, warnings, field.out, source));
  }
  if (package.name.empty()) {
    return absl::InvalidArgumentError(absl::StrCat(source, ": rpm header has no NAME"));
  }
  BULWARK_ASSIGN_OR_RETURN(std::optional<uint64_t> epoch, ReadInteger(header, rpm_tag::kEpoch));
  if (epoch.has_value()) package.epoch = static_cast<uint32_t>(*epoch);
  BULWARK_ASSIGN_OR_RETURN(std::optional<uint64_t> long_size,
                           ReadInteger(header, rpm_tag::kLongSize));
  BULWARK_ASSIGN_OR_RETURN(std::optional<uint64_t> size, ReadInteger(header, rpm_tag::kSize));
  package.size = long_size.value_or(size.value_or(0));
  BULWARK_ASSIGN_OR_RETURN(std::optional<uint64_t> install_time,
                           ReadInteger(header, rpm_tag::kInstallTime));
  package.install_time = static_cast<int64_t>(install_time.value_or(0));
  BULWARK_ASSIGN_OR_RETURN(std::optional<uint64_t> digest_algorithm,
                           ReadInteger(header, rpm_tag::kFileDigestAlgo));
  package.file_digest_algorithm = static_cast<uint32_t>(digest_algorithm.value_or(0));
  if (header.Find(rpm_tag::kSigMd5) != nullptr) {
    absl::StatusOr<absl::string_view> md5 = header.GetBinary(rpm_tag::kSigMd5);
    if (md5.ok()) {
      package.sig_md5 = absl::BytesToHexString(*md5);
    } else {
      warnings.Add(absl::StrCat("SIGMD5 ignored: ", md5.status().message()));
    }
  }
  package.provides = ReadNames(header, rpm_tag::kProvideName, "PROVIDENAME", warnings);
  package.requirements = ReadNames(header, rpm_tag::kRequireName, "REQUIRENAME", warnings);
  if (options.include_files) ReadFiles(header, options, warnings, &package.files);
  return package;
}

std::string RpmEvr(const RpmPackage& package) {
  std::string evr;
  if (package.epoch.has_value()) absl::StrAppend(&evr, *package.epoch, ":");
  absl::StrAppend(&evr, package.version, "-", package.release);
  return evr;
}

std::optional<RpmSourcePackage> ParseSourceRpm(absl::string_view source_rpm) {
  absl::string_view rest = source_rpm;
  if (!absl::ConsumeSuffix(&rest, ".src.rpm") && !absl::ConsumeSuffix(&rest, ".nosrc.rpm")) {
    return std::nullopt;
  }
  size_t release_dash = rest.rfind('-');
  if (release_dash == absl::string_view::npos || release_dash == 0) return std::nullopt;
  size_t version_dash = rest.rfind('-', release_dash - 1);
  if (version_dash == absl::string_view::npos || version_dash == 0) return std::nullopt;
  RpmSourcePackage source;
  source.name = std::string(rest.substr(0, version_dash));
  source.version = std::string(rest.substr(version_dash + 1, release_dash - version_dash - 1));
  source.release = std::string(rest.substr(release_dash + 1));
  if (source.version.empty() || source.release.empty()) return std::nullopt;
  return source;
}

}  // namespace bulwark::sbom
