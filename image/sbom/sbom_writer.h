// Writing an Sbom as Bulwark's JSON (protobuf JSON mapping), CycloneDX 1.5 / 1.6 JSON, SPDX 2.3
// JSON, or a terminal table.
//   std::string cdx = SbomToCycloneDx(sbom, CycloneDxVersion::k1_6);
//   absl::StatusOr<std::string> json = SbomToJson(sbom);
// Output is deterministic for a given Sbom and WriterOptions (CycloneDX serial numbers and SPDX
// namespaces are derived from the content). Thread safety: plain functions.
#ifndef BULWARK_IMAGE_SBOM_SBOM_WRITER_H_
#define BULWARK_IMAGE_SBOM_SBOM_WRITER_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/image/sbom/sbom.pb.h"

namespace bulwark::sbom {

struct WriterOptions {
  // The document's creation time (CycloneDX metadata.timestamp, SPDX creationInfo.created).
  // Default: the time of the call.
  absl::Time created = absl::Now();
};

// Bulwark's own form: the protobuf JSON mapping of bulwark.sbom.v1.Sbom (lowerCamelCase names),
// indented. Errors: Internal when protobuf cannot print the message.
absl::StatusOr<std::string> SbomToJson(const v1::Sbom& sbom);
// Reads that form back. Errors: InvalidArgument for anything else (unknown fields included).
absl::StatusOr<v1::Sbom> SbomFromJson(absl::string_view json);

enum class CycloneDxVersion { k1_5, k1_6 };

// A CycloneDX BOM: the image as metadata.component (type container), the OS as an
// operating-system component, each package as a library component with its purl, licenses (SPDX
// ids when the text is one, names otherwise) and bulwark:* properties (layer, locations, source
// package), and a dependency of the image on every component.
std::string SbomToCycloneDx(const v1::Sbom& sbom, CycloneDxVersion version,
                            const WriterOptions& options = {});

// An SPDX 2.3 document: the image package DESCRIBED by the document, CONTAINS relationships to
// the OS package and every package, purls as PACKAGE-MANAGER external references, and licenses
// as SPDX expressions (LicenseRef-... with extracted text for names that are not SPDX ids).
std::string SbomToSpdx(const v1::Sbom& sbom, const WriterOptions& options = {});

// One line per package (type, name, version, layer, purl) under a line naming image and OS,
// then removed packages and warnings. Control characters are escaped.
std::string SbomToTable(const v1::Sbom& sbom);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_SBOM_WRITER_H_
