// `bulwark verify IMAGE (--key K | --certificate-identity ... --certificate-oidc-issuer ...)`:
// cosign verification of an image in an OCI layout (the `sha256-<hex>.sig` tag and OCI 1.1
// referrers) or a containers/image "dir:" copy, with a key or keylessly (certificate chain to
// a trusted root's Fulcio CAs or given CA roots, Rekor SET, identity and issuer).
#include <filesystem>
#include <optional>
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/sign_args.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/cosign.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunVerify(const ParsedArgs& args) {
  const std::string& path = args.positional[0];
  BULWARK_ASSIGN_OR_RETURN(SignerArgs signer, SignerFromArgs(args));
  sign::CosignVerifyOptions& options = signer.options;
  if (const std::string* reference = args.Find("docker-reference")) options.reference = *reference;
  BULWARK_ASSIGN_OR_RETURN(
      options.required_annotations,
      sign::ParseAnnotationList(args.Find("annotations") != nullptr ? *args.Find("annotations")
                                                                    : ""));

  std::optional<sign::CosignVerification> result;
  if (std::filesystem::exists(std::filesystem::path(path) / "index.json")) {
    const std::string* ref = args.Find("ref");
    BULWARK_ASSIGN_OR_RETURN(result,
                             sign::VerifyOciLayoutImage(path, ref != nullptr ? *ref : "", options));
  } else {
    BULWARK_ASSIGN_OR_RETURN(sign::ContainersImageDir dir, sign::ReadContainersImageDir(path));
    result = sign::VerifyCosignSignatures(dir.signatures, dir.manifest_digest, options);
  }
  if (!result->verified()) {
    return absl::PermissionDeniedError(absl::StrCat(
        "no valid signature for ", result->image_digest.ToString(), "\n", result->Summary()));
  }
  WriteToStdout(absl::StrCat(result->Summary(), "\n"));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
