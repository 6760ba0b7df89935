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
#include "absl/strings/strip.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/utf8.h"
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

// The content of the current entry, read only as far as some cataloger needs it: a few bytes
// to sniff a magic number, or everything.
class LazyContent {
 public:
  LazyContent(image::ContentReader& reader, int64_t size) : reader_(reader), size_(size) {}

  // The first `n` bytes, or the whole file when it is shorter.
  absl::StatusOr<absl::string_view> Prefix(size_t n) {
    while (!complete_ && bytes_.size() < n) {
      BULWARK_RETURN_IF_ERROR(ReadChunk(n - bytes_.size()));
    }
    return absl::string_view(bytes_).substr(0, n);
  }

  // The whole file, up to the walk's per-file cap.
  absl::StatusOr<absl::string_view> All() {
    if (!complete_ && size_ > 0) {
      // Large executables are read in one buffer; reserving avoids copies while it grows.
      constexpr int64_t kMaxReserve = int64_t{64} << 20;
      bytes_.reserve(static_cast<size_t>(std::min(size_, kMaxReserve)));
    }
    while (!complete_) BULWARK_RETURN_IF_ERROR(ReadChunk(size_t{256} << 10));
    return absl::string_view(bytes_);
  }

  bool truncated() const { return reader_.truncated(); }
  bool warned() const { return warned_; }
  void set_warned() { warned_ = true; }

 private:
  absl::Status ReadChunk(size_t most) {
    const size_t old = bytes_.size();
    bytes_.resize(old + most);
    absl::StatusOr<size_t> got = reader_.Read(bytes_.data() + old, most);
    bytes_.resize(old + (got.ok() ? *got : 0));
    if (!got.ok()) return got.status();
    if (*got == 0) complete_ = true;
    return absl::OkStatus();
  }

  image::ContentReader& reader_;
  const int64_t size_;
  std::string bytes_;
  bool complete_ = false;
  bool warned_ = false;
};

bool Sniffs(const Cataloger& cataloger, const image::LayerEntry& entry) {
  return entry.size >= 0 &&
         cataloger.WantsToSniff(entry.path, entry.mode, static_cast<uint64_t>(entry.size));
}

// Conditions must pair with requirements; otherwise none is taken as given.
void DropMismatchedConditions(PackageRelations& relations) {
  if (relations.conditions.size() != relations.requirements.size()) relations.conditions.clear();
}

// Appends the requirements of `from` (and their conditions) to `to`.
void AppendRequirements(const PackageRelations& from, PackageRelations& to) {
  if (from.requirements.empty()) return;
  // Unconditional requirements already there get "" conditions, so the two lists stay paired.
  if (!from.conditions.empty() || !to.conditions.empty()) {
    to.conditions.resize(to.requirements.size());
    if (from.conditions.empty()) {
      to.conditions.insert(to.conditions.end(), from.requirements.size(), "");
    } else {
      to.conditions.insert(to.conditions.end(), from.conditions.begin(), from.conditions.end());
    }
  }
  to.requirements.insert(to.requirements.end(), from.requirements.begin(), from.requirements.end());
}

// A package of the final image with what links it to others.
struct FinalPackage {
  v1::Package package;
  size_t cataloger = 0;
  size_t file = 0;             // Index of its declaring file.
  PackageRelations relations;  // Its file's, plus requirements from facts.
};

// Fills Package.depends_on of `packages` (in their final order) from their relations: each
// requirement links to the first package of the cataloger's scope named by an alternative.
void LinkDependencies(const std::vector<const Cataloger*>& catalogers,
                      const ImageEnvironment& environment, std::vector<FinalPackage>& packages) {
  std::vector<std::unique_ptr<const RequirementFilter>> filters;
  for (const Cataloger* cataloger : catalogers) {
    filters.push_back(cataloger->NewRequirementFilter(environment));
  }
  auto scope = [&](const FinalPackage& p) {
    return catalogers[p.cataloger]->dependency_scope() == DependencyScope::kImage
               ? absl::StrCat("c", p.cataloger)
               : absl::StrCat("f", p.file);
  };
  // A package's own name wins over another's provides (as in dpkg and rpm), then first wins.
  absl::flat_hash_map<std::string, uint32_t> by_name;
  for (size_t i = 0; i < packages.size(); ++i) {
    by_name.try_emplace(absl::StrCat(scope(packages[i]), "\x1f", packages[i].package.name()), i);
  }
  for (size_t i = 0; i < packages.size(); ++i) {
    const std::string prefix = absl::StrCat(scope(packages[i]), "\x1f");
    for (const std::string& name : packages[i].relations.provides) {
      by_name.try_emplace(absl::StrCat(prefix, name), i);
    }
  }
  for (size_t i = 0; i < packages.size(); ++i) {
    const PackageRelations& relations = packages[i].relations;
    if (relations.requirements.empty()) continue;
    const std::string prefix = absl::StrCat(scope(packages[i]), "\x1f");
    const RequirementFilter* filter = filters[packages[i].cataloger].get();
    const bool conditional = filter != nullptr && !relations.conditions.empty();
    absl::flat_hash_set<uint32_t> linked;
    for (size_t k = 0; k < relations.requirements.size(); ++k) {
      if (conditional && !relations.conditions[k].empty() &&
          !filter->Applies(packages[i].package.locations(0).path(), relations.conditions[k])) {
        continue;
      }
      for (const std::string& name : relations.requirements[k]) {
        auto it = by_name.find(absl::StrCat(prefix, name));
        if (it == by_name.end()) continue;
        if (it->second != i && linked.insert(it->second).second) {
          packages[i].package.add_depends_on(it->second);
        }
        break;
      }
    }
  }
}

}  // namespace

class SbomBuilder::Impl {
 public:
  explicit Impl(const CatalogOptions& options) : include_files_(options.include_files) {
    if (options.catalogers.empty()) {
      owned_ = DefaultCatalogers(options.walk.limits);
      for (const auto& cataloger : owned_) catalogers_.push_back(cataloger.get());
    } else {
      catalogers_ = options.catalogers;
    }
  }

  bool WantsContent(const image::LayerEntry& entry) const {
    if (IsOsReleaseFile(entry.path)) return true;
    for (const Cataloger* cataloger : catalogers_) {
      if (cataloger->Wants(entry.path) || Sniffs(*cataloger, entry)) return true;
    }
    return false;
  }

  absl::Status OnEntry(const image::LayerInfo& layer, const image::LayerEntry& entry,
                       image::ContentReader* content) {
    files_.Note(entry);
    os_files_.Note(entry);
    if (content == nullptr) return absl::OkStatus();
    const std::string where = absl::StrCat("/", entry.path, " (layer ", layer.index, ")");
    LazyContent text(*content, entry.size);
    if (IsOsReleaseFile(entry.path)) {
      BULWARK_ASSIGN_OR_RETURN(absl::string_view all, text.All());
      os_files_.Record(layer.index, entry.path, std::string(all));
    }
    FileVersion version;
    bool wanted = false;
    bool found = false;
    for (size_t i = 0; i < catalogers_.size(); ++i) {
      const Cataloger& cataloger = *catalogers_[i];
      const bool by_name = cataloger.Wants(entry.path);
      if (!by_name && !Sniffs(cataloger, entry)) continue;
      if (!by_name) {
        BULWARK_ASSIGN_OR_RETURN(absl::string_view head, text.Prefix(cataloger.sniff_bytes()));
        if (!cataloger.WantsAfterSniff(head, static_cast<uint64_t>(entry.size))) continue;
      }
      wanted |= by_name;
      if (static_cast<uint64_t>(entry.size) > cataloger.max_file_bytes()) {
        Warn(absl::StrCat(where, ": ", entry.size, " bytes, over the ", cataloger.name(),
                          " cataloger's cap of ", cataloger.max_file_bytes(), "; skipped"));
        continue;
      }
      BULWARK_ASSIGN_OR_RETURN(absl::string_view all, text.All());
      if (text.truncated() && !text.warned()) {
        text.set_warned();
        Warn(absl::StrCat(where, ": larger than the walk's file cap; read in part"));
      }
      absl::StatusOr<ParsedFile> parsed = cataloger.Parse(entry.path, all);
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
      if (parsed->relations.size() != parsed->packages.size()) parsed->relations.clear();
      for (PackageRelations& relations : parsed->relations) DropMismatchedConditions(relations);
      for (PackageFacts& facts : parsed->facts) DropMismatchedConditions(facts.relations);
      found |= !parsed->packages.empty() || !parsed->facts.empty() || !parsed->diversions.empty();
      version.parsed.emplace_back(i, *std::move(parsed));
    }
    // A sniffed file (an executable) is tracked only when it declares something.
    if (wanted || found) files_.Record(layer.index, entry.path, std::move(version));
    return absl::OkStatus();
  }

  absl::Status OnLayerEnd(const image::LayerInfo& layer) {
    files_.EndLayer(layer.index);
    os_files_.EndLayer(layer.index);
    return absl::OkStatus();
  }

  v1::Sbom Finish(const std::vector<image::LayerInfo>& layers, const image::Platform& platform) {
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

    std::vector<FinalPackage> packages;
    absl::flat_hash_set<std::string> final_keys;
    // Removed packages by key: the package (with layers set) as of its last appearance.
    absl::flat_hash_map<std::string, v1::Package> removed;
    // Facts of the final image, by cataloger and package name.
    absl::flat_hash_map<std::pair<size_t, std::string>, std::vector<const PackageFacts*>> facts;
    // Facts for the packages of one declaring file, by cataloger and path.
    absl::flat_hash_map<std::pair<size_t, std::string>, std::vector<const PackageFacts*>>
        facts_by_file;

    size_t file_index = 0;
    for (const auto& [path, versions] : files_.paths()) {
      ++file_index;
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
          for (size_t j = 0; j < parsed.packages.size(); ++j) {
            FinalPackage& final_package = packages.emplace_back(
                FinalPackage{parsed.packages[j], cataloger, file_index,
                             parsed.relations.empty() ? PackageRelations() : parsed.relations[j]});
            v1::Package& package = final_package.package;
            const std::string key = PackageKey(cataloger, package);
            final_keys.insert(key);
            final_keys.insert(absl::StrCat(key, "\x1f", path));
            package.set_cataloger(std::string(catalogers_[cataloger]->name()));
            v1::Location* location = package.add_locations();
            location->set_path(absolute);
            location->set_layer(versions[top].layer);
            location->set_layer_digest(digest(versions[top].layer));
            package.set_layer(introduced(top, key));
            package.set_layer_digest(digest(package.layer()));
          }
          for (const v1::Diversion& diversion : parsed.diversions) {
            *sbom.add_diversions() = diversion;
          }
          for (const PackageFacts& fact : parsed.facts) {
            if (fact.declared_by.empty()) {
              facts[{cataloger, fact.package_name}].push_back(&fact);
            } else {
              facts_by_file[{cataloger, fact.declared_by}].push_back(&fact);
            }
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
            // Where packages do not move between files, the same package in another file is
            // another installation (the same module in two executables).
            const bool moves = catalogers_[cataloger]->packages_move_between_files();
            removed[moves ? key : absl::StrCat(key, "\x1f", path)] = std::move(package);
          }
        }
      }
    }

    for (FinalPackage& final_package : packages) {
      v1::Package& package = final_package.package;
      ApplyFacts(facts, facts_by_file, final_package);
      if (package.purl().empty()) package.set_purl(PackageUrl(package, sbom.os()));
    }
    std::sort(packages.begin(), packages.end(), [](const FinalPackage& a, const FinalPackage& b) {
      return PackageLess(a.package, b.package);
    });
    std::vector<const v1::Package*> final_packages;
    for (const FinalPackage& final_package : packages) {
      final_packages.push_back(&final_package.package);
    }
    LinkDependencies(catalogers_, {platform.architecture, platform.variant, final_packages},
                     packages);
    for (FinalPackage& final_package : packages) {
      *sbom.add_packages() = std::move(final_package.package);
    }

    std::vector<v1::Package> gone;
    for (auto& [key, package] : removed) {
      if (final_keys.contains(key)) continue;  // Moved to another file, not removed.
      if (package.purl().empty()) package.set_purl(PackageUrl(package, sbom.os()));
      gone.push_back(std::move(package));
    }
    std::sort(gone.begin(), gone.end(), PackageLess);
    for (v1::Package& package : gone) *sbom.add_removed_packages() = std::move(package);

    std::sort(sbom.mutable_diversions()->begin(), sbom.mutable_diversions()->end(),
              [](const v1::Diversion& a, const v1::Diversion& b) {
                return std::tie(a.path(), a.diverted_to()) < std::tie(b.path(), b.diverted_to());
              });
    for (std::string& warning : warnings_) sbom.add_warnings(core::SanitizeUtf8(warning));
    return sbom;
  }

 private:
  void Warn(std::string warning) {
    // A hostile image could produce a warning per file; keep the first ones.
    constexpr size_t kMaxWarnings = 1000;
    if (warnings_.size() < kMaxWarnings) warnings_.push_back(std::move(warning));
  }

  using FactIndex =
      absl::flat_hash_map<std::pair<size_t, std::string>, std::vector<const PackageFacts*>>;

  void ApplyFacts(const FactIndex& facts, const FactIndex& facts_by_file,
                  FinalPackage& final_package) const {
    v1::Package& package = final_package.package;
    std::vector<const PackageFacts*> found;
    if (auto it = facts.find(std::make_pair(final_package.cataloger, package.name()));
        it != facts.end()) {
      found = it->second;
    }
    const std::string declared_by(absl::StripPrefix(package.locations(0).path(), "/"));
    if (auto it = facts_by_file.find(std::make_pair(final_package.cataloger, declared_by));
        it != facts_by_file.end()) {
      found.insert(found.end(), it->second.begin(), it->second.end());
    }
    const bool had_licenses = package.licenses_size() > 0;
    PackageRelations& relations = final_package.relations;
    const bool had_requirements = !relations.requirements.empty();
    for (const PackageFacts* fact : found) {
      if (!fact->arch.empty() && fact->arch != package.arch()) continue;
      for (const std::string& file : fact->files) package.add_files(file);
      if (!had_licenses) {
        for (const std::string& license : fact->licenses) package.add_licenses(license);
      }
      if (!had_requirements) AppendRequirements(fact->relations, relations);
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
  return impl_->Finish(layers, image::Platform());
}

v1::Sbom SbomBuilder::Finish(const image::Image& image) && {
  v1::Sbom sbom = impl_->Finish(image.layers(), image.config().platform);
  sbom.set_image(core::SanitizeUtf8(image.Name()));
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
