// The build information the Go toolchain embeds in every executable (what `go version -m`
// prints): Go version, main package path, main module, dependency modules with versions, sums and
// replacements, and build settings. Read from the bytes of ELF, PE (Windows) and 64-bit Mach-O
// (macOS) executables; nothing is executed.
//   auto info = ReadGoBuildInfo(bytes, "usr/bin/buf");
//   if (absl::IsNotFound(info.status())) return;  // Not a Go binary.
//   for (const GoModule& dep : info->deps) std::cout << dep.path << "@" << dep.version << "\n";
// Thread safety: plain value types and pure functions.
#ifndef BULWARK_IMAGE_SBOM_GOBINARY_GO_BUILDINFO_H_
#define BULWARK_IMAGE_SBOM_GOBINARY_GO_BUILDINFO_H_

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"

namespace bulwark::sbom {

// A module as `go version -m` lists it (runtime/debug.Module).
struct GoModuleVersion {
  std::string path;     // "golang.org/x/net", or a directory for local replacements.
  std::string version;  // "v0.21.0", "(devel)" for the main module built from a checkout.
  std::string sum;      // "h1:<base64>" go.sum hash; "" when unknown.
};

struct GoModule : GoModuleVersion {
  std::optional<GoModuleVersion> replace;  // From a "=>" line (go.mod replace directive).
};

struct GoBuildInfo {
  std::string go_version;        // "go1.21.5", as the runtime's buildVersion.
  std::string path;              // Main package path ("github.com/bufbuild/buf/cmd/buf").
  std::optional<GoModule> main;  // Absent for GOPATH-mode builds.
  std::vector<GoModule> deps;
  // Build settings in order ("-compiler"="gc", "CGO_ENABLED"="0", "vcs.revision"=...).
  std::vector<std::pair<std::string, std::string>> settings;
};

// Parses the module-info text block (the lines "path", "mod", "dep", "=>", "build", as
// runtime/debug.ParseBuildInfo reads them; quoted build keys and values are unquoted).
// Errors: InvalidArgument naming `source` and the line for a malformed line.
absl::StatusOr<GoBuildInfo> ParseGoModInfo(absl::string_view text, absl::string_view source);

// Finds the build info where Go's debug/buildinfo looks, searching the first 64 KiB there for
// the magic "\xff Go buildinf:" at 16-byte alignment:
// - ELF: the ".go.buildinfo" section, or else (stripped section headers) the first writable,
//   non-executable PT_LOAD segment;
// - PE (PE32, PE32+): the first section of initialised, readable, writable data (".data");
// - Mach-O (64-bit): the "__go_buildinfo" section, or else the first read-write segment.
// Decodes both the Go >= 1.18 inline format (varint-prefixed strings) and the older format
// (pointers to Go string headers, 4- or 8-byte, either byte order), following pointers through
// the format's segment or section table.
// Errors: NotFound for a file in none of these formats or without Go build info;
// InvalidArgument naming `source` for damaged headers or build info.
absl::StatusOr<GoBuildInfo> ReadGoBuildInfo(absl::string_view bytes, absl::string_view source);

// True when `head`, the first bytes of a file (32 KiB suffice; fewer when the file is shorter),
// is an ELF file whose program headers include a PT_NOTE segment inside `head` holding the Go
// build ID note (owner "Go", type 4: .note.go.buildid). The go command writes it into every
// executable, internally or externally linked, near the start of the file, where `go tool
// buildid` looks for it; so this tells Go executables apart without reading the rest.
bool HasGoBuildIdNote(absl::string_view head);

// HasGoBuildIdNote, or `head` is a PE or 64-bit Mach-O file holding the build ID the Go linker
// puts at the start of the text ("\xff Go build ID: \""), where `go tool buildid` finds it
// (offset 0x600 in PE, the first text page in Mach-O: within 32 KiB).
bool HasGoBuildId(absl::string_view head);

// Unquotes a Go string literal: "..." with Go's escapes (\n \t \x41 \u00e9 \101 ...) or `raw`.
// Errors: InvalidArgument for anything that strconv.Unquote rejects.
absl::StatusOr<std::string> UnquoteGoString(absl::string_view quoted);

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_GOBINARY_GO_BUILDINFO_H_
