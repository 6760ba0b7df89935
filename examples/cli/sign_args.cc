#include "bulwark/examples/cli/sign_args.h"

#include <cstdlib>
#include <utility>
#include <vector>

#include "absl/strings/str_cat.h"
#include "bulwark/core/file.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/certificate.h"
#include "bulwark/image/sign/keys.h"
#include "bulwark/image/sign/tlog.h"

namespace bulwark::cli {
namespace {

constexpr uint64_t kMaxKeyBytes = 1 << 20;

absl::StatusOr<std::string> ReadSmallFile(const std::string& path) {
  return core::ReadFileToString(path, kMaxKeyBytes);
}

absl::StatusOr<std::vector<sign::Certificate>> ReadCertificates(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  absl::StatusOr<std::vector<sign::Certificate>> certificates =
      sign::Certificate::ParsePemChain(text);
  if (!certificates.ok()) {
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", certificates.status().message()));
  }
  return certificates;
}

absl::StatusOr<sign::PublicKey> ReadPublicKey(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  absl::StatusOr<sign::PublicKey> key = sign::PublicKey::Parse(text);
  if (!key.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", key.status().message()));
  return key;
}

}  // namespace

absl::StatusOr<sign::PrivateKey> ReadPrivateKey(const std::string& path) {
  BULWARK_ASSIGN_OR_RETURN(std::string text, ReadSmallFile(path));
  const char* password = std::getenv("BULWARK_KEY_PASSWORD");
  absl::StatusOr<sign::PrivateKey> key =
      sign::PrivateKey::ParsePem(text, password != nullptr ? password : "");
  if (!key.ok())
    return absl::InvalidArgumentError(absl::StrCat(path, ": ", key.status().message()));
  return key;
}

absl::StatusOr<SignerArgs> SignerFromArgs(const ParsedArgs& args) {
  SignerArgs signer;
  sign::CosignVerifyOptions& options = signer.options;
  auto flag = [&](const char* name) -> std::string {
    const std::string* value = args.Find(name);
    return value != nullptr ? *value : "";
  };
  if (const std::string* key = args.Find("key")) {
    BULWARK_ASSIGN_OR_RETURN(options.key, ReadPublicKey(*key));
  }
  options.certificate_identity = flag("certificate-identity");
  options.certificate_identity_regexp = flag("certificate-identity-regexp");
  options.certificate_oidc_issuer = flag("certificate-oidc-issuer");
  options.certificate_oidc_issuer_regexp = flag("certificate-oidc-issuer-regexp");
  const bool keyless =
      !options.certificate_identity.empty() || !options.certificate_identity_regexp.empty();
  if (!options.key.has_value() && !keyless) {
    return absl::InvalidArgumentError(
        "give --key, or --certificate-identity (or --certificate-identity-regexp) with "
        "--certificate-oidc-issuer for keyless verification");
  }
  if (keyless && options.certificate_oidc_issuer.empty() &&
      options.certificate_oidc_issuer_regexp.empty() && args.Find("ca-roots") == nullptr) {
    return absl::InvalidArgumentError(
        "keyless verification needs --certificate-oidc-issuer or "
        "--certificate-oidc-issuer-regexp");
  }

  if (const std::string* roots = args.Find("ca-roots")) {
    BULWARK_ASSIGN_OR_RETURN(options.roots, ReadCertificates(*roots));
  }
  if (const std::string* intermediates = args.Find("ca-intermediates")) {
    BULWARK_ASSIGN_OR_RETURN(options.intermediates, ReadCertificates(*intermediates));
  }
  if (const std::string* rekor = args.Find("rekor-key")) {
    BULWARK_ASSIGN_OR_RETURN(sign::PublicKey key, ReadPublicKey(*rekor));
    options.rekor_keys.push_back(sign::LogKeyFromPublicKey(key));
  }
  std::string root_path = flag("trusted-root");
  if (root_path.empty() && !options.key.has_value() && options.roots.empty()) {
    const char* env = std::getenv("BULWARK_TRUSTED_ROOT");
    if (env == nullptr || *env == '\0') {
      return absl::InvalidArgumentError(
          "keyless verification needs --trusted-root, $BULWARK_TRUSTED_ROOT or --ca-roots "
          "(Bulwark never fetches trust roots)");
    }
    root_path = env;
  }
  if (!root_path.empty()) {
    BULWARK_ASSIGN_OR_RETURN(signer.trusted_root, sign::TrustedRoot::Load(root_path));
    sign::AddTrustedRoot(*signer.trusted_root, &options);
  }
  return signer;
}

}  // namespace bulwark::cli
