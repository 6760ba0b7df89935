// SPDX 2.3 JSON (https://spdx.github.io/spdx-spec/v2.3/).
#include <string>
#include <utility>
#include <vector>

#include "absl/container/btree_map.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/core/version.h"
#include "bulwark/image/sbom/internal/spdx_licenses.h"
#include "bulwark/image/sbom/internal/writer_support.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::sbom {
namespace {

using internal::JsonObject;

constexpr absl::string_view kNoAssertion = "NOASSERTION";

core::Value Relationship(absl::string_view from, absl::string_view type, absl::string_view to) {
  return JsonObject()
      .Set("spdxElementId", from)
      .Set("relationshipType", type)
      .Set("relatedSpdxElement", to)
      .Build();
}

JsonObject BasePackage(absl::string_view id, absl::string_view name, absl::string_view version) {
  JsonObject package;
  package.Set("SPDXID", id).Set("name", name);
  package.SetIfNotEmpty("versionInfo", version);
  package.Set("downloadLocation", kNoAssertion).Set("filesAnalyzed", core::Value(false));
  return package;
}

}  // namespace

std::string SbomToSpdx(const v1::Sbom& sbom, const WriterOptions& options) {
  core::ValueList packages;
  core::ValueList relationships;
  // License text that is not an SPDX id, by its LicenseRef.
  absl::btree_map<std::string, std::string> extracted;

  const std::string image_name = internal::ImageName(sbom);
  JsonObject image = BasePackage("SPDXRef-Image", image_name, sbom.manifest_digest());
  image.Set("primaryPackagePurpose", "CONTAINER");
  packages.push_back(image.Build());
  relationships.push_back(Relationship("SPDXRef-DOCUMENT", "DESCRIBES", "SPDXRef-Image"));

  if (!sbom.os().id().empty()) {
    JsonObject os = BasePackage("SPDXRef-OperatingSystem", sbom.os().id(), sbom.os().version_id());
    os.SetIfNotEmpty("description", sbom.os().pretty_name());
    os.Set("primaryPackagePurpose", "OPERATING_SYSTEM");
    packages.push_back(os.Build());
    relationships.push_back(Relationship("SPDXRef-Image", "CONTAINS", "SPDXRef-OperatingSystem"));
  }

  for (int i = 0; i < sbom.packages_size(); ++i) {
    const v1::Package& package = sbom.packages(i);
    const std::string id = absl::StrCat("SPDXRef-Package-", i + 1);
    JsonObject out = BasePackage(id, package.name(), package.version());
    std::vector<std::string> terms;
    for (const std::string& text : package.licenses()) {
      std::string term = internal::SpdxLicenseId(text);
      if (term.empty()) {
        term = internal::SpdxLicenseRef(text);
        extracted[term] = text;
      }
      terms.push_back(std::move(term));
    }
    out.Set("licenseConcluded", kNoAssertion);
    out.Set("licenseDeclared",
            terms.empty() ? std::string(kNoAssertion) : absl::StrJoin(terms, " AND "));
    out.Set("copyrightText", kNoAssertion);
    std::vector<std::string> locations;
    for (const v1::Location& location : package.locations()) {
      locations.push_back(absl::StrCat(location.path(), " (layer ", location.layer(), " ",
                                       location.layer_digest(), ")"));
    }
    out.Set("sourceInfo", absl::StrCat("acquired package info from ", package.cataloger(), ": ",
                                       absl::StrJoin(locations, ", ")));
    if (!package.source_name().empty()) {
      out.Set("comment", absl::StrCat("source package ", package.source_name(), " ",
                                      package.source_version()));
    }
    if (!package.purl().empty()) {
      out.Set("externalRefs",
              core::Value(core::ValueList{JsonObject()
                                              .Set("referenceCategory", "PACKAGE-MANAGER")
                                              .Set("referenceType", "purl")
                                              .Set("referenceLocator", package.purl())
                                              .Build()}));
    }
    out.Set("primaryPackagePurpose", "LIBRARY");
    packages.push_back(out.Build());
    relationships.push_back(Relationship("SPDXRef-Image", "CONTAINS", id));
    for (const uint32_t index : package.depends_on()) {
      if (index >= static_cast<uint32_t>(sbom.packages_size())) continue;
      relationships.push_back(
          Relationship(id, "DEPENDS_ON", absl::StrCat("SPDXRef-Package-", index + 1)));
    }
  }

  core::ValueList licensing;
  for (const auto& [ref, text] : extracted) {
    licensing.push_back(
        JsonObject().Set("licenseId", ref).Set("extractedText", text).Set("name", text).Build());
  }
  const std::string uuid = internal::UuidFromContent(
      absl::StrCat(sbom.image(), sbom.manifest_digest(), core::Value(packages).ToJson()));

  JsonObject document;
  document.Set("spdxVersion", "SPDX-2.3");
  document.Set("dataLicense", "CC0-1.0");
  document.Set("SPDXID", "SPDXRef-DOCUMENT");
  document.Set("name", image_name);
  document.Set("documentNamespace",
               absl::StrCat("https://bulwark.invalid/spdx/",
                            internal::SpdxLicenseRef(image_name).substr(11), "-", uuid));
  document.Set("creationInfo",
               JsonObject()
                   .Set("created", internal::Rfc3339Seconds(options.created))
                   .Set("creators", core::Value(core::ValueList{core::Value(
                                        absl::StrCat("Tool: bulwark-", core::kVersion))}))
                   .Build());
  document.Set("documentDescribes", core::Value(core::ValueList{core::Value("SPDXRef-Image")}));
  document.Set("packages", core::Value(std::move(packages)));
  document.Set("relationships", core::Value(std::move(relationships)));
  if (!licensing.empty())
    document.Set("hasExtractedLicensingInfos", core::Value(std::move(licensing)));
  return document.Build().ToJson();
}

}  // namespace bulwark::sbom
