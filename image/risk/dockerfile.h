// Reads a Dockerfile into the instructions the build rules check (build_rules.h): parser
// directives (escape, syntax), comments, line continuations, heredocs (RUN <<EOF ... EOF), JSON
// (exec) and shell forms, several stages (the last one gives the final config), and ${ARG}
// expansion in FROM lines.
//   BULWARK_ASSIGN_OR_RETURN(Dockerfile file, ParseDockerfile(text, "Dockerfile"));
//   std::vector<BuildRisk> risks = CheckDockerfile(file);
// Thread safety: pure functions.
#ifndef BULWARK_IMAGE_RISK_DOCKERFILE_H_
#define BULWARK_IMAGE_RISK_DOCKERFILE_H_

#include <string>
#include <vector>

#include "absl/status/statusor.h"
#include "absl/strings/string_view.h"
#include "bulwark/core/limits.h"
#include "bulwark/image/risk/build_rules.h"

namespace bulwark::image {

struct Dockerfile {
  // Every instruction in file order; source is "<where>:<line>" of its first line. RUN's
  // exec form ["a", "b"] becomes "a b"; a heredoc's body is appended to the arguments.
  std::vector<Instruction> instructions;
  // The final stage's USER, HEALTHCHECK, EXPOSE and ENV; source "<where>".
  FinalConfig final_config;
  // The image each FROM names after ARG expansion ("debian:12", "scratch", "builder"), with the
  // instruction index.
  std::vector<std::pair<std::string, size_t>> bases;
  std::vector<std::string> stage_names;
};

// Errors: InvalidArgument "<where>:<line>: ..." for an unterminated heredoc or JSON array, an
// instruction before FROM other than ARG; ResourceExhausted above limits.max_file_bytes.
absl::StatusOr<Dockerfile> ParseDockerfile(absl::string_view text, absl::string_view where,
                                           const core::Limits& limits = {});

// The build rules over the file's instructions and final stage, plus BWK-DF-002 (a FROM with no
// tag or "latest", other than scratch and earlier stages).
std::vector<BuildRisk> CheckDockerfile(const Dockerfile& dockerfile);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_DOCKERFILE_H_
