// `bulwark attest sign LAYOUT --key K --predicate FILE --type T` (cosign attest --key) and
// `bulwark attest verify LAYOUT (--key K | keyless flags) [--type T] [--format text|json]`
// (cosign verify-attestation): in-toto statements in DSSE envelopes stored under the image's
// `sha256-<hex>.att` tag or as OCI 1.1 referrers, including Sigstore bundle referrers.
#include <string>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/core/value.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/sign_args.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/attestation.h"

namespace bulwark::cli {
namespace {

constexpr uint64_t kMaxPredicateBytes = 16 << 20;

std::string FlagOr(const ParsedArgs& args, const char* name, std::string fallback) {
  const std::string* value = args.Find(name);
  return value != nullptr ? *value : std::move(fallback);
}

core::Value SlsaJson(const sign::SlsaProvenance& slsa) {
  core::ValueMap digest;
  for (const auto& [algorithm, hex] : slsa.source_digest) {
    digest.push_back({algorithm, core::Value(hex)});
  }
  return core::Value(core::ValueMap{
      {"version", core::Value(slsa.version)},
      {"builder_id", core::Value(slsa.builder_id)},
      {"build_type", core::Value(slsa.build_type)},
      {"source_uri", core::Value(slsa.source_uri)},
      {"source_digest", core::Value(std::move(digest))},
      {"entry_point", core::Value(slsa.entry_point)},
      {"invocation", slsa.invocation},
  });
}

// {"image": digest, "verified": bool, "attestations": [{source, verified, reason,
// predicate_type, predicate, slsa}]}
core::Value VerificationJson(const sign::AttestationVerification& result) {
  core::ValueList attestations;
  for (const sign::AttestationCheck& check : result.attestations) {
    core::ValueMap entry{
        {"source", core::Value(check.source)},
        {"verified", core::Value(check.status.ok())},
        {"reason",
         check.status.ok() ? core::Value() : core::Value(std::string(check.status.message()))},
        {"predicate_type", core::Value(check.predicate_type)},
    };
    if (check.statement.has_value()) entry.push_back({"predicate", check.statement->predicate});
    if (check.slsa.has_value()) entry.push_back({"slsa", SlsaJson(*check.slsa)});
    attestations.push_back(core::Value(std::move(entry)));
  }
  return core::Value(core::ValueMap{
      {"image", core::Value(result.image_digest.ToString())},
      {"verified", core::Value(result.verified())},
      {"attestations", core::Value(std::move(attestations))},
  });
}

}  // namespace

absl::StatusOr<ExitCode> RunAttestSign(const ParsedArgs& args) {
  const std::string& layout = args.positional[0];
  const std::string* key_path = args.Find("key");
  const std::string* predicate_path = args.Find("predicate");
  if (key_path == nullptr || predicate_path == nullptr) {
    return absl::InvalidArgumentError("--key and --predicate are required");
  }
  BULWARK_ASSIGN_OR_RETURN(sign::PrivateKey key, ReadPrivateKey(*key_path));
  sign::AttestOptions options;
  BULWARK_ASSIGN_OR_RETURN(options.predicate_json,
                           core::ReadFileToString(*predicate_path, kMaxPredicateBytes));
  options.predicate_type = sign::ResolvePredicateType(FlagOr(args, "type", "custom"));
  options.subject_name = FlagOr(args, "subject-name", "");
  BULWARK_ASSIGN_OR_RETURN(core::Digest image,
                           sign::ResolveLayoutImage(layout, FlagOr(args, "ref", "")));
  BULWARK_ASSIGN_OR_RETURN(sign::CosignSignature attestation,
                           sign::AttestImage(key, image, options));
  BULWARK_RETURN_IF_ERROR(sign::WriteOciLayoutAttachment(layout, image, "att", attestation));
  WriteToStdout(absl::StrCat("attested ", image.ToString(), " (", options.predicate_type, ") as ",
                             sign::AttachmentTag(image, "att"), "\n"));
  return ExitCode::kOk;
}

absl::StatusOr<ExitCode> RunAttestVerify(const ParsedArgs& args) {
  BULWARK_ASSIGN_OR_RETURN(SignerArgs signer, SignerFromArgs(args));
  sign::AttestationVerifyOptions options;
  options.signer = std::move(signer.options);
  options.trusted_root = std::move(signer.trusted_root);
  options.predicate_type = sign::ResolvePredicateType(FlagOr(args, "type", ""));
  const std::string format = FlagOr(args, "format", "text");
  if (format != "text" && format != "json") {
    return absl::InvalidArgumentError(absl::StrCat("--format \"", format, "\": text or json"));
  }
  // A digest names what was attested even when the image itself is not in the layout (only
  // its referrers are); a tag or nothing is resolved through the layout.
  const std::string& layout = args.positional[0];
  const std::string ref = FlagOr(args, "ref", "");
  absl::StatusOr<core::Digest> image = core::Digest::Parse(ref);
  if (!image.ok()) {
    BULWARK_ASSIGN_OR_RETURN(image, sign::ResolveLayoutImage(layout, ref));
  }
  BULWARK_ASSIGN_OR_RETURN(std::vector<sign::CosignSignature> layers,
                           sign::FindOciLayoutAttestations(layout, *image));
  const sign::AttestationVerification result =
      sign::VerifyCosignAttestations(layers, *image, options);
  if (format == "json") {
    WriteToStdout(absl::StrCat(VerificationJson(result).ToJson(), "\n"));
  }
  if (!result.verified()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "no valid attestation for ", result.image_digest.ToString(), "\n", result.Summary()));
  }
  if (format == "text") WriteToStdout(absl::StrCat(result.Summary(), "\n"));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
