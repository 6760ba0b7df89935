// `bulwark sbom`: the software bill of materials of an image (one verified walk of its layers),
// as a table, Bulwark's JSON, CycloneDX 1.5 / 1.6 or SPDX 2.3.
#include <memory>
#include <string>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/image_args.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/image.h"
#include "bulwark/image/sbom/catalog.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunSbom(const ParsedArgs& args) {
  const std::string* format_flag = args.Find("format");
  const std::string format = format_flag == nullptr ? "table" : *format_flag;
  if (format != "table" && format != "json" && format != "cyclonedx" && format != "cyclonedx-1.5" &&
      format != "cyclonedx-1.6" && format != "spdx") {
    return absl::InvalidArgumentError(absl::StrCat(
        "--format: \"", format, "\" is not one of table, json, cyclonedx, cyclonedx-1.6, spdx"));
  }
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image, OpenImageFromArgs(args));
  sbom::CatalogOptions options;
  options.include_files = args.Find("files") != nullptr;
  absl::StatusOr<sbom::v1::Sbom> catalog = sbom::Catalog(*image, options);
  BULWARK_RETURN_IF_ERROR(NameImage(catalog.status(), args.positional[0]));
  if (format == "table") {
    WriteToStdout(sbom::SbomToTable(*catalog));
  } else if (format == "json") {
    BULWARK_ASSIGN_OR_RETURN(std::string json, sbom::SbomToJson(*catalog));
    WriteToStdout(json);
  } else if (format == "spdx") {
    WriteToStdout(sbom::SbomToSpdx(*catalog) + "\n");
  } else {
    const auto version =
        format == "cyclonedx-1.6" ? sbom::CycloneDxVersion::k1_6 : sbom::CycloneDxVersion::k1_5;
    WriteToStdout(sbom::SbomToCycloneDx(*catalog, version) + "\n");
  }
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
