// Alpine's secdb "secfixes" documents (alpinelinux/alpine-secdb: distroversion, packages[].pkg
// {name, secfixes: {fixed-version: [CVE, ...]}}) turned into OSV records: one record per
// (CVE, package) with ecosystem "Alpine:<distroversion>" and an ECOSYSTEM range
// introduced "0", fixed <version>. A fixed version of "0" means "never affected" and is skipped.
// Thread safety: pure function.
#ifndef BULWARK_IMAGE_VULN_ALPINE_SECDB_H_
#define BULWARK_IMAGE_VULN_ALPINE_SECDB_H_

#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

// True when `document` has the secdb shape (a map with "distroversion" and "packages").
bool IsAlpineSecdb(const core::Value& document);

// Errors: InvalidArgument "<source>:<line>:<column>: <field path>: <problem>".
absl::StatusOr<std::vector<v1::Record>> ConvertAlpineSecdb(const core::Value& document,
                                                           absl::string_view source);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_ALPINE_SECDB_H_
