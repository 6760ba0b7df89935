#include "bulwark/image/sbom/catalog.h"

#include <algorithm>
#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/container/flat_hash_map.h"
#include "absl/container/flat_hash_set.h"
#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/version.h"
#include "bulwark/image/sbom/catalogers.h"
#include "bulwark/image/sbom/internal/path_history.h"
#include "bulwark/image/sbom/internal/text.h"
#include "bulwark/image/sbom/os_release.h"
#include "bulwark/image/sbom/purl.h"

namespace bulwark::sbom {
namespace {

// What the catalogers made of one version of one file (usually one cataloger wants a path).
struct FileVersion {
  std::vector<std::pair<size_t, ParsedFile>> parsed;  // (cataloger index, result)
};

// Identity of a package for layer attribution: the same package in two versions of a database.
std::string PackageKey(size_t cataloger, const v1::Package& package) {
  return absl::StrCat(cataloger, "\x1f", package.type(), "\x1f", package.name(), "\x1f",
                      package.version(), "\x1f", package.arch());
}

// The keys of the packages of one file version.
absl::flat_hash_set<std::string> KeysOf(const std::optional<FileVersion>& version) {
  absl::flat_hash_set<std::string> keys;
  if (!version.has_value()) return keys;
  for (const auto& [cataloger, parsed] : version->parsed) {
    for (const v1::Package& package : parsed.packages) keys.insert(PackageKey(cataloger, package));
  }
  return keys;
}

bool PackageLess(const v1::Package& a, const v1::Package& b) {
  auto location = [](const v1::Package& p) {
    return p.locations().empty() ? std::string() : p.locations(0).path();
  };
  return std::forward_as_tuple(a.type(), a.name(), a.version(), a.arch()) <
             std::forward_as_tuple(b.type(), b.name(), b.version(), b.arch()) ||
         (std::forward_as_tuple(a.type(), a.name(), a.version(), a.arch()) ==
              std::forward_as_tuple(b.type(), b.name(), b.version(), b.arch()) &&
          location(a) < location(b));
}

}  // namespace

class SbomBuilder::Impl {
 public:
  explicit Impl(const CatalogOptions& options) : include_files_(options.include_files) {
    if (options.catalogers.empty()) {
      owned_ = DefaultCatalogers();
      for (const auto& cataloger : owned_) catalogers_.push_back(cataloger.get());
    } else {
      catalogers_ = options.catalogers;
    }
  }

  bool WantsContent(const image::LayerEntry& entry) const {
    if (IsOsReleaseFile(entry.path)) return true;
    for (const Cataloger* cataloger : catalogers_) {
      if (cataloger->Wants(entry.path)) return true;
    }
    return false;
  }

  absl::Status OnEntry(const image::LayerInfo& layer, const image::LayerEntry& entry,
                       image::ContentReader* content) {
    files_.Note(entry);
    os_files_.Note(entry);
    if (content == nullptr) return absl::OkStatus();
    const std::string where = absl::StrCat("/", entry.path, " (layer ", layer.index, ")");
    std::optional<std::string> text;
    auto read = [&]() -> absl::Status {
      if (text.has_value()) return absl::OkStatus();
      BULWARK_ASSIGN_OR_RETURN(text, content->ReadAll());
      if (content->truncated())
        Warn(absl::StrCat(where, ": larger than the walk's file cap; read in part"));
      return absl::OkStatus();
    };
    if (IsOsReleaseFile(entry.path)) {
      BULWARK_RETURN_IF_ERROR(read());
      os_files_.Record(layer.index, entry.path, *text);
    }
    FileVersion version;
    bool wanted = false;
    for (size_t i = 0; i < catalogers_.size(); ++i) {
      const Cataloger& cataloger = *catalogers_[i];
      if (!cataloger.Wants(entry.path)) continue;
      wanted = true;
      if (static_cast<uint64_t>(entry.size) > cataloger.max_file_bytes()) {
        Warn(absl::StrCat(where, ": ", entry.size, " bytes, over the ", cataloger.name(),
                          " cataloger's cap of ", cataloger.max_file_bytes(), "; skipped"));
        continue;
      }
      BULWARK_RETURN_IF_ERROR(read());
      absl::StatusOr<ParsedFile> parsed = cataloger.Parse(entry.path, *text);
      if (!parsed.ok()) {
        Warn(absl::StrCat(where, ": ", parsed.status().message(), "; skipped"));
        continue;
      }
      for (const std::string& warning : parsed->warnings) Warn(absl::StrCat(where, ": ", warning));
      parsed->warnings.clear();
      if (!include_files_) {
        for (v1::Package& package : parsed->packages) package.clear_files();
        for (PackageFacts& facts : parsed->facts) facts.files.clear();
      }
      version.parsed.emplace_back(i, *std::move(parsed));
    }
    if (wanted) files_.Record(layer.index, entry.path, std::move(version));
    return absl::OkStatus();
  }

  absl::Status OnLayerEnd(const image::LayerInfo& layer) {
    files_.EndLayer(layer.index);
    os_files_.EndLayer(layer.index);
    return absl::OkStatus();
  }

  v1::Sbom Finish(const std::vector<image::LayerInfo>& layers) {
    v1::Sbom sbom;
    sbom.set_tool(absl::StrCat("bulwark ", core::kVersion));
    for (const image::LayerInfo& layer : layers) {
      v1::Layer* out = sbom.add_layers();
      out->set_index(layer.index);
      out->set_digest(layer.descriptor.digest.ToString());
      out->set_diff_id(layer.diff_id);
    }
    auto digest = [&](size_t index) {
      return index < layers.size() ? layers[index].descriptor.digest.ToString() : std::string();
    };

    absl::btree_map<std::string, std::string> os_texts;
    for (const auto& [path, versions] : os_files_.paths()) {
      if (versions.back().value.has_value()) os_texts[path] = *versions.back().value;
    }
    *sbom.mutable_os() = DetectOperatingSystem(os_texts);

    std::vector<v1::Package> packages;
    absl::flat_hash_set<std::string> final_keys;
    // Removed packages by key: the package (with layers set) as of its last appearance.
    absl::flat_hash_map<std::string, v1::Package> removed;
    // Facts of the final image, by cataloger and package name.
    absl::flat_hash_map<std::pair<size_t, std::string>, std::vector<const PackageFacts*>> facts;

    for (const auto& [path, versions] : files_.paths()) {
      std::vector<absl::flat_hash_set<std::string>> keys;
      keys.reserve(versions.size());
      for (const auto& version : versions) keys.push_back(KeysOf(version.value));
      // Earliest layer of the run of versions, ending at `last`, that all list `key`.
      auto introduced = [&](size_t last, const std::string& key) {
        size_t first = last;
        while (first > 0 && keys[first - 1].contains(key)) --first;
        return versions[first].layer;
      };
      const size_t top = versions.size() - 1;
      const std::string absolute = absl::StrCat("/", path);
      if (versions[top].value.has_value()) {
        for (const auto& [cataloger, parsed] : versions[top].value->parsed) {
          for (const v1::Package& found : parsed.packages) {
            v1::Package& package = packages.emplace_back(found);
            const std::string key = PackageKey(cataloger, package);
            final_keys.insert(key);
            package.set_cataloger(std::string(catalogers_[cataloger]->name()));
            v1::Location* location = package.add_locations();
            location->set_path(absolute);
            location->set_layer(versions[top].layer);
            location->set_layer_digest(digest(versions[top].layer));
            package.set_layer(introduced(top, key));
            package.set_layer_digest(digest(package.layer()));
          }
          for (const PackageFacts& fact : parsed.facts) {
            facts[{cataloger, fact.package_name}].push_back(&fact);
          }
        }
      }
      // Packages listed by a lower version and not by the next one were removed there.
      for (size_t i = 0; i + 1 < versions.size(); ++i) {
        if (!versions[i].value.has_value()) continue;
        for (const auto& [cataloger, parsed] : versions[i].value->parsed) {
          for (const v1::Package& found : parsed.packages) {
            const std::string key = PackageKey(cataloger, found);
            if (keys[i + 1].contains(key)) continue;
            v1::Package package = found;
            package.set_cataloger(std::string(catalogers_[cataloger]->name()));
            v1::Location* location = package.add_locations();
            location->set_path(absolute);
            location->set_layer(versions[i].layer);
            location->set_layer_digest(digest(versions[i].layer));
            package.set_layer(introduced(i, key));
            package.set_layer_digest(digest(package.layer()));
            package.set_removed_layer(versions[i + 1].layer);
            package.set_removed_layer_digest(digest(versions[i + 1].layer));
            removed[key] = std::move(package);
          }
        }
      }
    }

    for (size_t i = 0; i < packages.size(); ++i) {
      v1::Package& package = packages[i];
      const size_t cataloger = CatalogerIndex(package.cataloger());
      ApplyFacts(facts, cataloger, package);
      if (package.purl().empty()) package.set_purl(PackageUrl(package, sbom.os()));
    }
    std::sort(packages.begin(), packages.end(), PackageLess);
    for (v1::Package& package : packages) *sbom.add_packages() = std::move(package);

    std::vector<v1::Package> gone;
    for (auto& [key, package] : removed) {
      if (final_keys.contains(key)) continue;  // Moved to another file, not removed.
      if (package.purl().empty()) package.set_purl(PackageUrl(package, sbom.os()));
      gone.push_back(std::move(package));
    }
    std::sort(gone.begin(), gone.end(), PackageLess);
    for (v1::Package& package : gone) *sbom.add_removed_packages() = std::move(package);

    for (std::string& warning : warnings_) sbom.add_warnings(internal::SanitizeUtf8(warning));
    return sbom;
  }

 private:
  void Warn(std::string warning) {
    // A hostile image could produce a warning per file; keep the first ones.
    constexpr size_t kMaxWarnings = 1000;
    if (warnings_.size() < kMaxWarnings) warnings_.push_back(std::move(warning));
  }

  size_t CatalogerIndex(absl::string_view name) const {
    for (size_t i = 0; i < catalogers_.size(); ++i) {
      if (catalogers_[i]->name() == name) return i;
    }
    return catalogers_.size();
  }

  void ApplyFacts(const absl::flat_hash_map<std::pair<size_t, std::string>,
                                            std::vector<const PackageFacts*>>& facts,
                  size_t cataloger, v1::Package& package) const {
    auto it = facts.find(std::make_pair(cataloger, package.name()));
    if (it == facts.end()) return;
    const bool had_licenses = package.licenses_size() > 0;
    for (const PackageFacts* fact : it->second) {
      if (!fact->arch.empty() && fact->arch != package.arch()) continue;
      for (const std::string& file : fact->files) package.add_files(file);
      if (!had_licenses) {
        for (const std::string& license : fact->licenses) package.add_licenses(license);
      }
    }
  }

  const bool include_files_;
  std::vector<std::unique_ptr<const Cataloger>> owned_;
  std::vector<const Cataloger*> catalogers_;
  internal::PathHistory<FileVersion> files_;
  internal::PathHistory<std::string> os_files_;
  std::vector<std::string> warnings_;
};

SbomBuilder::SbomBuilder(const CatalogOptions& options) : impl_(std::make_unique<Impl>(options)) {}
SbomBuilder::~SbomBuilder() = default;

bool SbomBuilder::WantsContent(const image::LayerEntry& entry) const {
  return impl_->WantsContent(entry);
}

absl::Status SbomBuilder::OnEntry(const image::LayerInfo& layer, const image::LayerEntry& entry,
                                  image::ContentReader* content) {
  return impl_->OnEntry(layer, entry, content);
}

absl::Status SbomBuilder::OnLayerEnd(const image::LayerInfo& layer) {
  return impl_->OnLayerEnd(layer);
}

v1::Sbom SbomBuilder::Finish(const std::vector<image::LayerInfo>& layers) && {
  return impl_->Finish(layers);
}

v1::Sbom SbomBuilder::Finish(const image::Image& image) && {
  v1::Sbom sbom = impl_->Finish(image.layers());
  sbom.set_image(internal::SanitizeUtf8(image.Name()));
  if (image.manifest_digest().has_value()) {
    sbom.set_manifest_digest(image.manifest_digest()->ToString());
  }
  return sbom;
}

absl::StatusOr<v1::Sbom> Catalog(const image::Image& image, const CatalogOptions& options) {
  SbomBuilder builder(options);
  image::LayerVisitor* visitors[] = {&builder};
  BULWARK_RETURN_IF_ERROR(image.Walk(visitors, options.walk).status());
  return std::move(builder).Finish(image);
}

}  // namespace bulwark::sbom
