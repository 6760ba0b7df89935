#include "bulwark/image/sbom/internal/spdx_licenses.h"

#include <string>
#include <utility>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom::internal {
namespace {

constexpr absl::string_view kIds[] = {
    "0BSD",
    "AFL-2.1",
    "AGPL-3.0-only",
    "AGPL-3.0-or-later",
    "Apache-1.1",
    "Apache-2.0",
    "Artistic-1.0",
    "Artistic-2.0",
    "BSD-1-Clause",
    "BSD-2-Clause",
    "BSD-3-Clause",
    "BSD-4-Clause",
    "BSL-1.0",
    "CC-BY-3.0",
    "CC-BY-4.0",
    "CC-BY-SA-3.0",
    "CC-BY-SA-4.0",
    "CC0-1.0",
    "CDDL-1.0",
    "EPL-1.0",
    "EPL-2.0",
    "GFDL-1.2-or-later",
    "GFDL-1.3-only",
    "GFDL-1.3-or-later",
    "GPL-1.0-or-later",
    "GPL-2.0-only",
    "GPL-2.0-or-later",
    "GPL-3.0-only",
    "GPL-3.0-or-later",
    "ISC",
    "LGPL-2.0-only",
    "LGPL-2.0-or-later",
    "LGPL-2.1-only",
    "LGPL-2.1-or-later",
    "LGPL-3.0-only",
    "LGPL-3.0-or-later",
    "MIT",
    "MIT-0",
    "MPL-1.1",
    "MPL-2.0",
    "OpenSSL",
    "PSF-2.0",
    "Python-2.0",
    "Ruby",
    "Unlicense",
    "Vim",
    "W3C",
    "WTFPL",
    "X11",
    "Zlib",
    "curl",
    "bzip2-1.0.6",
    "Sleepycat",
    "PostgreSQL",
    "NCSA",
};

// Names in common use (Debian's copyright short names, old SPDX ids) for SPDX ids.
constexpr std::pair<absl::string_view, absl::string_view> kAliases[] = {
    {"GPL-1+", "GPL-1.0-or-later"},
    {"GPL-2", "GPL-2.0-only"},
    {"GPL-2+", "GPL-2.0-or-later"},
    {"GPL-3", "GPL-3.0-only"},
    {"GPL-3+", "GPL-3.0-or-later"},
    {"LGPL-2", "LGPL-2.0-only"},
    {"LGPL-2+", "LGPL-2.0-or-later"},
    {"LGPL-2.1", "LGPL-2.1-only"},
    {"LGPL-2.1+", "LGPL-2.1-or-later"},
    {"LGPL-3", "LGPL-3.0-only"},
    {"LGPL-3+", "LGPL-3.0-or-later"},
    {"GPL-2.0", "GPL-2.0-only"},
    {"GPL-3.0", "GPL-3.0-only"},
    {"GPL-2.0+", "GPL-2.0-or-later"},
    {"GPL-3.0+", "GPL-3.0-or-later"},
    {"Expat", "MIT"},
    {"Apache-2", "Apache-2.0"},
    {"Apache 2.0", "Apache-2.0"},
    {"Apache License 2.0", "Apache-2.0"},
    {"MIT License", "MIT"},
    {"BSD License", ""},
    {"public-domain", ""},
};

}  // namespace

std::string SpdxLicenseId(absl::string_view text) {
  text = absl::StripAsciiWhitespace(text);
  for (absl::string_view id : kIds) {
    if (absl::EqualsIgnoreCase(id, text)) return std::string(id);
  }
  for (const auto& [alias, id] : kAliases) {
    if (absl::EqualsIgnoreCase(alias, text)) return std::string(id);
  }
  return "";
}

std::string SpdxLicenseRef(absl::string_view text) {
  std::string out = "LicenseRef-";
  for (const char c : text) {
    out.push_back(absl::ascii_isalnum(c) || c == '.' || c == '-' ? c : '-');
  }
  return out;
}

}  // namespace bulwark::sbom::internal
