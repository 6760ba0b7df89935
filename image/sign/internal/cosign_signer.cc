#include "bulwark/image/sign/internal/cosign_signer.h"

#include <algorithm>
#include <vector>

#include "absl/strings/escaping.h"
#include "absl/strings/str_cat.h"
#include "absl/time/clock.h"
#include "bulwark/core/document.h"
#include "bulwark/core/status_macros.h"
#include "bulwark/image/sign/dsse.h"
#include "bulwark/image/sign/tlog.h"
#include "re2/re2.h"

namespace bulwark::sign::internal {
namespace {

absl::Status Fail(absl::string_view step, absl::string_view why) {
  return absl::PermissionDeniedError(absl::StrCat(step, ": ", why));
}

const std::string* Find(const Annotations& annotations, absl::string_view key) {
  auto it = annotations.find(std::string(key));
  return it == annotations.end() ? nullptr : &it->second;
}

// `value` equals `exact` (when set) and fully matches `pattern` (when set).
absl::StatusOr<bool> Matches(absl::string_view value, const std::string& exact,
                             const std::string& pattern) {
  if (!exact.empty() && value != exact) return false;
  if (pattern.empty()) return true;
  const RE2 regex(pattern, RE2::Quiet);
  if (!regex.ok()) {
    return absl::InvalidArgumentError(
        absl::StrCat("certificate: regular expression \"", pattern, "\": ", regex.error()));
  }
  return RE2::FullMatch(re2::StringPiece(value.data(), value.size()), regex);
}

// The SET of the bundle annotation; returns the entry it signs.
absl::StatusOr<RekorEntry> VerifyBundleAnnotation(const std::string& bundle,
                                                  const CosignVerifyOptions& options) {
  absl::StatusOr<core::Value> json = core::ParseJson(bundle, {}, kBundleAnnotation);
  if (!json.ok()) return Fail("rekor bundle", json.status().message());
  absl::StatusOr<const core::Value*> set = json->Lookup("SignedEntryTimestamp");
  absl::StatusOr<const core::Value*> body = json->Lookup("Payload.body");
  absl::StatusOr<const core::Value*> time = json->Lookup("Payload.integratedTime");
  absl::StatusOr<const core::Value*> index = json->Lookup("Payload.logIndex");
  absl::StatusOr<const core::Value*> log_id = json->Lookup("Payload.logID");
  if (!set.ok() || !body.ok() || !time.ok() || !index.ok() || !log_id.ok() ||
      !(*set)->is_string() || !(*body)->is_string() || !(*time)->is_int() || !(*index)->is_int() ||
      !(*log_id)->is_string()) {
    return Fail("rekor bundle", "missing or mistyped SignedEntryTimestamp or Payload member");
  }
  absl::StatusOr<std::string> set_bytes = DecodeBase64((*set)->string_value(), "SET");
  absl::StatusOr<std::string> body_bytes = DecodeBase64((*body)->string_value(), "body");
  if (!set_bytes.ok() || !body_bytes.ok()) return Fail("rekor bundle", "bad base64");
  RekorEntry entry;
  entry.signed_entry_timestamp = *set_bytes;
  entry.body = *body_bytes;
  entry.integrated_time = (*time)->int_value();
  entry.log_index = (*index)->int_value();
  entry.log_id = absl::HexStringToBytes((*log_id)->string_value());
  if (absl::Status status = VerifySignedEntryTimestamp(entry, options.rekor_keys); !status.ok()) {
    return Fail("rekor bundle", status.message());
  }
  return entry;
}

absl::Status VerifyIdentity(const Certificate& certificate, const CosignVerifyOptions& options) {
  if (!options.certificate_identity.empty() || !options.certificate_identity_regexp.empty()) {
    bool matched = false;
    for (const SubjectAltName& name : certificate.subject_alt_names()) {
      BULWARK_ASSIGN_OR_RETURN(matched, Matches(name.value, options.certificate_identity,
                                                options.certificate_identity_regexp));
      if (matched) break;
    }
    if (!matched) {
      return Fail("certificate", absl::StrCat("no subject alternative name matches \"",
                                              options.certificate_identity.empty()
                                                  ? options.certificate_identity_regexp
                                                  : options.certificate_identity,
                                              "\""));
    }
  }
  const std::string& issuer = certificate.fulcio_extensions().issuer;
  BULWARK_ASSIGN_OR_RETURN(bool issuer_matches, Matches(issuer, options.certificate_oidc_issuer,
                                                        options.certificate_oidc_issuer_regexp));
  if (!issuer_matches) {
    return Fail("certificate", absl::StrCat("OIDC issuer \"", issuer, "\" does not match \"",
                                            options.certificate_oidc_issuer.empty()
                                                ? options.certificate_oidc_issuer_regexp
                                                : options.certificate_oidc_issuer,
                                            "\""));
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<Signer> ResolveSigner(const Annotations& annotations,
                                     const CosignVerifyOptions& options) {
  if (options.key.has_value()) return Signer{*options.key, std::nullopt};
  const std::string* pem = Find(annotations, kCertificateAnnotation);
  if (pem == nullptr) return Fail("certificate", "no key given and no certificate annotation");
  absl::StatusOr<Certificate> certificate = Certificate::Parse(*pem);
  if (!certificate.ok()) return Fail("certificate", certificate.status().message());
  absl::StatusOr<PublicKey> key = certificate->public_key();
  if (!key.ok()) return Fail("certificate", key.status().message());
  return Signer{*key, *certificate};
}

absl::Status CheckLoggedVerifier(absl::string_view logged, const Signer& signer) {
  bool same = false;
  if (signer.certificate.has_value()) {
    absl::StatusOr<Certificate> certificate = Certificate::Parse(logged);
    same = certificate.ok() && *certificate == *signer.certificate;
  } else {
    absl::StatusOr<PublicKey> key = PublicKey::Parse(logged);
    same = key.ok() && *key == signer.key;
  }
  if (!same) return absl::PermissionDeniedError("log entry names another key or certificate");
  return absl::OkStatus();
}

absl::Status VerifySignerProvenance(const Annotations& annotations, const Signer& signer,
                                    const CosignVerifyOptions& options,
                                    const RekorBodyCheck& body_check) {
  // The Rekor bundle, when log keys are configured, also fixes the signing time.
  absl::Time signing_time = absl::Now();
  if (!options.rekor_keys.empty()) {
    const std::string* bundle = Find(annotations, kBundleAnnotation);
    if (bundle == nullptr) return Fail("rekor bundle", "missing");
    BULWARK_ASSIGN_OR_RETURN(RekorEntry entry, VerifyBundleAnnotation(*bundle, options));
    if (absl::Status status = body_check(entry.body, signer); !status.ok()) {
      return Fail("rekor bundle", status.message());
    }
    signing_time = absl::FromUnixSeconds(entry.integrated_time);
  }
  if (!signer.certificate.has_value()) return absl::OkStatus();

  std::vector<Certificate> intermediates = options.intermediates;
  if (const std::string* chain = Find(annotations, kChainAnnotation)) {
    absl::StatusOr<std::vector<Certificate>> certs = Certificate::ParsePemChain(*chain);
    if (!certs.ok()) return Fail("certificate", certs.status().message());
    intermediates.insert(intermediates.end(), certs->begin(), certs->end());
  }
  ChainOptions chain_options;
  chain_options.partial_chain = options.partial_chain;
  absl::StatusOr<std::vector<Certificate>> chain =
      VerifyChain(*signer.certificate, intermediates, options.roots, signing_time, chain_options);
  if (!chain.ok()) return Fail("certificate", chain.status().message());
  return VerifyIdentity(*signer.certificate, options);
}

absl::Status WithArea(absl::string_view area, const absl::Status& status) {
  if (status.ok()) return status;
  return absl::Status(status.code(), absl::StrCat(area, ": ", status.message()));
}

}  // namespace bulwark::sign::internal
