#include "bulwark/image/sbom/cargo/cargo_auditable.h"

#include <algorithm>
#include <utility>

#include "absl/status/status.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/image/sbom/binfmt/elf.h"
#include "zlib.h"

namespace bulwark::sbom {
namespace {

constexpr absl::string_view kSection = ".dep-v0";

// Inflates a zlib stream, stopping with ResourceExhausted past `cap` output bytes.
absl::StatusOr<std::string> Inflate(absl::string_view compressed, uint64_t cap,
                                    absl::string_view source) {
  z_stream stream{};
  if (inflateInit(&stream) != Z_OK) {
    return absl::InternalError(absl::StrCat(source, ": zlib initialisation failed"));
  }
  std::string out;
  char buffer[65536];
  stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
  stream.avail_in = static_cast<uInt>(std::min<size_t>(compressed.size(), UINT32_MAX));
  int rc = Z_OK;
  while (rc != Z_STREAM_END) {
    stream.next_out = reinterpret_cast<Bytef*>(buffer);
    stream.avail_out = sizeof(buffer);
    rc = inflate(&stream, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&stream);
      return absl::InvalidArgumentError(absl::StrCat(source, ": ", kSection,
                                                     " is not valid zlib data (",
                                                     stream.msg ? stream.msg : "truncated", ")"));
    }
    const size_t produced = sizeof(buffer) - stream.avail_out;
    if (out.size() + produced > cap) {
      inflateEnd(&stream);
      return absl::ResourceExhaustedError(
          absl::StrCat(source, ": ", kSection, " inflates to more than ", cap, " bytes"));
    }
    out.append(buffer, produced);
    if (rc == Z_OK && produced == 0 && stream.avail_in == 0) {
      inflateEnd(&stream);
      return absl::InvalidArgumentError(
          absl::StrCat(source, ": ", kSection, " ends before its zlib stream does"));
    }
  }
  inflateEnd(&stream);
  return out;
}

absl::Status FieldError(absl::string_view source, const std::string& path, const core::Value& at,
                        absl::string_view what) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", at.position().ToString(), ": ", path, ": ", what));
}

}  // namespace

absl::StatusOr<CargoAuditInfo> ParseCargoAuditJson(absl::string_view json, absl::string_view source,
                                                   const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(core::Value document, core::ParseJson(json, limits, source));
  const core::Value* packages = document.Find("packages");
  if (packages == nullptr || !packages->is_list()) {
    return FieldError(source, "packages", document, "required list is missing");
  }
  CargoAuditInfo info;
  const core::ValueList& list = packages->list_value();
  info.packages.reserve(list.size());
  for (size_t i = 0; i < list.size(); ++i) {
    const core::Value& entry = list[i];
    const std::string path = absl::StrCat("packages[", i, "]");
    if (!entry.is_map()) return FieldError(source, path, entry, "not an object");
    CargoPackage package;
    struct Text {
      const char* key;
      std::string* out;
      bool required;
    };
    for (const Text& text :
         {Text{"name", &package.name, true}, Text{"version", &package.version, true},
          Text{"source", &package.source, false}}) {
      const core::Value* value = entry.Find(text.key);
      if (value == nullptr) {
        if (text.required) return FieldError(source, path + "." + text.key, entry, "required");
        continue;
      }
      if (!value->is_string())
        return FieldError(source, path + "." + text.key, *value, "not a string");
      *text.out = value->string_value();
    }
    if (const core::Value* kind = entry.Find("kind")) {
      if (!kind->is_string()) return FieldError(source, path + ".kind", *kind, "not a string");
      package.build_only = kind->string_value() == "build";
    }
    if (const core::Value* root = entry.Find("root")) {
      if (!root->is_bool()) return FieldError(source, path + ".root", *root, "not a boolean");
      package.root = root->bool_value();
    }
    if (const core::Value* dependencies = entry.Find("dependencies")) {
      if (!dependencies->is_list()) {
        return FieldError(source, path + ".dependencies", *dependencies, "not a list");
      }
      for (size_t k = 0; k < dependencies->list_value().size(); ++k) {
        const core::Value& index = dependencies->list_value()[k];
        const std::string index_path = absl::StrCat(path, ".dependencies[", k, "]");
        uint64_t value = 0;
        if (index.is_int() && index.int_value() >= 0) {
          value = static_cast<uint64_t>(index.int_value());
        } else if (index.is_uint()) {
          value = index.uint_value();
        } else {
          return FieldError(source, index_path, index, "not a package index");
        }
        if (value >= list.size()) {
          return FieldError(source, index_path, index,
                            absl::StrCat("index ", value, " is not below ", list.size()));
        }
        package.dependencies.push_back(static_cast<size_t>(value));
      }
    }
    info.packages.push_back(std::move(package));
  }
  return info;
}

absl::StatusOr<CargoAuditInfo> ReadCargoAuditable(absl::string_view elf_bytes,
                                                  absl::string_view source,
                                                  const core::Limits& limits) {
  if (!binfmt::ElfFile::HasMagic(elf_bytes)) {
    return absl::NotFoundError(absl::StrCat(source, ": not an ELF file"));
  }
  BULWARK_ASSIGN_OR_RETURN(binfmt::ElfFile elf, binfmt::ElfFile::Parse(elf_bytes, source));
  const binfmt::ElfSection* section = elf.FindSection(kSection);
  if (section == nullptr) {
    return absl::NotFoundError(absl::StrCat(source, ": no ", kSection, " section"));
  }
  BULWARK_ASSIGN_OR_RETURN(absl::string_view compressed, elf.SectionData(*section));
  const uint64_t cap = std::min<uint64_t>(kMaxCargoAuditJsonBytes, limits.max_file_bytes);
  BULWARK_ASSIGN_OR_RETURN(std::string json, Inflate(compressed, cap, source));
  return ParseCargoAuditJson(json, absl::StrCat(source, "#", kSection), limits);
}

}  // namespace bulwark::sbom
