// The Kyverno CLI's extra inputs for CEL policies, read as `kyverno apply` / `kyverno test` read
// them: the values file (cli.kyverno.io/v1alpha1 Values: `namespaces`, `namespaceSelector`,
// `globalValues["request.operation"]`), the user info file (cli.kyverno.io/v1alpha1 UserInfo:
// `userInfo` becomes request.userInfo) and the context file (cli.kyverno.io/v1alpha1 Context,
// see kyverno::ExternalData).
//   BULWARK_ASSIGN_OR_RETURN(KyvernoValues values, ReadKyvernoValues("values.yaml"));
//   BULWARK_ASSIGN_OR_RETURN(core::Value user, ReadKyvernoUserInfo("user_info.yaml"));
//   BULWARK_ASSIGN_OR_RETURN(AdmissionRequest request,
//                            KyvernoCliRequest(object, values.operation, user));
// Thread safety: stateless functions.
#ifndef BULWARK_POLICY_ADMISSION_KYVERNO_CLI_INPUTS_H_
#define BULWARK_POLICY_ADMISSION_KYVERNO_CLI_INPUTS_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"
#include "bulwark/policy/admission/request.h"
#include "bulwark/policy/kyverno/external_data.h"

namespace bulwark::policy {

struct KyvernoValues {
  // Namespace objects for namespaceSelector and namespaceObject: `namespaces` as written, then
  // a Namespace with the given labels for each `namespaceSelector` entry not also among them.
  std::vector<core::Value> namespaces;
  // globalValues["request.operation"]: CREATE (default), UPDATE (oldObject = object) or DELETE
  // (the object becomes oldObject).
  std::string operation = "CREATE";
};

// Reads a Values document (kind Values, or the same fields inline as kyverno-test's `values`).
// Per-policy, per-rule and per-resource values and `variables` only feed JMESPath policies,
// which Bulwark does not evaluate; they are accepted and ignored. Errors: InvalidArgument
// naming `source`, the field and its line:column.
absl::StatusOr<KyvernoValues> ParseKyvernoValues(const core::Value& values,
                                                 absl::string_view source);
absl::StatusOr<KyvernoValues> ReadKyvernoValues(const std::string& path,
                                                const core::Limits& limits = {});

// The request.userInfo of a UserInfo document (its `userInfo`: username, uid, groups, extra).
// Errors: InvalidArgument when the document is not a UserInfo or userInfo is not a map.
absl::StatusOr<core::Value> ParseKyvernoUserInfo(const core::Value& document,
                                                 absl::string_view source);
absl::StatusOr<core::Value> ReadKyvernoUserInfo(const std::string& path,
                                                const core::Limits& limits = {});

// Adds every Context document of `path` (see kyverno::ExternalData::AddContextDocument).
absl::Status ReadKyvernoContext(const std::string& path, kyverno::ExternalData& data,
                                const core::Limits& limits = {});

// The request the Kyverno CLI makes for `object`: RequestForObject with `operation` (UPDATE
// also sets oldObject to the object) and `user_info` (null: unknown).
absl::StatusOr<AdmissionRequest> KyvernoCliRequest(const core::Value& object,
                                                   absl::string_view operation,
                                                   const core::Value& user_info);

}  // namespace bulwark::policy

#endif  // BULWARK_POLICY_ADMISSION_KYVERNO_CLI_INPUTS_H_
