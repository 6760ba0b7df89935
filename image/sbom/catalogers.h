// The catalogers Bulwark ships. Each returns a new, stateless, immutable Cataloger (see
// cataloger.h for the interface; catalog.h for how they are run).
//   std::vector<std::unique_ptr<const Cataloger>> all = DefaultCatalogers();
// Thread safety: the returned catalogers may be shared across threads.
#ifndef BULWARK_IMAGE_SBOM_CATALOGERS_H_
#define BULWARK_IMAGE_SBOM_CATALOGERS_H_

#include <memory>
#include <vector>

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

// All of the above.
std::vector<std::unique_ptr<const Cataloger>> DefaultCatalogers();

}  // namespace bulwark::sbom

#endif  // BULWARK_IMAGE_SBOM_CATALOGERS_H_
