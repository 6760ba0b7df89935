// Runs Kyverno CLI test manifests (`kyverno-test.yaml`, cli.kyverno.io/v1alpha1 Test) offline:
// loads the listed policies, exceptions, resources and paramResources relative to the manifest,
// the `context` file and `clusterResources` (served to Kyverno's resource.Get/List,
// globalContext.Get, image.GetMetadata), the `variables` values file or inline `values`
// (namespaces, namespaceSelector labels, request.operation) and the `userinfo` file
// (request.userInfo), evaluates every resource and compares the expected results (pass, fail,
// warn, error, skip; excepted resources report skip).
//   BULWARK_ASSIGN_OR_RETURN(std::vector<TestManifestReport> reports, RunKyvernoTests("tests/"));
//   for (const auto& report : reports) if (report.mismatches > 0) ...
// Thread safety: reentrant.
#ifndef BULWARK_POLICY_ADMISSION_KYVERNO_TEST_H_
#define BULWARK_POLICY_ADMISSION_KYVERNO_TEST_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"

namespace bulwark::policy {

// One expected result for one resource.
struct TestCaseOutcome {
  std::string policy;
  std::string rule;      // "" unless the manifest names one
  std::string kind;      // resource kind
  std::string resource;  // as written in the manifest: "name" or "namespace/name"
  std::string expected;  // pass, fail, warn, error or skip
  std::string actual;    // the same names, or "notfound" when no such resource/policy result
  std::string message;   // the evaluation's message, if any
  bool ok = false;       // expected == actual (an expected fail also accepts warn)
};

struct TestManifestReport {
  std::string path;  // the manifest file
  std::string name;  // metadata.name or the deprecated top-level name
  std::vector<TestCaseOutcome> cases;
  size_t mismatches = 0;
};

// Finds every file named `file_name` under `directory` (recursively, in path order) and runs it.
// A FAIL outcome and an AUDIT outcome both report "fail" (as Kyverno's reports do); skip means
// not matched. Errors: NotFound when no manifest exists; InvalidArgument naming the manifest
// for malformed manifests, policies or resources.
absl::StatusOr<std::vector<TestManifestReport>> RunKyvernoTests(
    const std::string& directory, absl::string_view file_name = "kyverno-test.yaml",
    const core::Limits& limits = {});

// Runs one manifest file.
absl::StatusOr<TestManifestReport> RunKyvernoTestManifest(const std::string& path,
                                                          const core::Limits& limits = {});

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_KYVERNO_TEST_H_
