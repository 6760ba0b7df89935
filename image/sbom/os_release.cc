#include "bulwark/image/sbom/os_release.h"

#include <cstddef>
#include <string>
#include <vector>

#include "absl/strings/ascii.h"
#include "absl/strings/match.h"
#include "absl/strings/numbers.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "absl/strings/string_view.h"
#include "absl/strings/strip.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/internal/text.h"
#include "re2/re2.h"

namespace bulwark::sbom {
namespace {

// Only this much of a release file is read: real ones are a few hundred bytes.
constexpr size_t kMaxReleaseFileBytes = 64 * 1024;

struct ReleaseFile {
  absl::string_view path;
  absl::string_view id;  // "" = from the text ("Red Hat Enterprise Linux" -> "rhel").
};

// "<vendor>-release" files, most specific first: Oracle and CentOS images also ship a
// redhat-release that names Red Hat.
constexpr ReleaseFile kReleaseFiles[] = {
    {"etc/oracle-release", "ol"},
    {"etc/rocky-release", "rocky"},
    {"etc/almalinux-release", "almalinux"},
    {"etc/centos-release", "centos"},
    {"etc/fedora-release", "fedora"},
    {"etc/mariner-release", "mariner"},
    {"etc/photon-release", "photon"},
    {"etc/system-release", ""},
    {"etc/redhat-release", ""},
};

// Distribution names in release files, by prefix.
constexpr std::pair<absl::string_view, absl::string_view> kReleaseNames[] = {
    {"Red Hat", "rhel"},      {"CentOS", "centos"},       {"Oracle", "ol"},
    {"Rocky", "rocky"},       {"AlmaLinux", "almalinux"}, {"Fedora", "fedora"},
    {"Amazon Linux", "amzn"}, {"CBL-Mariner", "mariner"}, {"VMware Photon", "photon"},
};

constexpr std::pair<absl::string_view, absl::string_view> kDebianCodenames[] = {
    {"7", "wheezy"},    {"8", "jessie"},    {"9", "stretch"}, {"10", "buster"},
    {"11", "bullseye"}, {"12", "bookworm"}, {"13", "trixie"}, {"14", "forky"},
};

absl::string_view Truncated(absl::string_view text) { return text.substr(0, kMaxReleaseFileBytes); }

// The value of a shell-style assignment's right-hand side.
std::string Unquote(absl::string_view value) {
  value = absl::StripAsciiWhitespace(value);
  if (value.size() >= 1 && value.front() == '\'') {
    value.remove_prefix(1);
    const size_t end = value.find('\'');
    return std::string(value.substr(0, end));
  }
  if (value.size() >= 1 && value.front() == '"') {
    std::string out;
    for (size_t i = 1; i < value.size(); ++i) {
      const char c = value[i];
      if (c == '"') break;
      if (c == '\\' && i + 1 < value.size()) {
        out.push_back(value[++i]);
        continue;
      }
      out.push_back(c);
    }
    return out;
  }
  const size_t comment = value.find(" #");
  return std::string(absl::StripAsciiWhitespace(value.substr(0, comment)));
}

// "12" from "12.4"; "" when it does not start with a digit.
std::string MajorVersion(absl::string_view version) {
  size_t end = 0;
  while (end < version.size() && absl::ascii_isdigit(version[end])) ++end;
  return std::string(version.substr(0, end));
}

// "3.19" from "3.19.1".
std::string MajorMinorVersion(absl::string_view version) {
  std::vector<absl::string_view> parts = absl::StrSplit(version, '.');
  if (parts.size() < 2) return std::string(version);
  return absl::StrCat(parts[0], ".", parts[1]);
}

std::string DebianCodename(absl::string_view major) {
  for (const auto& [version, codename] : kDebianCodenames) {
    if (version == major) return std::string(codename);
  }
  return "";
}

// The word in parentheses of "11 (bullseye)", lower case.
std::string ParenthesisedCodename(absl::string_view version) {
  const size_t open = version.find('(');
  const size_t close = version.find(')', open);
  if (open == absl::string_view::npos || close == absl::string_view::npos) return "";
  absl::string_view inside = version.substr(open + 1, close - open - 1);
  return absl::AsciiStrToLower(absl::StripAsciiWhitespace(inside));
}

bool FromOsRelease(absl::string_view path, absl::string_view text, v1::OperatingSystem& os) {
  const absl::btree_map<std::string, std::string> fields = ParseOsReleaseFields(text);
  auto get = [&](absl::string_view key) -> std::string {
    auto it = fields.find(std::string(key));
    return it == fields.end() ? "" : it->second;
  };
  const std::string id = absl::AsciiStrToLower(get("ID"));
  if (id.empty()) return false;
  os.set_id(id);
  os.set_version_id(get("VERSION_ID"));
  os.set_name(get("NAME"));
  os.set_pretty_name(get("PRETTY_NAME"));
  os.set_cpe_name(get("CPE_NAME"));
  for (absl::string_view like : absl::StrSplit(get("ID_LIKE"), ' ', absl::SkipWhitespace())) {
    os.add_id_like(absl::AsciiStrToLower(like));
  }
  std::string codename = get("VERSION_CODENAME");
  if (codename.empty()) codename = get("UBUNTU_CODENAME");
  if (codename.empty() && id == "debian") codename = ParenthesisedCodename(get("VERSION"));
  if (codename.empty() && id == "debian") codename = DebianCodename(MajorVersion(os.version_id()));
  os.set_version_codename(codename);
  os.add_source_paths(absl::StrCat("/", path));
  return true;
}

bool FromLsbRelease(absl::string_view path, absl::string_view text, v1::OperatingSystem& os) {
  const absl::btree_map<std::string, std::string> fields = ParseOsReleaseFields(text);
  auto it = fields.find("DISTRIB_ID");
  if (it == fields.end() || it->second.empty()) return false;
  os.set_id(absl::AsciiStrToLower(it->second));
  os.set_name(it->second);
  if (auto r = fields.find("DISTRIB_RELEASE"); r != fields.end()) os.set_version_id(r->second);
  if (auto c = fields.find("DISTRIB_CODENAME"); c != fields.end()) {
    os.set_version_codename(c->second);
  }
  if (auto d = fields.find("DISTRIB_DESCRIPTION"); d != fields.end()) {
    os.set_pretty_name(d->second);
  }
  os.add_source_paths(absl::StrCat("/", path));
  return true;
}

bool FromAlpineRelease(absl::string_view path, absl::string_view text, v1::OperatingSystem& os) {
  const std::string version(absl::StripAsciiWhitespace(Truncated(text)));
  if (version.empty() || !absl::ascii_isdigit(version[0])) return false;
  os.set_id("alpine");
  os.set_name("Alpine Linux");
  os.set_version_id(version);
  os.add_source_paths(absl::StrCat("/", path));
  return true;
}

bool FromVendorRelease(const ReleaseFile& file, absl::string_view text, v1::OperatingSystem& os) {
  static const LazyRE2 kLine = {R"(^\s*(.*?)\s+release\s+([0-9][0-9.]*)(?:\s*\((.*?)\))?)"};
  absl::string_view first_line = Truncated(text);
  first_line = first_line.substr(0, first_line.find('\n'));
  std::string name, version, codename;
  if (!RE2::PartialMatch(re2::StringPiece(first_line.data(), first_line.size()), *kLine, &name,
                         &version, &codename))
    return false;
  std::string id(file.id);
  if (id.empty()) {
    for (const auto& [prefix, known_id] : kReleaseNames) {
      if (absl::StartsWith(name, prefix)) id = std::string(known_id);
    }
  }
  if (id.empty()) return false;
  os.set_id(id);
  os.set_name(name);
  os.set_version_id(version);
  os.set_pretty_name(std::string(absl::StripAsciiWhitespace(first_line)));
  if (id != "centos" && id != "rhel") os.set_version_codename(absl::AsciiStrToLower(codename));
  os.add_source_paths(absl::StrCat("/", file.path));
  return true;
}

bool FromDebianVersion(absl::string_view path, absl::string_view text, v1::OperatingSystem& os) {
  const std::string content(absl::StripAsciiWhitespace(Truncated(text)));
  if (content.empty()) return false;
  os.set_id("debian");
  os.set_name("Debian GNU/Linux");
  if (absl::ascii_isdigit(content[0])) {
    os.set_version_id(MajorVersion(content));
    os.set_version_codename(DebianCodename(os.version_id()));
  } else {
    // Testing and unstable say "trixie/sid": a codename and no version.
    os.set_version_codename(std::string(content.substr(0, content.find('/'))));
  }
  os.add_source_paths(absl::StrCat("/", path));
  return true;
}

const std::string* Find(const absl::btree_map<std::string, std::string>& files,
                        absl::string_view path) {
  auto it = files.find(std::string(path));
  return it == files.end() ? nullptr : &it->second;
}

// Alpine's os-release says VERSION_ID=3.19_alpha20230901 for edge.
void NormaliseAlpineEdge(v1::OperatingSystem& os) {
  if (os.id() != "alpine") return;
  if (absl::StrContains(os.version_id(), "_alpha") || absl::EndsWith(os.pretty_name(), " edge")) {
    os.set_version_id("edge");
  }
}

// Release files are untrusted bytes; the message's strings must be UTF-8.
void SanitizeStrings(v1::OperatingSystem& os) {
  for (std::string* field :
       {os.mutable_id(), os.mutable_version_id(), os.mutable_version_codename(), os.mutable_name(),
        os.mutable_pretty_name(), os.mutable_cpe_name()}) {
    *field = core::SanitizeUtf8(*field);
  }
  for (std::string& like : *os.mutable_id_like()) like = core::SanitizeUtf8(like);
}

}  // namespace

bool IsOsReleaseFile(absl::string_view path) {
  if (path == "etc/os-release" || path == "usr/lib/os-release" || path == "etc/lsb-release" ||
      path == "etc/alpine-release" || path == "etc/debian_version") {
    return true;
  }
  for (const ReleaseFile& file : kReleaseFiles) {
    if (file.path == path) return true;
  }
  return false;
}

absl::btree_map<std::string, std::string> ParseOsReleaseFields(absl::string_view text) {
  absl::btree_map<std::string, std::string> fields;
  for (absl::string_view line : absl::StrSplit(Truncated(text), '\n')) {
    line = absl::StripAsciiWhitespace(line);
    if (line.empty() || line.front() == '#') continue;
    const size_t equals = line.find('=');
    if (equals == absl::string_view::npos || equals == 0) continue;
    const absl::string_view key = line.substr(0, equals);
    bool valid_key = true;
    for (char c : key) valid_key = valid_key && (absl::ascii_isalnum(c) || c == '_');
    if (!valid_key) continue;
    fields[std::string(key)] = Unquote(line.substr(equals + 1));
  }
  return fields;
}

v1::OperatingSystem DetectOperatingSystem(const absl::btree_map<std::string, std::string>& files) {
  v1::OperatingSystem os;
  bool found = false;
  for (absl::string_view path : {"etc/os-release", "usr/lib/os-release"}) {
    if (const std::string* text = Find(files, path); !found && text != nullptr) {
      found = FromOsRelease(path, *text, os);
    }
  }
  if (const std::string* text = Find(files, "etc/lsb-release"); text != nullptr) {
    v1::OperatingSystem lsb;
    if (FromLsbRelease("etc/lsb-release", *text, lsb)) {
      if (!found) {
        os = lsb;
        found = true;
      } else if (lsb.id() == os.id() && os.version_codename().empty()) {
        os.set_version_codename(lsb.version_codename());
      }
    }
  }
  if (const std::string* text = Find(files, "etc/alpine-release"); !found && text != nullptr) {
    found = FromAlpineRelease("etc/alpine-release", *text, os);
  }
  for (const ReleaseFile& file : kReleaseFiles) {
    if (const std::string* text = Find(files, file.path); !found && text != nullptr) {
      found = FromVendorRelease(file, *text, os);
    }
  }
  if (const std::string* text = Find(files, "etc/debian_version"); text != nullptr) {
    v1::OperatingSystem debian;
    if (FromDebianVersion("etc/debian_version", *text, debian)) {
      if (!found) {
        os = debian;
        found = true;
      } else if (os.id() == "debian" && os.version_codename().empty()) {
        os.set_version_codename(debian.version_codename());
      }
    }
  }
  if (!found) return v1::OperatingSystem();
  SanitizeStrings(os);
  NormaliseAlpineEdge(os);
  os.set_osv_ecosystem(OsvEcosystem(os));
  return os;
}

std::string OsvEcosystem(const v1::OperatingSystem& os) {
  const std::string& id = os.id();
  const std::string& version = os.version_id();
  const std::string major = MajorVersion(version);
  if (id == "debian") return major.empty() ? "" : absl::StrCat("Debian:", major);
  if (id == "ubuntu") {
    if (major.empty()) return "";
    const std::string release = MajorMinorVersion(version);
    int year = 0;
    const bool lts =
        absl::SimpleAtoi(major, &year) && year % 2 == 0 && absl::EndsWith(release, ".04");
    return absl::StrCat("Ubuntu:", release, lts ? ":LTS" : "");
  }
  if (id == "alpine") {
    return major.empty() ? "" : absl::StrCat("Alpine:v", MajorMinorVersion(version));
  }
  if (id == "almalinux") return major.empty() ? "" : absl::StrCat("AlmaLinux:", major);
  if (id == "rocky") return major.empty() ? "" : absl::StrCat("Rocky Linux:", major);
  if (id == "mageia") return major.empty() ? "" : absl::StrCat("Mageia:", major);
  if (id == "opensuse-leap") return absl::StrCat("openSUSE:Leap ", version);
  if (id == "photon") return major.empty() ? "" : absl::StrCat("Photon OS:", major, ".0");
  if (id == "wolfi") return "Wolfi";
  if (id == "chainguard") return "Chainguard";
  return "";
}

}  // namespace bulwark::sbom
