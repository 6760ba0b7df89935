// Invariants the SBOM fuzzers check on whatever a cataloger parsed: every string is valid UTF-8
// (it goes into protobuf strings and JSON), names and versions are plain tokens, and the
// CycloneDX, SPDX and Bulwark JSON writers produce JSON that reads back. Aborts on a violation.
#ifndef BULWARK_TESTS_FUZZ_SBOM_CHECKS_H_
#define BULWARK_TESTS_FUZZ_SBOM_CHECKS_H_

#include <cstdlib>
#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/string_view.h"
#include "absl/time/time.h"
#include "bulwark/core/document.h"
#include "bulwark/core/utf8.h"
#include "bulwark/image/sbom/cataloger.h"
#include "bulwark/image/sbom/internal/text.h"
#include "bulwark/image/sbom/purl.h"
#include "bulwark/image/sbom/sbom_writer.h"

namespace bulwark::sbom::fuzzing {

inline void CheckUtf8(absl::string_view text) {
  if (!core::IsValidUtf8(text)) std::abort();
}

// Parses `content` as `path` with `cataloger` and checks the result.
inline void ParseAndCheck(const Cataloger& cataloger, absl::string_view path,
                          absl::string_view content) {
  absl::StatusOr<ParsedFile> parsed = cataloger.Parse(path, content);
  if (!parsed.ok()) return;
  v1::Sbom sbom;
  sbom.mutable_os()->set_id("debian");
  sbom.mutable_os()->set_version_id("12");
  for (v1::Package& package : parsed->packages) {
    if (!internal::IsPlainToken(package.name())) std::abort();
    if (!package.version().empty() && !internal::IsPlainToken(package.version())) std::abort();
    package.set_purl(PackageUrl(package, sbom.os()));
    *sbom.add_packages() = package;
  }
  for (const PackageFacts& facts : parsed->facts) {
    CheckUtf8(facts.package_name);
    for (const std::string& license : facts.licenses) CheckUtf8(license);
    for (const std::string& file : facts.files) CheckUtf8(file);
  }
  for (const v1::Diversion& diversion : parsed->diversions) {
    CheckUtf8(diversion.path());
    CheckUtf8(diversion.diverted_to());
    CheckUtf8(diversion.package());
    *sbom.add_diversions() = diversion;
  }
  // Conditional requirements (Python markers), decided as for an amd64 image with Python 3.11.
  v1::Package python;
  python.set_type("deb");
  python.set_name("python3");
  python.set_version("3.11.2-1+b1");
  const v1::Package* const packages[] = {&python};
  const std::unique_ptr<const RequirementFilter> filter =
      cataloger.NewRequirementFilter({"amd64", "", packages});
  auto decide = [&](const PackageRelations& relations) {
    if (filter == nullptr) return;
    for (const std::string& condition : relations.conditions) {
      (void)filter->Applies(absl::StrCat("/", path), condition);
    }
  };
  for (const PackageRelations& relations : parsed->relations) decide(relations);
  for (const PackageFacts& facts : parsed->facts) decide(facts.relations);
  // The writers are slow under the sanitizers; run them only when there is something to write.
  if (sbom.packages().empty()) return;
  WriterOptions options;
  options.created = absl::UnixEpoch();
  if (!core::ParseJson(SbomToCycloneDx(sbom, CycloneDxVersion::k1_6, options)).ok()) std::abort();
  if (!core::ParseJson(SbomToSpdx(sbom, options)).ok()) std::abort();
  absl::StatusOr<std::string> json = SbomToJson(sbom);
  if (!json.ok() || !SbomFromJson(*json).ok()) std::abort();
  CheckUtf8(SbomToTable(sbom));
}

}  // namespace bulwark::sbom::fuzzing

#endif  // BULWARK_TESTS_FUZZ_SBOM_CHECKS_H_
