#include "bulwark/image/vuln/package_name.h"

#include "absl/strings/ascii.h"

namespace bulwark::vuln {

std::string NormalizePackageName(absl::string_view ecosystem, absl::string_view name) {
  absl::string_view base = ecosystem.substr(0, ecosystem.find(':'));
  if (base == "PyPI") {
    std::string out;
    for (char c : name) {
      if (c == '-' || c == '_' || c == '.') {
        if (out.empty() || out.back() != '-') out.push_back('-');
      } else {
        out.push_back(absl::ascii_tolower(static_cast<unsigned char>(c)));
      }
    }
    return out;
  }
  if (base == "npm" || base == "NuGet" || base == "Packagist") return absl::AsciiStrToLower(name);
  if (base == "crates.io") {
    std::string out = absl::AsciiStrToLower(name);
    for (char& c : out) {
      if (c == '_') c = '-';
    }
    return out;
  }
  return std::string(name);
}

}  // namespace bulwark::vuln
