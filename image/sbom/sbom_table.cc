// The terminal table of an SBOM.
#include <algorithm>
#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_format.h"
#include "absl/strings/string_view.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::sbom {
namespace {

// `text` with control characters and backslashes escaped, so that nothing from an image can
// move the cursor or change colours.
std::string Printable(absl::string_view text) {
  std::string out;
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '\\') {
      out.append("\\\\");
    } else if (byte < 0x20 || byte == 0x7F) {
      absl::StrAppendFormat(&out, "\\x%02x", byte);
    } else {
      out.push_back(c);
    }
  }
  return out;
}

using Row = std::vector<std::string>;

void AppendTable(const std::vector<Row>& rows, std::string& out) {
  std::vector<size_t> widths;
  for (const Row& row : rows) {
    widths.resize(std::max(widths.size(), row.size()));
    for (size_t i = 0; i < row.size(); ++i) widths[i] = std::max(widths[i], row[i].size());
  }
  for (const Row& row : rows) {
    std::string line;
    for (size_t i = 0; i < row.size(); ++i) {
      absl::StrAppend(&line, row[i]);
      if (i + 1 < row.size()) line.append(widths[i] - row[i].size() + 2, ' ');
    }
    absl::StrAppend(&out, line, "\n");
  }
}

Row PackageRow(const v1::Package& package, bool removed) {
  Row row = {Printable(package.type()), Printable(package.name()), Printable(package.version()),
             absl::StrCat(package.layer())};
  if (removed) row.push_back(absl::StrCat(package.removed_layer()));
  row.push_back(Printable(package.purl()));
  return row;
}

}  // namespace

std::string SbomToTable(const v1::Sbom& sbom) {
  std::string out = absl::StrCat("Image: ", Printable(sbom.image()), "\n");
  const v1::OperatingSystem& os = sbom.os();
  absl::StrAppend(
      &out, "OS: ",
      os.id().empty()
          ? "unknown"
          : Printable(absl::StrCat(
                os.pretty_name().empty() ? os.id() : os.pretty_name(),
                os.osv_ecosystem().empty() ? "" : absl::StrCat(" (", os.osv_ecosystem(), ")"))),
      "\n", sbom.packages_size(), " packages\n\n");
  std::vector<Row> rows = {{"TYPE", "NAME", "VERSION", "LAYER", "PURL"}};
  for (const v1::Package& package : sbom.packages()) rows.push_back(PackageRow(package, false));
  AppendTable(rows, out);
  if (sbom.removed_packages_size() > 0) {
    absl::StrAppend(&out, "\nRemoved in a later layer: ", sbom.removed_packages_size(), "\n");
    std::vector<Row> removed = {{"TYPE", "NAME", "VERSION", "ADDED", "REMOVED", "PURL"}};
    for (const v1::Package& package : sbom.removed_packages()) {
      removed.push_back(PackageRow(package, true));
    }
    AppendTable(removed, out);
  }
  if (sbom.warnings_size() > 0) {
    absl::StrAppend(&out, "\nWarnings: ", sbom.warnings_size(), "\n");
    for (const std::string& warning : sbom.warnings()) {
      absl::StrAppend(&out, "  ", Printable(warning), "\n");
    }
  }
  return out;
}

}  // namespace bulwark::sbom
