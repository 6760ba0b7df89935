// Reads secret-detection rule files in gitleaks' TOML format (gitleaks v8 config files load
// unmodified), with toml++ as the TOML parser.
//   BULWARK_ASSIGN_OR_RETURN(RuleFile rules, LoadGitleaksTomlFile("gitleaks.toml"));
//   BULWARK_ASSIGN_OR_RETURN(auto scanner, SecretScanner::Create(std::move(rules)));
// Thread safety: the functions share no state.
#ifndef BULWARK_IMAGE_SECRETS_GITLEAKS_TOML_H_
#define BULWARK_IMAGE_SECRETS_GITLEAKS_TOML_H_

#include <string>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/secrets/rule.h"

namespace bulwark::secrets {

// Parses `text`, a gitleaks TOML config; `where` names it in messages. Keys gitleaks reads are
// typed-checked ("id" a string, "keywords" an array of strings, ...); keys it does not know and
// [extend] (gitleaks' own default config is not bundled) become RuleFile::warnings. Regexes are
// not compiled here (SecretScanner::Create does, rule by rule).
// Errors: InvalidArgument "<where>:<line>:<column>: <problem>" for TOML syntax errors, wrong
// value types, a rule without an id, or without both regex and path; ResourceExhausted when the
// text is larger than limits.max_file_bytes.
absl::StatusOr<RuleFile> ParseGitleaksToml(absl::string_view text, absl::string_view where,
                                           const core::Limits& limits = {});

// Reads the file at `path` (at most limits.max_file_bytes) and parses it.
// Errors: those of core::ReadFileToString and ParseGitleaksToml.
absl::StatusOr<RuleFile> LoadGitleaksTomlFile(const std::string& path,
                                              const core::Limits& limits = {});

}  // namespace bulwark::secrets

#endif  // BULWARK_IMAGE_SECRETS_GITLEAKS_TOML_H_
