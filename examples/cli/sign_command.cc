// `bulwark sign IMAGE --key K`: signs an image of an OCI layout with a private key and stores the
// signature in the layout as cosign does (a `sha256-<hex>.sig` manifest).
#include <string>

#include "absl/strings/str_cat.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/examples/cli/sign_args.h"
#include "bulwark/examples/cli/stdout_writer.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/keys.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunSign(const ParsedArgs& args) {
  const std::string& layout = args.positional[0];
  const std::string* key_path = args.Find("key");
  if (key_path == nullptr) return absl::InvalidArgumentError("--key is required");
  BULWARK_ASSIGN_OR_RETURN(sign::PrivateKey key, ReadPrivateKey(*key_path));
  const std::string* ref = args.Find("ref");
  BULWARK_ASSIGN_OR_RETURN(core::Digest image,
                           sign::ResolveLayoutImage(layout, ref != nullptr ? *ref : ""));
  sign::CosignSignOptions options;
  if (const std::string* reference = args.Find("docker-reference")) options.reference = *reference;
  BULWARK_ASSIGN_OR_RETURN(
      options.annotations,
      sign::ParseAnnotationList(args.Find("annotations") != nullptr ? *args.Find("annotations")
                                                                    : ""));
  BULWARK_ASSIGN_OR_RETURN(sign::CosignSignature signature, sign::SignImage(key, image, options));
  BULWARK_RETURN_IF_ERROR(sign::WriteOciLayoutSignature(layout, image, signature));
  WriteToStdout(absl::StrCat("signed ", image.ToString(), " as ", sign::SignatureTag(image), "\n"));
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
