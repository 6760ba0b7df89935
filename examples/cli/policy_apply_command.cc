// `bulwark policy apply`: evaluates ValidatingAdmissionPolicies (with bindings and params) and
// Kyverno ValidatingPolicies against resource files offline, one result per (policy, binding,
// resource); or answers an AdmissionReview.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/examples/cli/text_table.h"
#include "bulwark/policy/admission/admission_review.h"
#include "bulwark/policy/admission/kyverno_cli_inputs.h"
#include "bulwark/policy/admission/policy_set.h"

namespace bulwark::cli {
namespace {

// Comma-separated paths of a repeatable flag (the flag parser keeps one value per flag).
std::vector<std::string> PathList(const ParsedArgs& args, absl::string_view flag) {
  std::vector<std::string> paths;
  if (const std::string* value = args.Find(flag)) {
    paths = absl::StrSplit(*value, ',', absl::SkipEmpty());
  }
  return paths;
}

std::string Actions(const policy::Result& result) {
  return absl::StrJoin(result.validation_actions, ",");
}

absl::StatusOr<ExitCode> AnswerReview(const policy::PolicySet& policies, const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<policy::SourceDocument> reviews,
                           policy::ReadDocuments({path}));
  bool denied = false;
  for (const policy::SourceDocument& review : reviews) {
    absl::StatusOr<core::Value> response = policy::ReviewAdmission(policies, review.document);
    if (!response.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(review.source, ": ", response.status().message()));
    }
    const core::Value* allowed = response->Find("response")->Find("allowed");
    denied = denied || !allowed->bool_value();
    WriteToStdout(absl::StrCat(ValidUtf8(response->ToJson()), "\n"));
  }
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return denied ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace

absl::StatusOr<ExitCode> RunPolicyApply(const ParsedArgs& args) {
  std::vector<std::string> policy_paths = PathList(args, "policy");
  for (const std::string& positional : args.positional) policy_paths.push_back(positional);
  if (policy_paths.empty()) return absl::InvalidArgumentError("--policy FILE_OR_DIR is required");
  std::string format = args.Find("format") ? *args.Find("format") : "table";
  if (format != "table" && format != "json") {
    return absl::InvalidArgumentError(
        absl::StrCat("--format: expected table or json, got '", format, "'"));
  }
  for (const std::string& path : PathList(args, "exception")) policy_paths.push_back(path);
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const policy::PolicySet> policies,
                           policy::PolicySet::Load(policy_paths, PathList(args, "param")));
  if (const std::string* review = args.Find("review")) return AnswerReview(*policies, *review);

  std::vector<std::string> resource_paths = PathList(args, "resource");
  if (resource_paths.empty()) {
    return absl::InvalidArgumentError("--resource FILE_OR_DIR (or --review FILE) is required");
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<policy::SourceDocument> resources,
                           policy::ReadDocuments(resource_paths));
  policy::KyvernoValues values;
  if (const std::string* path = args.Find("values")) {
    BULWARK_ASSIGN_OR_RETURN(values, policy::ReadKyvernoValues(*path));
  }
  core::Value user_info;
  if (const std::string* path = args.Find("userinfo")) {
    BULWARK_ASSIGN_OR_RETURN(user_info, policy::ReadKyvernoUserInfo(*path));
  }
  policy::kyverno::ExternalData external_data;
  if (const std::string* path = args.Find("context")) {
    BULWARK_RETURN_IF_ERROR(policy::ReadKyvernoContext(*path, external_data));
  }
  policy::EvaluationContext context;
  context.external_data = &external_data;
  for (const core::Value& ns : values.namespaces) context.namespaces.push_back(&ns);
  for (const policy::SourceDocument& resource : resources) {
    const core::Value* kind = resource.document.Find("kind");
    if (kind != nullptr && kind->is_string() && kind->string_value() == "Namespace") {
      context.namespaces.push_back(&resource.document);
    }
  }
  bool denied = false;
  std::vector<std::vector<std::string>> rows = {
      {"POLICY", "BINDING", "RESOURCE", "RESULT", "ACTIONS", "MESSAGE"}};
  core::ValueList json;
  for (const policy::SourceDocument& resource : resources) {
    absl::StatusOr<policy::AdmissionRequest> request =
        policy::KyvernoCliRequest(resource.document, values.operation, user_info);
    if (!request.ok()) {
      return absl::InvalidArgumentError(
          absl::StrCat(resource.source, ": ", request.status().message()));
    }
    for (const policy::Result& result : policies->Evaluate(*request, context)) {
      denied = denied || result.Denies();
      if (format == "json") {
        core::Value doc = result.ToDocument();
        core::ValueMap map = doc.map_value();
        map.push_back({"source", core::Value(resource.source)});
        json.emplace_back(std::move(map));
        continue;
      }
      std::string binding = result.binding;
      if (!result.rule.empty()) binding = result.rule;
      if (!result.param.empty()) absl::StrAppend(&binding, " (", result.param, ")");
      rows.push_back({result.policy, binding, result.resource,
                      std::string(policy::OutcomeName(result.outcome)), Actions(result),
                      result.message});
    }
  }
  if (format == "json") {
    WriteToStdout(absl::StrCat(ValidUtf8(core::Value(std::move(json)).ToJson()), "\n"));
  } else {
    WriteToStdout(FormatTable(rows));
  }
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return denied ? ExitCode::kFindingsAtOrAboveFailOn : ExitCode::kOk;
}

}  // namespace bulwark::cli
