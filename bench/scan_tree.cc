// The secret engine alone over an extracted tree (e.g. `umoci unpack` of an image), the way the
// image scan feeds it: every regular file up to 8 MiB, read whole, skipped when a NUL byte in
// its first 8000 bytes marks it binary, scanned with the built-in rules (or a gitleaks TOML).
//   scan_tree DIR [--no-prefilter] [--rules FILE]
//   <wall seconds> <bytes read> <bytes scanned> <files scanned> <matches> <regex runs> <skipped>
// Symlinks are not followed. Exit status 1 with the error on stderr.
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/image/secrets/gitleaks_toml.h"
#include "bulwark/image/secrets/secret_scanner.h"

namespace secrets = bulwark::secrets;

// The file's bytes, read straight into one buffer of its size (as a layer entry's are).
std::optional<std::string> ReadWhole(const std::filesystem::path& path, uintmax_t size) {
  std::FILE* file = std::fopen(path.c_str(), "rb");
  if (file == nullptr) return std::nullopt;
  std::string content(size, '\0');
  content.resize(std::fread(content.data(), 1, content.size(), file));
  std::fclose(file);
  return content;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: scan_tree DIR [--no-prefilter] [--rules FILE]\n");
    return 2;
  }
  secrets::ScannerOptions options;
  std::string rules_path;
  for (int i = 2; i < argc; ++i) {
    if (std::strcmp(argv[i], "--no-prefilter") == 0) {
      options.keyword_prefilter = false;
    } else if (std::strcmp(argv[i], "--rules") == 0 && i + 1 < argc) {
      rules_path = argv[++i];
    }
  }
  absl::StatusOr<secrets::RuleFile> rules =
      rules_path.empty() ? secrets::ParseGitleaksToml(secrets::BuiltinRulesToml(), "builtin")
                         : secrets::LoadGitleaksTomlFile(rules_path);
  if (!rules.ok()) {
    std::fprintf(stderr, "scan_tree: %s\n", rules.status().ToString().c_str());
    return 1;
  }
  auto scanner = secrets::SecretScanner::Create(*std::move(rules), options);
  if (!scanner.ok()) {
    std::fprintf(stderr, "scan_tree: %s\n", scanner.status().ToString().c_str());
    return 1;
  }
  const std::filesystem::path root(argv[1]);
  const auto start = std::chrono::steady_clock::now();
  secrets::ScanStats stats;
  unsigned long long read_bytes = 0, files = 0, matches = 0;
  std::error_code error;
  for (auto it = std::filesystem::recursive_directory_iterator(
           root, std::filesystem::directory_options::skip_permission_denied, error);
       it != std::filesystem::recursive_directory_iterator(); it.increment(error)) {
    if (error) break;
    if (!it->is_regular_file() || it->is_symlink() || it->file_size() > (8u << 20)) continue;
    std::optional<std::string> content = ReadWhole(it->path(), it->file_size());
    if (!content.has_value()) continue;
    read_bytes += content->size();
    if (std::memchr(content->data(), '\0', std::min<size_t>(content->size(), 8000)) != nullptr) {
      continue;
    }
    // Lexically: std::filesystem::relative canonicalises both paths, a readlink per component.
    const std::string relative = it->path().lexically_relative(root).string();
    if ((*scanner)->PathAllowed(relative)) continue;
    ++files;
    matches += (*scanner)->Scan(*content, relative, &stats).size();
  }
  const std::chrono::duration<double> wall = std::chrono::steady_clock::now() - start;
  std::printf("%.3f\t%llu\t%llu\t%llu\t%llu\t%llu\t%llu\n", wall.count(), read_bytes,
              static_cast<unsigned long long>(stats.bytes), files, matches,
              static_cast<unsigned long long>(stats.regex_runs),
              static_cast<unsigned long long>(stats.regex_skipped));
  return 0;
}
