// `bulwark cel eval EXPR [--input FILE] [--var name=FILE[,name=FILE...]]`: evaluates one CEL
// expression against JSON/YAML documents and prints the result in CEL literal syntax.
#include <string>
#include <vector>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/document.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/policy/cel/cel.h"

namespace bulwark::cli {
namespace {

// Reads FILE as YAML (JSON is YAML) into a document.
absl::StatusOr<core::Value> ReadDocument(const std::string& path) {
  core::Limits limits;
  BULWARK_ASSIGN_OR_RETURN(std::string text, core::ReadFileToString(path, limits.max_file_bytes));
  absl::StatusOr<std::vector<core::Value>> docs = core::ParseYaml(text, limits);
  if (!docs.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", docs.status().message()));
  }
  if (docs->size() != 1) {
    return absl::InvalidArgumentError(
        absl::StrCat(path, ": expected one document, found ", docs->size()));
  }
  return std::move(docs->front());
}

}  // namespace

absl::StatusOr<ExitCode> RunCelEval(const ParsedArgs& args) {
  std::vector<std::pair<std::string, std::string>> bindings;  // name, file
  if (const std::string* input = args.Find("input")) bindings.emplace_back("object", *input);
  if (const std::string* vars = args.Find("var")) {
    for (absl::string_view item : absl::StrSplit(*vars, ',', absl::SkipEmpty())) {
      std::pair<std::string, std::string> kv = absl::StrSplit(item, absl::MaxSplits('=', 1));
      if (kv.first.empty() || kv.second.empty()) {
        return absl::InvalidArgumentError(
            absl::StrCat("--var: expected name=FILE, got '", item, "'"));
      }
      bindings.push_back(std::move(kv));
    }
  }
  cel::Env env;
  std::vector<core::Value> documents;
  documents.reserve(bindings.size());
  for (const auto& [name, path] : bindings) {
    env.DeclareVariable(name);
    BULWARK_ASSIGN_OR_RETURN(core::Value doc, ReadDocument(path));
    documents.push_back(std::move(doc));
  }
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const cel::Program> program,
                           cel::Compile(args.positional[0], env));
  cel::Activation activation;
  for (size_t i = 0; i < bindings.size(); ++i) {
    activation.BindDocument(bindings[i].first, documents[i]);
  }
  BULWARK_ASSIGN_OR_RETURN(cel::Value result, program->Evaluate(activation));
  WriteToStdout(absl::StrCat(result.DebugString(), "\n"));
  BULWARK_RETURN_IF_ERROR(FlushStdout());
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
