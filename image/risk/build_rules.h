// Build-risk rules (BWK-DF-xxx) over Dockerfile-like instructions: those rebuilt from an image's
// history (image/history.h), or a Dockerfile's. Each rule has a stable id, a severity and the
// CIS Docker Benchmark, Hadolint and Dockle checks it corresponds to.
//   std::vector<Instruction> steps = InstructionsFromHistory(history);
//   for (const BuildRisk& risk : CheckBuildRisks(steps, FinalConfigFromImage(config))) ...
// Thread safety: the rule table is immutable; the functions share no state.
#ifndef BULWARK_IMAGE_RISK_BUILD_RULES_H_
#define BULWARK_IMAGE_RISK_BUILD_RULES_H_

#include <cstddef>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "bulwark/core/report.pb.h"
#include "bulwark/image/history.h"
#include "bulwark/image/oci.h"

namespace bulwark::image {

// One documented rule.
struct BuildRule {
  std::string id;  // "BWK-DF-004"
  std::string title;
  core::v1::Severity severity;
  std::string cis;       // CIS Docker Benchmark recommendation ("4.1"), or "".
  std::string hadolint;  // Hadolint ids ("DL3008"), comma-separated, or "".
  std::string dockle;    // Dockle checkpoints ("CIS-DI-0001"), or "".
  std::string description;
  std::string remediation;
};

// Every build rule, ordered by id.
const std::vector<BuildRule>& BuildRules();

// One instruction as the rules read it.
struct Instruction {
  std::string keyword;    // "RUN", "ENV", "ADD", ... (upper case); "" when unknown.
  std::string arguments;  // The rest of the instruction (a RUN's shell command).
  std::vector<std::pair<std::string, std::string>> build_args;  // ARGs a RUN saw.
  std::string source;           // Where it is: "config.history[3]", "Dockerfile:12".
  std::optional<size_t> layer;  // The image layer it made, when known.
};

// What the image runs with, from its config (or a Dockerfile's last stage).
struct FinalConfig {
  std::string user;  // "" = root.
  bool has_healthcheck = false;
  std::vector<std::string> exposed_ports;  // "22/tcp"
  std::vector<std::string> env;            // "NAME=value"
  std::string source = "config";           // Location of config-level findings.
};

std::vector<Instruction> InstructionsFromHistory(const BuildHistory& history);
FinalConfig FinalConfigFromImage(const ImageConfig& config);

// One rule hit.
struct BuildRisk {
  const BuildRule* rule;
  std::string source;  // Instruction::source, or FinalConfig::source.
  std::optional<size_t> layer;
  // What triggered it, without secret values: "curl ... | sh", "ENV DB_PASSWORD", "apt-get".
  std::string detail;
};

// Runs every rule. Ordered by instruction, then rule id; config-level risks last.
std::vector<BuildRisk> CheckBuildRisks(const std::vector<Instruction>& instructions,
                                       const FinalConfig& config);

}  // namespace bulwark::image

#endif  // BULWARK_IMAGE_RISK_BUILD_RULES_H_
