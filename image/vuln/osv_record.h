// Reading one OSV record (schema 1.x, JSON or YAML, as a core::Value) into bulwark.vuln.v1.Record.
//   std::vector<std::string> warnings;
//   BULWARK_ASSIGN_OR_RETURN(v1::Record r, ParseOsvRecord(value, "GO-2023-1234.json", &warnings));
// Fields Bulwark does not use (references, credits) are ignored. GIT ranges are dropped and
// counted in *git_ranges_skipped; affected[] entries without a package (nothing to match by
// name) are dropped. Thread safety: pure function.
#ifndef BULWARK_IMAGE_VULN_OSV_RECORD_H_
#define BULWARK_IMAGE_VULN_OSV_RECORD_H_

#include <cstdint>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/value.h"
#include "bulwark/image/vuln/osv.pb.h"

namespace bulwark::vuln {

// Errors: InvalidArgument "<source>:<line>:<column>: <field path>: <problem>" for a record that
// breaks the schema where Bulwark depends on it (id, affected[].package, ranges, events, types
// of the fields read). `git_ranges_skipped` may be null.
absl::StatusOr<v1::Record> ParseOsvRecord(const core::Value& document, absl::string_view source,
                                          uint64_t* git_ranges_skipped);

}  // namespace bulwark::vuln

#endif  // BULWARK_IMAGE_VULN_OSV_RECORD_H_
