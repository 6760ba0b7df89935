// in-toto attestations: the Statement layer (v0.1 and v1) with its subjects, and the fields of
// SLSA provenance v0.2 and v1 predicates that policies ask about.
//   BULWARK_ASSIGN_OR_RETURN(Statement statement, ParseStatement(envelope.payload));
//   BULWARK_RETURN_IF_ERROR(MatchSubject(statement, image_digest));
//   BULWARK_ASSIGN_OR_RETURN(SlsaProvenance slsa, ParseSlsaProvenance(statement));
// Thread safety: plain values and functions without shared state.
#ifndef BULWARK_IMAGE_SIGN_INTOTO_H_
#define BULWARK_IMAGE_SIGN_INTOTO_H_

#include <map>
#include <string>
#include <vector>

#include "absl/status/status.h"
#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/limits.h"
#include "bulwark/core/value.h"

namespace bulwark::sign {

inline constexpr absl::string_view kStatementV01 = "https://in-toto.io/Statement/v0.1";
inline constexpr absl::string_view kStatementV1 = "https://in-toto.io/Statement/v1";
inline constexpr absl::string_view kSlsaProvenanceV02 = "https://slsa.dev/provenance/v0.2";
inline constexpr absl::string_view kSlsaProvenanceV1 = "https://slsa.dev/provenance/v1";

// A subject: a name and its digests by algorithm name ("sha256" -> lowercase hex).
struct Subject {
  std::string name;
  std::map<std::string, std::string> digest;
};

struct Statement {
  std::string type;  // kStatementV01 or kStatementV1.
  std::vector<Subject> subjects;
  std::string predicate_type;
  core::Value predicate;  // The predicate as parsed JSON (null when absent).
};

// Reads an in-toto Statement (the payload of a DSSE envelope). Errors: InvalidArgument
// "<source>: <json path>: <problem>" for an unknown _type, a missing or empty subject list, or a
// subject without digests.
absl::StatusOr<Statement> ParseStatement(absl::string_view json, const core::Limits& limits = {},
                                         absl::string_view source = "<statement>");

// OK when a subject carries `digest` (same algorithm, same hex). Errors: PermissionDenied
// "in-toto: no subject has digest <digest>" listing the subjects' digests of that algorithm.
absl::Status MatchSubject(const Statement& statement, const core::Digest& digest);

// The SLSA provenance fields policies ask about, from either predicate version.
struct SlsaProvenance {
  std::string version;     // "v0.2" or "v1".
  std::string builder_id;  // v0.2 builder.id; v1 runDetails.builder.id.
  std::string build_type;  // v0.2 buildType; v1 buildDefinition.buildType.
  // Where the source came from: v0.2 invocation.configSource.uri, or v1 the first resolved
  // dependency whose uri starts with "git+" (GitHub workflows put the repository there).
  std::string source_uri;
  std::map<std::string, std::string> source_digest;
  // v0.2 invocation.configSource.entryPoint; v1 externalParameters.workflow.path when present.
  std::string entry_point;
  core::Value invocation;          // v0.2 invocation; v1 buildDefinition.externalParameters.
  std::vector<Subject> materials;  // v0.2 materials; v1 resolvedDependencies.
};

// Reads the provenance fields from a statement whose predicateType is SLSA v0.2 or v1. Errors:
// InvalidArgument for another predicate type or a predicate missing the builder id.
absl::StatusOr<SlsaProvenance> ParseSlsaProvenance(const Statement& statement);

}  // namespace bulwark::sign

#endif  // BULWARK_IMAGE_SIGN_INTOTO_H_
