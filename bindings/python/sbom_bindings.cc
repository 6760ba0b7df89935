#include "bulwark/bindings/python/sbom_bindings.h"

#include <memory>
#include <optional>
#include <cstdint>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "bulwark/bindings/python/status_exceptions.h"
#include "pybind11/stl.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/image.h"
#include "bulwark/image/sbom/catalog.h"
#include "bulwark/image/sbom/path_owners.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::python {
namespace {

namespace py = pybind11;

// Opens `path`, catalogs it and writes the SBOM in `format` ("json", "cyclonedx",
// "cyclonedx-1.5", "cyclonedx-1.6", "spdx", "table").
absl::StatusOr<std::string> CatalogText(const std::string& path, const std::string& format,
                                        const std::string& platform, const std::string& reference,
                                        bool include_files) {
  if (format != "json" && format != "cyclonedx" && format != "cyclonedx-1.5" &&
      format != "cyclonedx-1.6" && format != "spdx" && format != "table") {
    return absl::InvalidArgumentError(absl::StrCat(
        "format \"", format, "\" is not one of json, cyclonedx, cyclonedx-1.6, spdx, table"));
  }
  image::OpenOptions open_options;
  open_options.platform = platform;
  open_options.reference = reference;
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const image::Image> image,
                           image::Image::Open(path, open_options));
  sbom::CatalogOptions options;
  options.include_files = include_files;
  BULWARK_ASSIGN_OR_RETURN(sbom::v1::Sbom catalog, sbom::Catalog(*image, options));
  if (format == "json") return sbom::SbomToJson(catalog);
  if (format == "spdx") return sbom::SbomToSpdx(catalog);
  if (format == "table") return sbom::SbomToTable(catalog);
  return sbom::SbomToCycloneDx(catalog, format == "cyclonedx-1.6" ? sbom::CycloneDxVersion::k1_6
                                                                  : sbom::CycloneDxVersion::k1_5);
}

}  // namespace

void DefineSbomBindings(py::module_& sbom) {
  sbom.def(
      "catalog_text",
      [](const std::string& path, const std::string& format, const std::string& platform,
         const std::string& reference, bool include_files) {
        absl::StatusOr<std::string> text;
        {
          py::gil_scoped_release release;
          text = CatalogText(path, format, platform, reference, include_files);
        }
        return ValueOrThrow(std::move(text));
      },
      py::arg("path"), py::arg("format"), py::arg("platform") = "", py::arg("reference") = "",
      py::arg("include_files") = false,
      "The SBOM of the image at `path` as text in `format` (json, cyclonedx, cyclonedx-1.6, "
      "spdx, table).");

  // The index behind Sbom.owners(), built from the packages' JSON (type, files, locations).
  py::class_<sbom::PathOwners>(sbom, "_PathOwners")
      .def(py::init([](const std::string& sbom_json) {
             absl::StatusOr<sbom::v1::Sbom> parsed = sbom::SbomFromJson(sbom_json);
             return std::make_unique<sbom::PathOwners>(ValueOrThrow(std::move(parsed)));
           }),
           py::arg("sbom_json"))
      .def(
          "find",
          [](const sbom::PathOwners& owners, const std::string& path) {
            return ValueOrThrow(owners.Find(path));
          },
          py::arg("path"), "Indexes into Sbom.packages of the packages that own `path`.")
      .def(
          "find_diversion",
          [](const sbom::PathOwners& owners, const std::string& path) -> py::object {
            std::optional<sbom::v1::Diversion> found = ValueOrThrow(owners.FindDiversion(path));
            if (!found.has_value()) return py::none();
            return py::make_tuple(found->path(), found->diverted_to(), found->package());
          },
          py::arg("path"), "(path, diverted_to, package) of the diversion `path` is part of.");
}

}  // namespace bulwark::python
