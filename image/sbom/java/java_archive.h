// Reads the package metadata of Java archives (jar, war, ear and their plugin variants, also
// archives nested inside them) through libarchive's zip reader, without extracting anything:
// every META-INF/maven/**/pom.properties and the main section of META-INF/MANIFEST.MF.
//   BULWARK_ASSIGN_OR_RETURN(JavaArchiveContents jar, ReadJavaArchive(bytes, "app/lib/x.jar"));
//   for (const JavaArchive& a : jar.archives)
//     for (const PomProperties& pom : a.pom_properties) std::cout << pom.artifact_id << "\n";
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_SBOM_JAVA_JAVA_ARCHIVE_H_
#define BULWARK_IMAGE_SBOM_JAVA_JAVA_ARCHIVE_H_

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"

namespace bulwark::sbom {

// The main section of a JAR manifest, attributes in file order (JAR File Specification).
struct JavaManifest {
  std::vector<std::pair<std::string, std::string>> attributes;
  // The value of attribute `name` (names compare case-insensitively, the last one wins, as in
  // java.util.jar.Attributes), or "" when absent.
  std::string Get(absl::string_view name) const;
};

// One META-INF/maven/<group>/<artifact>/pom.properties file (written by Maven at package time).
struct PomProperties {
  std::string path;  // Entry path inside its archive.
  std::string group_id;
  std::string artifact_id;
  std::string version;
  // Every property in file order (Maven writes only the three above; other tools add more).
  std::vector<std::pair<std::string, std::string>> properties;
};

// One archive: the file itself or an archive nested in it.
struct JavaArchive {
  // The file's path, then "!/" and the entry path for each level of nesting, as in jar: URLs
  // ("app.war!/WEB-INF/lib/guava.jar").
  std::string path;
  std::optional<JavaManifest> manifest;
  // All pom.properties in entry order; a shaded ("uber") jar has several.
  std::vector<PomProperties> pom_properties;
};

struct JavaArchiveOptions {
  // max_entries caps entries per archive; max_file_bytes caps a nested archive read into
  // memory; max_total_bytes caps all bytes decompressed in one call (the zip-bomb guard).
  core::Limits limits;
  // Archives inside archives followed at most this deep (the file itself is depth 0).
  // Default: 4.
  uint32_t max_nesting = 4;
  // Manifests and pom.properties larger than this are skipped with a warning. Default: 1 MiB.
  uint64_t max_metadata_bytes = 1 << 20;
};

struct JavaArchiveContents {
  std::vector<JavaArchive> archives;  // The file first, then nested archives depth-first.
  std::vector<std::string> warnings;  // Skipped entries and repaired text, each naming its path.
};

// True for names ending in .jar, .war, .ear, .jpi, .hpi, .par, .sar, .rar, .nar, .kar, .lpkg
// (case-insensitive), the zip-based Java archive kinds cataloged.
bool IsJavaArchiveName(absl::string_view path);

// Reads the archive in `bytes`, named `path` in results and messages. Errors: InvalidArgument
// when the top-level file is not a readable zip archive; ResourceExhausted past a limit. Broken
// nested archives, entries and metadata files are warnings.
absl::StatusOr<JavaArchiveContents> ReadJavaArchive(absl::string_view bytes, absl::string_view path,
                                                    const JavaArchiveOptions& options = {});

// Parses a manifest's main section: "Name: value" lines, continuation lines starting with one
// space, ending at the first empty line. Lines without ": " are skipped with a warning naming
// `source` and the line number. Invalid UTF-8 is replaced.
JavaManifest ParseJavaManifest(absl::string_view text, absl::string_view source,
                               std::vector<std::string>* warnings);

// Parses a java.util.Properties text file (ISO 8859-1 with \uXXXX escapes, '#'/'!' comments,
// "key=value", "key: value" or "key value", backslash line continuations) into UTF-8 pairs in
// file order.
std::vector<std::pair<std::string, std::string>> ParseJavaProperties(absl::string_view text);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_JAVA_JAVA_ARCHIVE_H_
