// Trivy's database fixtures (aquasecurity/trivy integration/testdata/fixtures/db: YAML lists of
// `bucket: "<distribution> <release>"` with `pairs` of package buckets whose `pairs` are
// `key: <vulnerability ID>`, `value: {FixedVersion, VendorIDs, Status, ...}`) turned into OSV
// records, so that the distribution shapes Trivy tests with load like OSV data: one record per
// (vulnerability, distribution release, package) with an ECOSYSTEM range introduced "0" and
// fixed <FixedVersion> (no fixed event when there is none: not fixed yet); VendorIDs (DSA-...)
// become `related`. Status 1 (not affected) entries are left out.
// Distribution buckets read: "debian N" (Debian:N), "ubuntu X" (Ubuntu:X), "alpine X"
// (Alpine:vX), "alma N" (AlmaLinux:N), "rocky N" (Rocky Linux:N). Other buckets (language
// advisories with version constraints, Red Hat CPE maps, vulnerability details) are counted in
// `skipped_buckets` and not read.
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_VULN_TRIVY_FIXTURE_H_
#define BULWARK_IMAGE_VULN_TRIVY_FIXTURE_H_

#include <cstdint>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

// True when `document` is a non-empty list of maps that each have "bucket" and "pairs".
bool IsTrivyFixture(const core::Value& document);

// Errors: InvalidArgument "<source>:<line>:<column>: <field path>: <problem>" for a distribution
// bucket that breaks the shape. `skipped_buckets` may be null.
absl::StatusOr<std::vector<v1::Record>> ConvertTrivyFixture(const core::Value& document,
                                                            absl::string_view source,
                                                            uint64_t* skipped_buckets);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_TRIVY_FIXTURE_H_
