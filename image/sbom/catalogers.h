// The catalogers Bulwark ships. Each returns a new, stateless, immutable Cataloger (see
// cataloger.h for the interface; catalog.h for how they are run).
//   std::vector<std::unique_ptr<const Cataloger>> all = DefaultCatalogers();
// Thread safety: the returned catalogers may be shared across threads.
#ifndef BULWARK_IMAGE_SBOM_CATALOGERS_H_
#define BULWARK_IMAGE_SBOM_CATALOGERS_H_

#include <memory>
#include <vector>

#include "bulwark/core/limits.h"
#include "bulwark/image/sbom/cataloger.h"

namespace bulwark::sbom {

// dpkg: var/lib/dpkg/status and status.d/* (distroless) stanzas that dpkg-query lists (every
// state but not-installed), with source package and version, maintainer and status; facts from
// var/lib/dpkg/info/<name>[:<arch>].list (installed files) and usr/share/doc/<name>/copyright
// (License: fields of machine-readable copyright files, common-licenses references otherwise).
std::unique_ptr<const Cataloger> NewDpkgCataloger();

// apk: lib/apk/db/installed (name, version, arch, license, origin, maintainer, files).
std::unique_ptr<const Cataloger> NewApkCataloger();

// Python: <name>-<version>.dist-info/METADATA and .egg-info/PKG-INFO (or an .egg-info file)
// anywhere (site-packages, Debian's dist-packages).
std::unique_ptr<const Cataloger> NewPythonCataloger();

// JavaScript installed packages: node_modules/<name>/package.json and
// node_modules/@scope/<name>/package.json at any depth.
std::unique_ptr<const Cataloger> NewNpmInstalledCataloger();

// JavaScript lock files: package-lock.json (v1-v3), npm-shrinkwrap.json, yarn.lock (classic and
// berry), pnpm-lock.yaml; outside node_modules.
std::unique_ptr<const Cataloger> NewJavaScriptLockCataloger();

// Rust Cargo.lock; Ruby specifications/*.gemspec and Gemfile.lock; PHP composer.lock and
// vendor/composer/installed.json.
std::unique_ptr<const Cataloger> NewCargoLockCataloger();
std::unique_ptr<const Cataloger> NewRubyCataloger();
std::unique_ptr<const Cataloger> NewComposerCataloger();

// rpm: the rpm database in its three formats (var/lib/rpm/Packages, Packages.db, rpmdb.sqlite,
// also under usr/lib/sysimage/rpm): name, epoch, version-release, arch, source rpm, license,
// vendor, modularity label, files, provides/requires. Files up to limits.max_file_bytes.
std::unique_ptr<const Cataloger> NewRpmCataloger(const core::Limits& limits = {});

// Go executables: ELF files with an execute bit, at most limits.max_file_bytes, holding the Go
// build ID note in their first 32 KiB (others are read no further), whose embedded build info
// gives the main module, the dependency modules (replacements applied) and the
// toolchain as the module "stdlib".
std::unique_ptr<const Cataloger> NewGoBinaryCataloger(const core::Limits& limits = {});

// Rust executables built with cargo-auditable: the crates of their .dep-v0 section, from ELF
// files with an execute bit of at most 16 MiB (read whole: nothing earlier tells Rust apart).
std::unique_ptr<const Cataloger> NewCargoAuditableCataloger(const core::Limits& limits = {});

// Java archives (jar, war, ear, ...; nested ones too): every pom.properties as group:artifact,
// or the manifest and file name when there is none. Archives up to limits.max_file_bytes.
std::unique_ptr<const Cataloger> NewJavaArchiveCataloger(const core::Limits& limits = {});

// All of the above; `limits` caps what the rpm, executable and Java catalogers read.
std::vector<std::unique_ptr<const Cataloger>> DefaultCatalogers(const core::Limits& limits = {});

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CATALOGERS_H_
