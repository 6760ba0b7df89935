#include "bulwark/image/sign/intoto.h"

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "absl/strings/str_join.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"

namespace bulwark::sign {
namespace {

std::string StringAt(const core::Value& root, absl::string_view path) {
  absl::StatusOr<const core::Value*> value = root.Lookup(path);
  if (!value.ok() || !(*value)->is_string()) return "";
  return (*value)->string_value();
}

absl::Status Invalid(absl::string_view source, const core::Value& at, absl::string_view path,
                     absl::string_view problem) {
  return absl::InvalidArgumentError(
      absl::StrCat(source, ":", at.position().ToString(), ": ", path, ": ", problem));
}

std::map<std::string, std::string> DigestMap(const core::Value* digest) {
  std::map<std::string, std::string> out;
  if (digest == nullptr || !digest->is_map()) return out;
  for (const core::MapEntry& entry : digest->map_value()) {
    if (entry.value.is_string()) out[entry.key] = entry.value.string_value();
  }
  return out;
}

std::vector<Subject> ResourceList(const core::Value* list, absl::string_view name_key) {
  std::vector<Subject> out;
  if (list == nullptr || !list->is_list()) return out;
  for (const core::Value& item : list->list_value()) {
    const core::Value* name = item.Find(name_key);
    out.push_back({name != nullptr && name->is_string() ? name->string_value() : "",
                   DigestMap(item.Find("digest"))});
  }
  return out;
}

}  // namespace

absl::StatusOr<Statement> ParseStatement(absl::string_view json, const core::Limits& limits,
                                         absl::string_view source) {
  BULWARK_ASSIGN_OR_RETURN(core::Value root, core::ParseJson(json, limits, source));
  if (!root.is_map()) return Invalid(source, root, "$", "not an object");
  Statement statement;
  statement.type = StringAt(root, "_type");
  if (statement.type != kStatementV01 && statement.type != kStatementV1) {
    return Invalid(source, root, "_type",
                   absl::StrCat("not an in-toto Statement type: \"", statement.type, "\""));
  }
  statement.predicate_type = StringAt(root, "predicateType");
  const core::Value* subjects = root.Find("subject");
  if (subjects == nullptr || !subjects->is_list() || subjects->list_value().empty()) {
    return Invalid(source, root, "subject", "missing or empty");
  }
  for (size_t i = 0; i < subjects->list_value().size(); ++i) {
    const core::Value& item = subjects->list_value()[i];
    Subject subject;
    if (const core::Value* name = item.Find("name"); name != nullptr && name->is_string()) {
      subject.name = name->string_value();
    }
    subject.digest = DigestMap(item.Find("digest"));
    if (subject.digest.empty()) {
      return Invalid(source, item, absl::StrCat("subject[", i, "].digest"), "missing or empty");
    }
    statement.subjects.push_back(std::move(subject));
  }
  if (const core::Value* predicate = root.Find("predicate")) statement.predicate = *predicate;
  return statement;
}

absl::Status MatchSubject(const Statement& statement, const core::Digest& digest) {
  const std::string algorithm(core::DigestAlgorithmName(digest.algorithm()));
  const std::string hex = digest.Hex();
  std::vector<std::string> seen;
  for (const Subject& subject : statement.subjects) {
    auto it = subject.digest.find(algorithm);
    if (it == subject.digest.end()) continue;
    if (it->second == hex) return absl::OkStatus();
    seen.push_back(absl::StrCat(subject.name, "@", algorithm, ":", it->second));
  }
  return absl::PermissionDeniedError(absl::StrCat("in-toto: no subject has digest ",
                                                  digest.ToString(),
                                                  " (subjects: ", absl::StrJoin(seen, ", "), ")"));
}

absl::StatusOr<SlsaProvenance> ParseSlsaProvenance(const Statement& statement) {
  const core::Value& p = statement.predicate;
  SlsaProvenance slsa;
  if (statement.predicate_type == kSlsaProvenanceV02) {
    slsa.version = "v0.2";
    slsa.builder_id = StringAt(p, "builder.id");
    slsa.build_type = StringAt(p, "buildType");
    slsa.source_uri = StringAt(p, "invocation.configSource.uri");
    if (absl::StatusOr<const core::Value*> digest = p.Lookup("invocation.configSource.digest");
        digest.ok()) {
      slsa.source_digest = DigestMap(*digest);
    }
    slsa.entry_point = StringAt(p, "invocation.configSource.entryPoint");
    if (const core::Value* invocation = p.Find("invocation")) slsa.invocation = *invocation;
    slsa.materials = ResourceList(p.Find("materials"), "uri");
  } else if (statement.predicate_type == kSlsaProvenanceV1) {
    slsa.version = "v1";
    slsa.builder_id = StringAt(p, "runDetails.builder.id");
    slsa.build_type = StringAt(p, "buildDefinition.buildType");
    if (absl::StatusOr<const core::Value*> external =
            p.Lookup("buildDefinition.externalParameters");
        external.ok()) {
      slsa.invocation = **external;
      slsa.entry_point = StringAt(**external, "workflow.path");
    }
    if (absl::StatusOr<const core::Value*> deps = p.Lookup("buildDefinition.resolvedDependencies");
        deps.ok()) {
      slsa.materials = ResourceList(*deps, "uri");
    }
    for (const Subject& material : slsa.materials) {
      if (absl::StartsWith(material.name, "git+")) {
        slsa.source_uri = material.name;
        slsa.source_digest = material.digest;
        break;
      }
    }
  } else {
    return absl::InvalidArgumentError(
        absl::StrCat("not a SLSA provenance predicate: \"", statement.predicate_type, "\""));
  }
  if (slsa.builder_id.empty()) {
    return absl::InvalidArgumentError(
        absl::StrCat("SLSA provenance ", slsa.version, ": missing builder id"));
  }
  return slsa;
}

}  // namespace bulwark::sign
