// What `bulwark verify` and `bulwark attest verify` share: who must have signed, from cosign's
// flags (--key, or --certificate-identity[-regexp] / --certificate-oidc-issuer[-regexp] with
// --trusted-root or --ca-roots/--ca-intermediates and --rekor-key), and reading the signed
// image (an OCI layout with --ref, or a containers/image "dir:" copy).
// Thread safety: the functions share no state.
#ifndef BULWARK_EXAMPLES_CLI_SIGN_ARGS_H_
#define BULWARK_EXAMPLES_CLI_SIGN_ARGS_H_

#include <memory>
#include <string>

#include "absl/status/statusor.h"
#include "bulwark/examples/cli/flags.h"
#include "bulwark/image/sign/cosign.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::cli {

// The signer policy and, with --trusted-root (or $BULWARK_TRUSTED_ROOT when no key and no
// --ca-roots are given), the trusted root whose Fulcio CAs are the roots (partial chains
// accepted) and whose Rekor logs are the log keys.
struct SignerArgs {
  sign::CosignVerifyOptions options;
  std::shared_ptr<const sign::TrustedRoot> trusted_root;
};

// Errors: InvalidArgument when neither a key nor an identity policy is given, or a file does
// not parse; NotFound for a missing file.
absl::StatusOr<SignerArgs> SignerFromArgs(const ParsedArgs& args);

// Reads the private key at `path` (PKCS#8, SEC1, PKCS#1 PEM; encrypted keys take their password
// from $BULWARK_KEY_PASSWORD). Errors: NotFound; InvalidArgument naming the file.
absl::StatusOr<sign::PrivateKey> ReadPrivateKey(const std::string& path);

}  // namespace bulwark::cli

#endif  // BULWARK_EXAMPLES_CLI_SIGN_ARGS_H_
