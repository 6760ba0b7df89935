// `bulwark sigstore verify-bundle`: verifies a Sigstore bundle offline, following the
// sigstore-conformance client protocol (exit 0 when verified; otherwise the failing step on
// standard error and a non-zero exit).
#include <cstdlib>
#include <filesystem>
#include <string>

#include "absl/strings/match.h"
#include "absl/strings/str_cat.h"
#include "bulwark/core/digest.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/examples/cli/command.h"
#include "bulwark/image/sign/bundle.h"
#include "bulwark/image/sign/trust_root.h"

namespace bulwark::cli {

absl::StatusOr<ExitCode> RunSigstoreVerifyBundle(const ParsedArgs& args) {
  const std::string* bundle_path = args.Find("bundle");
  if (bundle_path == nullptr) return absl::InvalidArgumentError("--bundle is required");
  std::string root_path;
  if (const std::string* given = args.Find("trusted-root")) {
    root_path = *given;
  } else {
    const char* env = std::getenv(args.Find("staging") != nullptr ? "BULWARK_TRUSTED_ROOT_STAGING"
                                                                  : "BULWARK_TRUSTED_ROOT");
    if (env == nullptr || *env == '\0') {
      return absl::InvalidArgumentError(absl::StrCat(
          "no --trusted-root and $",
          args.Find("staging") != nullptr ? "BULWARK_TRUSTED_ROOT_STAGING" : "BULWARK_TRUSTED_ROOT",
          " is not set (Bulwark never fetches trust roots)"));
    }
    root_path = env;
  }
  BULWARK_ASSIGN_OR_RETURN(std::shared_ptr<const sign::TrustedRoot> root,
                           sign::TrustedRoot::Load(root_path));
  BULWARK_ASSIGN_OR_RETURN(std::string bundle, core::ReadFileToString(*bundle_path, 64 << 20));

  const std::string& target = args.positional[0];
  sign::Artifact artifact;
  std::error_code error;
  if (std::filesystem::is_regular_file(target, error)) {
    BULWARK_ASSIGN_OR_RETURN(std::string bytes, core::ReadFileToString(target, uint64_t{4} << 30));
    artifact = sign::Artifact::FromBytes(std::move(bytes));
  } else if (absl::StartsWith(target, "sha256:")) {
    BULWARK_ASSIGN_OR_RETURN(core::Digest digest, core::Digest::Parse(target));
    artifact = sign::Artifact::FromDigest(digest);
  } else {
    return absl::NotFoundError(absl::StrCat(target, ": no such file, and not sha256:<64 hex>"));
  }

  sign::BundlePolicy policy;
  if (const std::string* identity = args.Find("certificate-identity")) policy.identity = *identity;
  if (const std::string* regexp = args.Find("certificate-identity-regexp")) {
    policy.identity = *regexp;
    policy.identity_is_regex = true;
  }
  if (const std::string* issuer = args.Find("certificate-oidc-issuer")) policy.issuer = *issuer;
  if (const std::string* regexp = args.Find("certificate-oidc-issuer-regexp")) {
    policy.issuer = *regexp;
    policy.issuer_is_regex = true;
  }
  if (const std::string* key_path = args.Find("key")) {
    BULWARK_ASSIGN_OR_RETURN(std::string key_text, core::ReadFileToString(*key_path, 1 << 20));
    BULWARK_ASSIGN_OR_RETURN(policy.key, sign::PublicKey::Parse(key_text));
  }
  BULWARK_RETURN_IF_ERROR(sign::VerifyBundle(bundle, artifact, *root, policy).status());
  return ExitCode::kOk;
}

}  // namespace bulwark::cli
