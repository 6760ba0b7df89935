// `bulwark attest verify-gcb FILE --digest sha256:<hex> [--gcb-key REGION=PUBLIC.pem]
// [--builder-id ID] [--format text|json]`: Google Cloud Build provenance (the JSON of `gcloud
// artifacts docker images describe --show-provenance`) verified for an image digest
// (image/sign/gcb.h). Google's KMS public keys are not shipped; --gcb-key gives one.
#include <string>
#include <utility>

#include "absl/strings/str_cat.h"
#include "absl/strings/str_split.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/gcb.h"

namespace bulwark::cli {
namespace {

constexpr uint64_t kMaxProvenanceBytes = 64 << 20;
constexpr uint64_t kMaxKeyBytes = 1 << 20;

// {"image", "verified": true, "provenance": [{key_id, region, builder_id, build_type,
// source_uri, source_digest, entry_point}]}
core::Value VerificationJson(const core::Digest& image, const sign::GcbVerification& result) {
  core::ValueList provenance;
  for (const sign::GcbProvenance& entry : result.provenance) {
    core::ValueMap digest;
    for (const auto& [algorithm, hex] : entry.source_digest) {
      digest.push_back({algorithm, core::Value(hex)});
    }
    provenance.push_back(core::Value(core::ValueMap{
        {"key_id", core::Value(entry.key_id)},
        {"region", core::Value(entry.region)},
        {"builder_id", core::Value(entry.builder_id)},
        {"build_type", core::Value(entry.build_type)},
        {"source_uri", core::Value(entry.source_uri)},
        {"source_digest", core::Value(std::move(digest))},
        {"entry_point", core::Value(entry.entry_point)},
    }));
  }
  return core::Value(core::ValueMap{
      {"image", core::Value(image.ToString())},
      {"verified", core::Value(true)},
      {"provenance", core::Value(std::move(provenance))},
  });
}

}  // namespace

absl::StatusOr<ExitCode> RunAttestVerifyGcb(const ParsedArgs& args) {
  const std::string* digest_flag = args.Find("digest");
  if (digest_flag == nullptr) return absl::InvalidArgumentError("--digest is required");
  BULWARK_ASSIGN_OR_RETURN(core::Digest image, core::Digest::Parse(*digest_flag));
  const std::string* format = args.Find("format");
  if (format != nullptr && *format != "text" && *format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("--format \"", *format, "\": text or json"));
  }
  sign::GcbVerifyOptions options;
  if (const std::string* key_flag = args.Find("gcb-key")) {
    const std::pair<std::string, std::string> parts = absl::StrSplit(*key_flag, '=');
    if (parts.first.empty() || parts.second.empty()) {
      return absl::InvalidArgumentError(
          absl::StrCat("--gcb-key \"", *key_flag, "\": REGION=PUBLIC.pem"));
    }
    BULWARK_ASSIGN_OR_RETURN(std::string pem, core::ReadFileToString(parts.second, kMaxKeyBytes));
    BULWARK_ASSIGN_OR_RETURN(sign::PublicKey key, sign::PublicKey::Parse(pem));
    options.keys.emplace(parts.first, std::move(key));
  }
  if (const std::string* builder = args.Find("builder-id")) options.builder_id = *builder;
  BULWARK_ASSIGN_OR_RETURN(std::string json,
                           core::ReadFileToString(args.positional[0], kMaxProvenanceBytes));
  BULWARK_ASSIGN_OR_RETURN(sign::GcbVerification result,
                           sign::VerifyGcbProvenance(json, image, options));
  if (format != nullptr && *format == "json") {
    WriteToStdout(absl::StrCat(VerificationJson(image, result).ToJson(), "\n"));
  } else {
    for (const sign::GcbProvenance& entry : result.provenance) {
      WriteToStdout(absl::StrCat("verified ", image.ToString(), ": built by ", entry.builder_id,
                                 " from ", entry.source_uri, ", signed by ", entry.key_id, "\n"));
    }
  }
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
