// CycloneDX 1.5 / 1.6 JSON (https://cyclonedx.org/docs/1.6/json/).
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "absl/container/flat_hash_set.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/core/version.h"
#include "bulwark/image/sbom/internal/spdx_licenses.h"
#include "bulwark/image/sbom/internal/writer_support.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::sbom {
namespace {

using internal::JsonObject;

core::Value Property(absl::string_view name, absl::string_view value) {
  return JsonObject().Set("name", name).Set("value", value).Build();
}

core::Value Licenses(const v1::Package& package) {
  core::ValueList licenses;
  for (const std::string& text : package.licenses()) {
    const std::string id = internal::SpdxLicenseId(text);
    core::Value license =
        id.empty() ? JsonObject().Set("name", text).Build() : JsonObject().Set("id", id).Build();
    licenses.push_back(JsonObject().Set("license", std::move(license)).Build());
  }
  return core::Value(std::move(licenses));
}

core::Value Properties(const v1::Package& package) {
  core::ValueList properties;
  auto add = [&](absl::string_view name, absl::string_view value) {
    if (!value.empty()) properties.push_back(Property(name, value));
  };
  add("bulwark:cataloger", package.cataloger());
  add("bulwark:layer", absl::StrCat(package.layer()));
  add("bulwark:layer_digest", package.layer_digest());
  for (const v1::Location& location : package.locations()) add("bulwark:location", location.path());
  add("bulwark:arch", package.arch());
  add("bulwark:source_name", package.source_name());
  add("bulwark:source_version", package.source_version());
  for (const v1::Property& property : package.properties()) {
    add(absl::StrCat("bulwark:", property.name()), property.value());
  }
  return core::Value(std::move(properties));
}

}  // namespace

std::string SbomToCycloneDx(const v1::Sbom& sbom, CycloneDxVersion version,
                            const WriterOptions& options) {
  const std::string image_ref = "image";
  core::ValueList components;
  core::ValueList refs;
  if (!sbom.os().id().empty()) {
    JsonObject os;
    os.Set("type", "operating-system").Set("bom-ref", "os").Set("name", sbom.os().id());
    os.SetIfNotEmpty("version", sbom.os().version_id());
    os.SetIfNotEmpty("description", sbom.os().pretty_name());
    core::ValueList properties;
    if (!sbom.os().version_codename().empty()) {
      properties.push_back(Property("bulwark:codename", sbom.os().version_codename()));
    }
    if (!sbom.os().osv_ecosystem().empty()) {
      properties.push_back(Property("bulwark:osv_ecosystem", sbom.os().osv_ecosystem()));
    }
    if (!properties.empty()) os.Set("properties", core::Value(std::move(properties)));
    components.push_back(os.Build());
    refs.push_back(core::Value("os"));
  }
  absl::flat_hash_set<std::string> used_refs = {image_ref, "os"};
  std::vector<std::string> package_refs;  // By index into sbom.packages.
  for (int i = 0; i < sbom.packages_size(); ++i) {
    const v1::Package& package = sbom.packages(i);
    // The purl, unless another component already has it (the same package installed twice).
    std::string ref = package.purl();
    if (ref.empty() || used_refs.contains(ref)) ref = absl::StrCat("package-", i + 1, ":", ref);
    used_refs.insert(ref);
    JsonObject component;
    component.Set("type", "library").Set("bom-ref", ref).Set("name", package.name());
    component.SetIfNotEmpty("version", package.version());
    component.SetIfNotEmpty("publisher", package.maintainer());
    if (package.licenses_size() > 0) component.Set("licenses", Licenses(package));
    component.SetIfNotEmpty("purl", package.purl());
    component.Set("properties", Properties(package));
    components.push_back(component.Build());
    refs.push_back(core::Value(ref));
    package_refs.push_back(std::move(ref));
  }

  JsonObject tool;
  tool.Set("type", "application").Set("name", "bulwark").Set("version", core::kVersion);
  JsonObject image;
  image.Set("type", "container").Set("bom-ref", image_ref).Set("name", internal::ImageName(sbom));
  core::ValueList image_properties;
  if (!sbom.manifest_digest().empty()) {
    image_properties.push_back(Property("bulwark:manifest_digest", sbom.manifest_digest()));
  }
  for (const v1::Layer& layer : sbom.layers()) {
    image_properties.push_back(
        Property(absl::StrCat("bulwark:layer:", layer.index()), layer.digest()));
  }
  if (!image_properties.empty()) image.Set("properties", core::Value(std::move(image_properties)));
  JsonObject metadata;
  metadata.Set("timestamp", internal::Rfc3339Seconds(options.created));
  metadata.Set("tools",
               JsonObject().Set("components", core::Value(core::ValueList{tool.Build()})).Build());
  metadata.Set("component", image.Build());

  core::ValueList dependencies;
  dependencies.push_back(
      JsonObject().Set("ref", image_ref).Set("dependsOn", core::Value(std::move(refs))).Build());
  // The package graph, where the package data gives it (Package.depends_on).
  for (int i = 0; i < sbom.packages_size(); ++i) {
    core::ValueList depends_on;
    for (const uint32_t index : sbom.packages(i).depends_on()) {
      if (index < package_refs.size()) depends_on.push_back(core::Value(package_refs[index]));
    }
    if (depends_on.empty()) continue;
    dependencies.push_back(JsonObject()
                               .Set("ref", package_refs[i])
                               .Set("dependsOn", core::Value(std::move(depends_on)))
                               .Build());
  }

  const core::Value body_for_serial = core::Value(components);
  JsonObject bom;
  bom.Set("bomFormat", "CycloneDX");
  bom.Set("specVersion", version == CycloneDxVersion::k1_6 ? "1.6" : "1.5");
  bom.Set("serialNumber", absl::StrCat("urn:uuid:", internal::UuidFromContent(absl::StrCat(
                                                        sbom.image(), sbom.manifest_digest(),
                                                        body_for_serial.ToJson()))));
  bom.Set("version", core::Value(1));
  bom.Set("metadata", metadata.Build());
  bom.Set("components", core::Value(std::move(components)));
  bom.Set("dependencies", core::Value(std::move(dependencies)));
  return bom.Build().ToJson();
}

}  // namespace bulwark::sbom
