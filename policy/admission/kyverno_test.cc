#include "bulwark/policy/admission/kyverno_test.h"

#include <algorithm>
#include <filesystem>
#include <utility>

#include "absl/strings/str_cat.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/policy/admission/internal/documents.h"
#include "bulwark/policy/admission/kyverno_cli_inputs.h"
#include "bulwark/policy/admission/policy_set.h"
#include "bulwark/policy/admission/request.h"

namespace bulwark::policy {
namespace {

using internal::StringAt;

// Severity order for combining several results of one policy on one resource (several
// bindings, params or autogen rules): the worst wins.
int Rank(Outcome outcome) {
  switch (outcome) {
    case Outcome::kSkip:
      return 0;
    case Outcome::kPass:
      return 1;
    case Outcome::kWarn:
      return 2;
    case Outcome::kAudit:
      return 3;
    case Outcome::kError:
      return 4;
    case Outcome::kFail:
      return 5;
  }
  return 0;
}

std::string ReportedName(Outcome outcome) {
  return outcome == Outcome::kAudit ? "fail" : std::string(OutcomeName(outcome));
}

struct EvaluatedResource {
  std::string kind;
  std::string namespace_name;
  std::string name;
  std::vector<Result> results;
};

absl::StatusOr<std::vector<std::string>> Paths(const core::Value& manifest, absl::string_view field,
                                               const std::filesystem::path& base) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<std::string> items,
                           internal::StringList(manifest, field, ""));
  for (std::string& item : items) item = (base / item).lexically_normal().string();
  return items;
}

// The path of the single-file field `field` relative to the manifest, or "" when absent.
absl::StatusOr<std::string> OptionalPath(const core::Value& manifest, absl::string_view field,
                                         const std::filesystem::path& base) {
  BULWARK_ASSIGN_OR_RETURN(std::string path, internal::OptionalString(manifest, field, ""));
  if (path.empty()) return path;
  return (base / path).lexically_normal().string();
}

bool NameMatches(const EvaluatedResource& resource, absl::string_view wanted) {
  if (wanted == resource.name) return true;
  return wanted == absl::StrCat(resource.namespace_name, "/", resource.name);
}

TestCaseOutcome Compare(const std::vector<EvaluatedResource>& resources, std::string policy,
                        std::string rule, std::string kind, std::string resource_name,
                        std::string expected) {
  TestCaseOutcome outcome{std::move(policy), std::move(rule), std::move(kind),
                          std::move(resource_name), std::move(expected)};
  const Result* worst = nullptr;
  for (const EvaluatedResource& resource : resources) {
    if ((!outcome.kind.empty() && resource.kind != outcome.kind) ||
        !NameMatches(resource, outcome.resource)) {
      continue;
    }
    for (const Result& result : resource.results) {
      if (result.policy != outcome.policy) continue;
      if (!outcome.rule.empty() && result.rule != outcome.rule &&
          result.outcome != Outcome::kSkip) {
        continue;
      }
      if (worst == nullptr || Rank(result.outcome) > Rank(worst->outcome)) worst = &result;
    }
  }
  if (worst == nullptr) {
    outcome.actual = "notfound";
  } else {
    outcome.actual = ReportedName(worst->outcome);
    outcome.message = worst->message;
  }
  outcome.ok = outcome.actual == outcome.expected ||
               (outcome.expected == "fail" && outcome.actual == "warn");
  return outcome;
}

}  // namespace

absl::StatusOr<TestManifestReport> RunKyvernoTestManifest(const std::string& path,
                                                          const core::Limits& limits) {
  BULWARK_ASSIGN_OR_RETURN(std::vector<core::Value> documents, core::ParseYamlFile(path, limits));
  if (documents.size() != 1 || !documents[0].is_map()) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": expected one Test document (cli.kyverno.io/v1alpha1)"));
  }
  const core::Value& manifest = documents[0];
  std::filesystem::path base = std::filesystem::path(path).parent_path();
  TestManifestReport report;
  report.path = path;
  report.name = StringAt(manifest, "metadata.name");
  if (report.name.empty()) report.name = StringAt(manifest, "name");

  auto with_path = [&path](const absl::Status& status) {
    return absl::Status(status.code(), absl::StrCat(path, ": ", status.message()));
  };
  absl::StatusOr<std::vector<std::string>> policy_paths = Paths(manifest, "policies", base);
  absl::StatusOr<std::vector<std::string>> resource_paths = Paths(manifest, "resources", base);
  absl::StatusOr<std::vector<std::string>> param_paths = Paths(manifest, "paramResources", base);
  absl::StatusOr<std::vector<std::string>> exception_paths = Paths(manifest, "exceptions", base);
  absl::StatusOr<std::vector<std::string>> cluster_paths =
      Paths(manifest, "clusterResources", base);
  for (const auto* paths :
       {&policy_paths, &resource_paths, &param_paths, &exception_paths, &cluster_paths}) {
    if (!paths->ok()) return with_path(paths->status());
  }
  absl::StatusOr<std::string> context_path = OptionalPath(manifest, "context", base);
  absl::StatusOr<std::string> values_path = OptionalPath(manifest, "variables", base);
  absl::StatusOr<std::string> user_info_path = OptionalPath(manifest, "userinfo", base);
  for (const auto* single : {&context_path, &values_path, &user_info_path}) {
    if (!single->ok()) return with_path(single->status());
  }
  policy_paths->insert(policy_paths->end(), exception_paths->begin(), exception_paths->end());
  BULWARK_ASSIGN_OR_RETURN(std::unique_ptr<const PolicySet> policies,
                           PolicySet::Load(*policy_paths, *param_paths, LoadOptions{limits, {}}));
  BULWARK_ASSIGN_OR_RETURN(std::vector<SourceDocument> resource_docs,
                           ReadDocuments(*resource_paths, limits));

  // Inline `values` take precedence over the `variables` file (as in the Kyverno CLI).
  KyvernoValues values;
  if (const core::Value* inline_values = manifest.Find("values");
      inline_values != nullptr && !inline_values->is_null()) {
    absl::StatusOr<KyvernoValues> parsed = ParseKyvernoValues(*inline_values, "values");
    if (!parsed.ok()) return with_path(parsed.status());
    values = *std::move(parsed);
  } else if (!values_path->empty()) {
    BULWARK_ASSIGN_OR_RETURN(values, ReadKyvernoValues(*values_path, limits));
  }
  core::Value user_info;
  if (!user_info_path->empty()) {
    BULWARK_ASSIGN_OR_RETURN(user_info, ReadKyvernoUserInfo(*user_info_path, limits));
  }
  kyverno::ExternalData external_data;
  if (!context_path->empty()) {
    BULWARK_RETURN_IF_ERROR(ReadKyvernoContext(*context_path, external_data, limits));
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<SourceDocument> cluster_docs,
                           ReadDocuments(*cluster_paths, limits));
  for (SourceDocument& doc : cluster_docs) {
    absl::Status added = external_data.AddResource(std::move(doc.document));
    if (!added.ok())
      return absl::InvalidArgumentError(absl::StrCat(doc.source, ": ", added.message()));
  }

  EvaluationContext context;
  context.external_data = &external_data;
  for (const core::Value& ns : values.namespaces) context.namespaces.push_back(&ns);
  for (const SourceDocument& doc : resource_docs) {
    if (StringAt(doc.document, "kind") == "Namespace") context.namespaces.push_back(&doc.document);
  }
  std::vector<EvaluatedResource> evaluated;
  for (const SourceDocument& doc : resource_docs) {
    absl::StatusOr<AdmissionRequest> request =
        KyvernoCliRequest(doc.document, values.operation, user_info);
    if (!request.ok()) {
      return absl::InvalidArgumentError(absl::StrCat(doc.source, ": ", request.status().message()));
    }
    evaluated.push_back({request->kind.kind, request->namespace_name, request->name,
                         policies->Evaluate(*request, context)});
  }

  BULWARK_ASSIGN_OR_RETURN(const core::ValueList* results,
                           internal::OptionalList(manifest, "results", ""));
  if (results == nullptr) return report;
  for (size_t i = 0; i < results->size(); ++i) {
    const core::Value& item = (*results)[i];
    std::string where = absl::StrCat("results[", i, "]");
    if (!item.is_map()) return with_path(internal::FieldError(where, item, "expected a map"));
    std::string policy = StringAt(item, "policy");
    std::string expected = StringAt(item, "result");
    if (expected.empty()) expected = StringAt(item, "status");  // deprecated spelling
    if (policy.empty() || expected.empty()) {
      return with_path(internal::FieldError(where, item, "policy and result are required"));
    }
    if (expected != "pass" && expected != "fail" && expected != "warn" && expected != "error" &&
        expected != "skip") {
      return with_path(internal::FieldError(
          absl::StrCat(where, ".result"), item,
          absl::StrCat("expected pass, fail, warn, error or skip, got '", expected, "'")));
    }
    absl::StatusOr<std::vector<std::string>> names = internal::StringList(item, "resources", where);
    if (!names.ok()) return with_path(names.status());
    if (std::string single = StringAt(item, "resource"); !single.empty()) {
      std::string ns = StringAt(item, "namespace");
      names->push_back(ns.empty() ? single : absl::StrCat(ns, "/", single));
    }
    for (const std::string& name : *names) {
      TestCaseOutcome outcome = Compare(evaluated, policy, StringAt(item, "rule"),
                                        StringAt(item, "kind"), name, expected);
      if (!outcome.ok) ++report.mismatches;
      report.cases.push_back(std::move(outcome));
    }
  }
  return report;
}

absl::StatusOr<std::vector<TestManifestReport>> RunKyvernoTests(const std::string& directory,
                                                                absl::string_view file_name,
                                                                const core::Limits& limits) {
  std::vector<std::string> manifests;
  std::error_code error;
  if (!std::filesystem::is_directory(directory, error)) {
    return absl::NotFoundError(absl::StrCat(directory, ": not a directory"));
  }
  std::filesystem::recursive_directory_iterator it(directory, error), end;
  for (; !error && it != end; it.increment(error)) {
    if (it->path().filename().string() == file_name && it->is_regular_file(error)) {
      manifests.push_back(it->path().string());
    }
  }
  if (error) return absl::InvalidArgumentError(absl::StrCat(directory, ": ", error.message()));
  if (manifests.empty()) {
    return absl::NotFoundError(absl::StrCat("no ", file_name, " under ", directory));
  }
  std::sort(manifests.begin(), manifests.end());
  std::vector<TestManifestReport> reports;
  for (const std::string& manifest : manifests) {
    BULWARK_ASSIGN_OR_RETURN(TestManifestReport report, RunKyvernoTestManifest(manifest, limits));
    reports.push_back(std::move(report));
  }
  return reports;
}

}  // namespace bulwark::policy
